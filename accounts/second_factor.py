"""Two-factor sign-in (django-otp): a TOTP authenticator, with one-time recovery codes.

Required for the roles in accounts.roles.SECOND_FACTOR_ROLES; an applicant who sets up an
authenticator is asked for it from then on. Whether a session still owes its second factor
is decided once, at sign-in, and kept in the session: pages read no device rows.
"""

import secrets
from base64 import b32encode, b64encode
from binascii import unhexlify
from io import BytesIO

import segno
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from portal import logs

REQUIRED_SESSION_KEY = "second_factor_required"
RECOVERY_CODE_COUNT = 10


def is_verified(session: SessionBase) -> bool:
    return DEVICE_ID_SESSION_KEY in session


def is_required(user) -> bool:
    return roles.requires_second_factor(user) or user_has_device(user, confirmed=True)


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """Connected to user_logged_in: notes in the new session whether it owes a second factor."""
    if request is not None and hasattr(request, "session"):
        request.session[REQUIRED_SESSION_KEY] = is_required(user)


def _devices_for_token(user, token: str):
    """Six digits are an authenticator's code, anything else a recovery code: a mistyped
    recovery code never counts as a wrong guess of the authenticator's, nor the reverse."""
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    return [d for d in devices_for_user(user, confirmed=True) if isinstance(d, model)]


def normalise_token(token: str) -> str:
    return "".join(token.split()).lower()


def device_verify(*, request, token: str):
    """Checks a code against the user's authenticator, or their recovery codes (each usable
    once); on success the session counts as verified. Returns the device or None."""
    user = request.user
    token = normalise_token(token)
    for device in _devices_for_token(user, token):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            otp_login(request, verified)
            logs.audit("second_factor_verified", user=user, device=type(verified).__name__)
            return verified
    logs.audit("second_factor_failed", user=user)
    return None


def locked_until(user, token: str):
    """When guessing such a code is paused (django-otp doubles the pause at each wrong code,
    OTP_TOTP_THROTTLE_FACTOR seconds at first), or None."""
    for device in _devices_for_token(user, normalise_token(token)):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            return info["locked_until"]
    return None


def pending_totp_device(*, user) -> TOTPDevice:
    """The authenticator being set up: an unconfirmed device, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32, in groups of four."""
    key = b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address (issuer OTP_TOTP_ISSUER) as an SVG QR code, inline as a data: image."""
    buffer = BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode()


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Replaces the user's recovery codes with a fresh set, shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the authenticator being set up with its first code; returns the recovery codes."""
    if not device.verify_token("".join(token.split())):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=device.user)
    otp_login(request, device)
    request.session[REQUIRED_SESSION_KEY] = True
    logs.audit("second_factor_set_up", user=device.user)
    return codes


def _sessions_of(user):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            yield store(session.session_key)


@transaction.atomic
def second_factor_reset(*, user, actor) -> None:
    """An administrator's reset for a user who lost their authenticator and recovery codes:
    the devices go, the user's sessions end, and the next sign-in sets up a new authenticator."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    for store in _sessions_of(user):
        store.delete()
    logs.audit("second_factor_reset", user=actor, target_user_id=user.pk)
