"""The demo prints what a demo staff user needs to pass the second factor."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.otp import current_code

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_prints_a_demo_only_key_and_recovery_codes_that_work(client):
    load_demo()
    printed = load_demo()  # twice: the printed codes are usable again

    assert "仅限演示" in printed
    assert "staff@demo.example" in printed and "applicant@demo.example" not in printed.split("两步验证")[1]
    code = re.search(r"恢复码.*?：(\S+)", printed).group(1)
    client.post(reverse("accounts:login"), {"username": "staff@demo.example", "password": "Shanghai-IP-2024"})

    response = client.post(reverse("accounts:second-factor"), {"token": code}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("review:queue")


def test_printed_key_is_the_demo_authenticator(client):
    printed = load_demo()
    secret = re.search(r"验证器密钥.*?：([A-Z2-7 ]+)", printed).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user__email="expert1@demo.example")
    client.post(reverse("accounts:login"), {"username": "expert1@demo.example", "password": "Shanghai-IP-2024"})

    response = client.post(reverse("accounts:second-factor"), {"token": current_code(device)})

    assert secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert response["Location"] == reverse("review:expert-home")
