"""Rate limits on the public doors answer 429 in Chinese; the login lockout says when it ends."""

import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.tests.factories import PASSWORD, UserFactory, make_uscc
from accounts.tests.test_registration import form_data

pytestmark = pytest.mark.django_db

REFUSED = "操作过于频繁，请稍后再试"


@pytest.fixture
def limits(settings):
    def set_limit(name: str, rate: str) -> None:
        settings.RATE_LIMITS = {**django_settings.RATE_LIMITS, name: rate}

    return set_limit


def test_registration_from_one_address_is_limited(client, limits):
    limits("register", "2/h")
    for serial in (1, 2):
        client.post(
            reverse("accounts:register"), form_data(uscc=make_uscc(700 + serial), email=f"r{serial}@example.com")
        )
        client.logout()

    refused = client.post(reverse("accounts:register"), form_data(uscc=make_uscc(703), email="r3@example.com"))

    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()
    assert Organisation.objects.count() == 2
    # Another address may still register.
    other = client.post(
        reverse("accounts:register"), form_data(uscc=make_uscc(704), email="r4@example.com"), REMOTE_ADDR="10.9.8.7"
    )
    assert other.status_code == 302


def test_password_reset_from_one_address_is_limited(client, limits, mailoutbox):
    limits("password_reset", "2/h")
    user = UserFactory()
    for _attempt in range(2):
        assert client.post(reverse("accounts:password_reset"), {"email": user.email}).status_code == 302

    refused = client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()
    assert len(mailoutbox) == 2


def test_public_verification_upload_is_limited(client, limits):
    limits("verify_upload", "3/h")
    url = reverse("public:verify", args=["ABCDEFGHJKLMNPQR"])
    for _attempt in range(3):
        assert client.post(url).status_code == 404
    assert client.get(url).status_code == 404  # reading is not counted

    refused = client.post(url)

    assert refused.status_code == 429
    assert REFUSED in refused.content.decode()


def test_login_failures_for_one_account_from_many_addresses_lock_it(client):
    user = UserFactory()
    url = reverse("accounts:login")
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": user.email, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{attempt + 1}")

    # Even the right password, from an address that never failed, waits for the lock to end.
    locked = client.post(url, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.1.1")

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_page_says_when_the_lock_ends(client):
    user = UserFactory()
    url = reverse("accounts:login")
    for _attempt in range(django_settings.AXES_FAILURE_LIMIT):
        locked = client.post(url, {"username": user.email, "password": "wrong"})

    assert locked.status_code == 429
    page = locked.content.decode()
    ends = timezone.localtime() + django_settings.AXES_COOLOFF_TIME * timezone.timedelta(hours=1)
    match = re.search(r"锁定将于 (\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}) 解除", page)
    assert match, page
    assert match.group(1) in {
        f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}" for t in (ends, ends - timezone.timedelta(minutes=1))
    }
