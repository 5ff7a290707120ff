"""Structured request and audit logs carry the request id; the error page shows it."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.workflow import filing_transition
from portal.tests.test_settings import ROOT, SERVICE_VARIABLES

pytestmark = pytest.mark.django_db


def records(caplog, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger]


def test_error_page_shows_the_request_id_and_no_traceback(settings, caplog):
    settings.ROOT_URLCONF = "portal.tests.failing_urls"
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    request_id = response["X-Request-ID"]
    page = response.content.decode()
    assert response.status_code == 500
    assert len(request_id) == 32
    assert f"请求编号：<code>{request_id}</code>" in page
    assert "Traceback" not in page and "RuntimeError" not in page
    [error] = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert error.request_id == request_id
    assert error.exc_info[0] is RuntimeError


def test_request_log_says_who_what_and_from_where(client, caplog):
    user = UserFactory()
    client.force_login(user)
    caplog.set_level(logging.INFO, logger="portal.request")

    response = client.get(reverse("filings:dashboard"), REMOTE_ADDR="203.0.113.7")

    [line] = [r for r in records(caplog, "portal.request") if r.path == reverse("filings:dashboard")]
    assert (line.user_id, line.role, line.method, line.status, line.client_ip) == (
        user.pk,
        "applicant",
        "GET",
        200,
        "203.0.113.7",
    )
    assert line.request_id == response["X-Request-ID"]


def test_audit_log_records_sign_ins_and_failed_sign_ins(client, caplog):
    user = UserFactory()
    caplog.set_level(logging.INFO, logger="portal.audit")

    client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"}, REMOTE_ADDR="198.51.100.2")
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.2")

    failed, signed_in = records(caplog, "portal.audit")[:2]
    assert (failed.getMessage(), failed.username, failed.client_ip) == ("login_failed", user.email, "198.51.100.2")
    assert (signed_in.getMessage(), signed_in.user_id, signed_in.client_ip) == ("login", user.pk, "198.51.100.2")
    assert signed_in.request_id and signed_in.request_id != failed.request_id
    assert not any(PASSWORD in str(vars(r)) for r in records(caplog, "portal.audit"))


@pytest.fixture
def celery_finalised():
    """Celery's Django fix-up sets logging up again when the app is finalised (on the first
    task sent), which would drop the test's log capture: finalise before the test starts."""
    from portal.celery import app

    app.finalize()


def test_audit_log_records_each_transition_once_committed(caplog, celery_finalised, django_capture_on_commit_callbacks):
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.SUBMITTED)  # test setup
    staff = StaffFactory()
    caplog.set_level(logging.INFO, logger="portal.audit")

    with django_capture_on_commit_callbacks(execute=True):
        filing_transition(filing=filing, action="return", actor=staff, comment="请补充章程", client_ip="192.0.2.9")

    [line] = [r for r in records(caplog, "portal.audit") if r.getMessage() == "filing_transition"]
    assert (line.user_id, line.role, line.filing_id, line.action, line.from_state, line.to_state, line.client_ip) == (
        staff.pk,
        "staff",
        filing.pk,
        "return",
        State.SUBMITTED,
        State.RETURNED,
        "192.0.2.9",
    )


def test_log_files_rotate_daily_and_keep_the_configured_days(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(PORTAL_LOG_DIR=str(tmp_path), PORTAL_LOG_RETENTION_DAYS="183", DJANGO_SETTINGS_MODULE="portal.settings")
    code = """
import django, logging
django.setup()
from portal.logs import audit
audit("login", client_ip="192.0.2.1")
for handler in logging.getLogger("portal.audit").handlers:
    print(type(handler).__name__, handler.when, handler.backupCount)
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)

    assert run.stdout.split() == ["TimedRotatingFileHandler", "MIDNIGHT", "183"]
    line = json.loads((tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()[-1])
    assert (line["logger"], line["message"], line["client_ip"]) == ("portal.audit", "login", "192.0.2.1")
    assert {"time", "level", "request_id", "user_id"} <= line.keys()
