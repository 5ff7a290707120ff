"""Signing in with the second factor in tests, for real: a confirmed authenticator for the
user and its current code typed into the second-factor page."""

import re
import time
from urllib.parse import urlsplit

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles


def authenticator_for(user) -> TOTPDevice:
    """The user's authenticator, as if they had set one up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator shows now; if this step's code was already used (two sign-ins
    within 30 seconds), the next step's, which the device's tolerance accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def second_factor_complete(client, user) -> None:
    """After client.force_login(user): passes the second-factor page with a real code."""
    device = authenticator_for(user)
    response = client.post(reverse("accounts:second-factor"), {"token": current_code(device)})
    assert response.status_code == 302, response.content.decode()


def force_login_with_second_factor(original):
    """Wraps django.test.Client.force_login: a role that needs the second factor gives it."""

    def force_login(client, user, backend=None):
        original(client, user, backend)
        if roles.requires_second_factor(user):
            second_factor_complete(client, user)

    return force_login


def page_second_factor_complete(page, user) -> None:
    """In the browser, after the password step: types the authenticator's code."""
    device = authenticator_for(user)
    verify = reverse("accounts:second-factor")
    # The password step sends the user on to the second factor (to set it up, had they none yet).
    page.wait_for_url(re.compile(re.escape(verify)))
    if urlsplit(page.url).path != verify:
        page.goto(verify)
    page.get_by_label("验证码").fill(current_code(device))
    page.get_by_role("button", name="验证", exact=True).click()
