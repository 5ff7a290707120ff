"""Sessions end after inactivity and at their absolute limit (ASVS V7.3)."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.middleware import SessionLimitsMiddleware

pytestmark = pytest.mark.django_db

STARTED, SEEN = SessionLimitsMiddleware.STARTED, SessionLimitsMiddleware.SEEN


def age_session(client, *, started_ago: int, seen_ago: int) -> None:
    now = int(time.time())
    session = client.session
    session[STARTED] = now - started_ago
    session[SEEN] = now - seen_ago
    session.save()


def test_session_idle_longer_than_the_limit_ends(applicant_client, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    assert applicant_client.get(reverse("filings:dashboard")).status_code == 200
    age_session(applicant_client, started_ago=31 * 60, seen_ago=31 * 60)

    response = applicant_client.get(reverse("filings:dashboard"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in applicant_client.session
    assert "为保护账户安全已退出登录" in response.content.decode()


def test_session_in_use_stays_and_is_marked_seen(applicant_client, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    age_session(applicant_client, started_ago=2 * 3600, seen_ago=29 * 60)

    response = applicant_client.get(reverse("filings:dashboard"))

    assert response.status_code == 200
    assert int(time.time()) - applicant_client.session[SEEN] < 5


def test_session_ends_at_its_absolute_limit_even_when_active(applicant_client, settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    age_session(applicant_client, started_ago=8 * 3600 + 60, seen_ago=10)

    response = applicant_client.get(reverse("filings:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in applicant_client.session


def test_session_limits_come_from_the_environment():
    import os
    import subprocess
    import sys

    from portal.tests.test_settings import ROOT, SERVICE_VARIABLES

    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(PORTAL_SESSION_IDLE_MINUTES="15", PORTAL_SESSION_MAX_HOURS="4", DJANGO_SETTINGS_MODULE="portal.settings")
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_IDLE_SECONDS, s.SESSION_COOKIE_AGE)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert out.stdout.split() == ["900", "14400"]


def test_pages_read_in_the_first_minute_write_nothing_to_the_session(applicant_client):
    url = reverse("filings:dashboard")
    applicant_client.get(url)
    with CaptureQueriesContext(connection) as queries:
        applicant_client.get(url)

    assert [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]] == []
