"""The portal on several processes (scripts/cluster.py): two web instances, two workers and beat
on one PostgreSQL and one Redis, files in S3-compatible storage. A filing is driven through both
instances by turns; each sees the same state, no public page is stale after a state change, and
the 申请书 PDF is stored once in the bucket. CI runs it with PostgreSQL and Redis."""

import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone

from accounts import roles
from accounts.tests.factories import StaffFactory
from accounts.tests.otp import authenticator_for, current_code
from filings import kinds
from filings.models import Filing, VersionDocument
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory, complete_alliance_filing
from filings.tests.threads import skip_unless_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.broker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cluster():
    skip_unless_postgres()
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real Redis); CI sets it")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    redis = settings.CELERY_BROKER_URL.rsplit("/", 1)[0]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "REDIS_CACHE", "CELERY_"))}
    env.update(DATABASE_URL=database_url, PORTAL_PUBLIC_CACHE_SECONDS="60")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "cluster.py"), "--json", "--redis", redis],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=30)
        pytest.fail("the cluster did not start")
    addresses = json.loads(line)
    yield addresses
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)


def signed_in(user, web: str) -> requests.Session:
    """A browser session for `user`, valid on every instance (sessions live in the shared database);
    a role that needs the second factor types its authenticator's code, on the instance `web`."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    browser = requests.Session()
    token = secrets.token_hex(16)
    browser.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key)
    browser.cookies.set(settings.CSRF_COOKIE_NAME, token)
    browser.csrf = token
    if roles.requires_second_factor(user):
        code = current_code(authenticator_for(user))
        given = post(browser, f"{web}/accounts/second-factor/", {"token": code})
        assert given.status_code == 302, given.text[:500]
    return browser


def post(browser: requests.Session, url: str, data: dict) -> requests.Response:
    return browser.post(url, data={**data, "csrfmiddlewaretoken": browser.csrf}, allow_redirects=False, timeout=30)


def test_a_filing_moves_through_two_web_instances_with_shared_state_cache_and_storage(cluster):
    import boto3

    first, second = cluster["web"]
    staff = StaffFactory()
    filing = complete_alliance_filing()
    applicant = filing.created_by
    waiting = AllianceFilingFactory()
    Filing.objects.filter(pk=waiting.pk).update(state=State.REVIEWED, number="LM2024-999-0001", title="待公示联盟")

    # The public list is read (and cached) on the second instance before anything is published.
    before = requests.get(f"{second}/public/publicity/", timeout=30)
    assert before.status_code == 200 and "暂无公示" in before.text

    # Staff publish a 公示 on the first instance; the second shows it at once.
    published = post(
        signed_in(staff, first),
        f"{first}/review/publicity/new/?call={waiting.call_id}",
        {"filings": [waiting.pk], "starts_on": timezone.localdate().isoformat(), "working_days": 5, "publish": "1"},
    )
    assert published.status_code == 302, published.text[:500]
    after = requests.get(f"{second}/public/publicity/", timeout=30)
    assert "暂无公示" not in after.text
    assert waiting.call.title in after.text

    # The applicant submits on the first instance; a worker renders the PDF into the bucket.
    submitted = post(signed_in(applicant, first), f"{first}/filings/{filing.pk}/submit/", {})
    assert submitted.status_code == 302, submitted.text[:500]
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    deadline = time.monotonic() + 90
    while not VersionDocument.objects.filter(version__filing=filing).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    document = VersionDocument.objects.get(version__filing=filing)
    s3 = boto3.client(
        "s3",
        endpoint_url=cluster["s3"],
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
    )
    stored = [
        o["Key"] for o in s3.list_objects_v2(Bucket=cluster["bucket"]).get("Contents", []) if "/documents/" in o["Key"]
    ]
    assert len(stored) == 1
    body = s3.get_object(Bucket=cluster["bucket"], Key=stored[0])["Body"].read()
    assert hashlib.sha256(body).hexdigest() == document.sha256

    # Staff pass the audit on the second instance; the first instance's queue shows the new state.
    checklist = {f"check_{key}": "on" for key, _label in kinds.get("ALLIANCE").audit_checklist}
    audited = post(signed_in(staff, first), f"{second}/review/filing/{filing.pk}/audit/", {"outcome": "pass", **checklist})
    assert audited.status_code == 302, audited.text[:500]
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW
    queue = signed_in(staff, first).get(f"{first}/review/", params={"state": "expert_review"}, timeout=30)
    assert filing.number in queue.text
