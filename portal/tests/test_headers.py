"""Security headers on each kind of page: public, applicant, staff, expert, admin."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, ExpertFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}
SIGNED_IN_PAGES = [
    (UserFactory, "filings:dashboard"),
    (StaffFactory, "review:queue"),
    (ExpertFactory, "review:expert-home"),
    (AdminFactory, "admin:index"),
]


def assert_protected(response):
    assert response.status_code == 200
    assert {part.strip() for part in response["Content-Security-Policy"].split(";")} == CSP
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url_name", ["public:home", "public:publicity-list", "public:registry", "public:verify-form"])
def test_public_page_has_csp_and_permissions_policy(client, url_name):
    response = client.get(reverse(url_name))

    assert_protected(response)
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize(("factory", "url_name"), SIGNED_IN_PAGES)
def test_signed_in_page_is_never_stored(client, factory, url_name):
    client.force_login(factory())

    response = client.get(reverse(url_name))

    assert_protected(response)
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
