"""Two-factor sign-in: enforced by role, optional for applicants, recovery codes, an administrator's reset."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, second_factor
from accounts.models import Role, User
from accounts.tests.factories import PASSWORD, AdminFactory, ExpertFactory, StaffFactory, UserFactory
from accounts.tests.otp import authenticator_for, current_code

pytestmark = pytest.mark.django_db

VERIFY, SETUP = reverse("accounts:second-factor"), reverse("accounts:second-factor-setup")


def sign_in_with_password(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize(
    ("factory", "home"),
    [(StaffFactory, "review:queue"), (ExpertFactory, "review:expert-home"), (AdminFactory, "admin:index")],
)
def test_bureau_roles_reach_nothing_before_the_second_factor(client, factory, home):
    user = factory()
    authenticator_for(user)
    sign_in_with_password(client, user)

    response = client.get(reverse(home))

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next={reverse(home).replace('/', '%2F')}"
    assert client.post(VERIFY, {"token": current_code(authenticator_for(user))}).status_code == 302
    assert client.get(reverse(home)).status_code == 200


def test_a_district_user_will_need_it_too():
    assert roles.requires_second_factor(User(role="district"))
    assert not roles.requires_second_factor(User(role=Role.APPLICANT))


def test_wrong_code_is_refused_in_chinese(client):
    staff = StaffFactory()
    authenticator_for(staff)
    sign_in_with_password(client, staff)

    response = client.post(VERIFY, {"token": "000000"})

    assert "验证码不正确或已使用过" in response.content.decode()
    assert client.get(reverse("review:queue")).status_code == 302


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client):
    staff = StaffFactory()
    sign_in_with_password(client, staff)

    response = client.get(reverse("review:queue"), follow=True)

    assert response.redirect_chain[-1][0].startswith(SETUP)
    page = response.content.decode()
    assert "登录时除密码外还须输入手机验证器生成的验证码" in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_applicant_signs_in_with_the_password_alone(client):
    applicant = UserFactory()
    sign_in_with_password(client, applicant)

    assert client.get(reverse("filings:dashboard")).status_code == 200


def test_applicant_who_opts_in_is_asked_for_the_code_from_then_on(client):
    applicant = UserFactory()
    sign_in_with_password(client, applicant)
    page = client.get(SETUP).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=applicant, confirmed=False)
    assert secret.replace(" ", "") == second_factor.totp_secret(device).replace(" ", "")

    shown = client.post(SETUP, {"token": current_code(device)})

    codes = re.findall(r"<li>([0-9a-f]{10})</li>", shown.content.decode())
    assert len(codes) == 10
    client.post(reverse("accounts:logout"))
    other = Client()
    sign_in_with_password(other, applicant)
    assert other.get(reverse("filings:dashboard"))["Location"].startswith(VERIFY)


def test_recovery_code_signs_in_once(client):
    staff = StaffFactory()
    authenticator_for(staff)
    codes = second_factor.recovery_codes_issue(user=staff)
    sign_in_with_password(client, staff)

    response = client.post(VERIFY, {"token": codes[0]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert "您使用了一个恢复码，还剩 9 个" in response.content.decode()
    again = Client()
    sign_in_with_password(again, staff)
    assert "验证码不正确或已使用过" in again.post(VERIFY, {"token": codes[0]}).content.decode()


def test_password_alone_cannot_replace_an_authenticator(client):
    staff = StaffFactory()
    authenticator_for(staff)
    sign_in_with_password(client, staff)

    response = client.get(SETUP)

    assert response["Location"] == VERIFY
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()


def test_administrator_resets_a_lost_second_factor(client):
    staff = StaffFactory()
    staff_session = Client()
    staff_session.force_login(staff)  # signs in with the authenticator
    second_factor.recovery_codes_issue(user=staff)
    assert staff_session.get(reverse("review:queue")).status_code == 200
    client.force_login(AdminFactory())

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [staff.pk]},
        follow=True,
    )

    assert "已重置 1 个用户的两步验证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert staff_session.get(reverse("review:queue")).status_code == 302  # signed out
    assert not any(s.get_decoded().get("_auth_user_id") == str(staff.pk) for s in Session.objects.all())
    fresh = Client()
    sign_in_with_password(fresh, staff)
    assert fresh.get(reverse("review:queue"))["Location"].startswith(SETUP)


def test_a_user_given_a_bureau_role_while_signed_in_is_asked_at_once(client):
    user = UserFactory()
    sign_in_with_password(client, user)
    assert client.get(reverse("filings:dashboard")).status_code == 200

    User.objects.filter(pk=user.pk).update(role=Role.STAFF, organisation=None)

    assert client.get(reverse("review:queue"))["Location"].startswith(SETUP)


def test_guessing_codes_is_paused_after_wrong_ones(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    staff = StaffFactory()
    device = authenticator_for(staff)
    sign_in_with_password(client, staff)
    client.post(VERIFY, {"token": "000000"})

    refused = client.post(VERIFY, {"token": current_code(device)})

    assert "验证码错误次数过多，请于" in refused.content.decode()
    assert client.get(reverse("review:queue")).status_code == 302
