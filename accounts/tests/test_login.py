import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from accounts.tests.otp import authenticator_for, current_code

pytestmark = pytest.mark.django_db


def test_login_sends_each_role_to_its_home(client):
    user = StaffFactory()
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    device = authenticator_for(user)
    response = client.post(reverse("accounts:second-factor"), {"token": current_code(device)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("review:queue")


def test_login_wrong_password_says_so_in_chinese(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong-one"})

    assert response.status_code == 200
    assert "电子邮箱或密码不正确" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client):
    user = UserFactory()
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": user.email, "password": "wrong"}).status_code == 200

    locked = client.post(url, {"username": user.email, "password": "wrong"})
    assert locked.status_code == 429
    # Even the right password is refused while locked out.
    again = client.post(url, {"username": user.email, "password": PASSWORD})
    assert again.status_code == 429
    assert "账户已暂时锁定" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, mailoutbox):
    user = UserFactory()
    client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Brand-New-Pass-9", "new_password2": "Brand-New-Pass-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-9")


def test_logout_ends_the_session(applicant_client):
    applicant_client.post(reverse("accounts:logout"))

    response = applicant_client.get(reverse("filings:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_accepts_the_email_typed_with_capitals(client):
    user = UserFactory(email="zhang.ming@example.cn")

    response = client.post(
        reverse("accounts:login"), {"username": " Zhang.Ming@Example.CN ", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("filings:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_capitalised_and_lower_case_failures_count_towards_one_lockout(client):
    user = UserFactory(email="zhang.ming@example.cn")
    url = reverse("accounts:login")
    spellings = ["Zhang.Ming@example.cn", "ZHANG.MING@EXAMPLE.CN", "zhang.ming@Example.cn", "zhang.ming@example.cn"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT - 1]:
        assert client.post(url, {"username": spelling, "password": "wrong"}).status_code == 200

    locked = client.post(url, {"username": user.email.upper(), "password": "wrong"})

    assert locked.status_code == 429
