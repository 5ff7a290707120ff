"""The portal behind gunicorn while its cache, its database or its broker is away.

Real processes: gunicorn with the deployed configuration, PostgreSQL (behind a proxy
that can refuse it), a Redis of the test's own. On SQLite these skip.
"""

import shutil

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from filings.tests.processes import Browser, RedisServer, TcpProxy, database_url, free_port, start_web

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAGES = ["public:home", "public:registry", "public:publicity-list", "accounts:login", "filings:dashboard"]


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the outage tests run against PostgreSQL (CI sets DATABASE_URL)")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (the CI script installs it)")


@pytest.fixture
def servers():
    started = []
    yield started
    for process in started:
        process.stop()


def signed_in_session() -> str:
    client = Client()
    client.force_login(UserFactory())
    return client.session.session_key


def test_pages_are_served_while_the_cache_is_down(servers, tmp_path):
    cache = RedisServer(tmp_path).start()
    cache.stop()  # nothing answers on its port
    port = free_port()
    servers.append(start_web(port=port, DATABASE_URL=database_url(), REDIS_CACHE_URL=cache.url))
    visitor = Browser(f"http://127.0.0.1:{port}")
    applicant = Browser(f"http://127.0.0.1:{port}", signed_in_session())

    answers = {name: (applicant if name.startswith("filings") else visitor).request(reverse(name)) for name in PAGES}

    assert {name: status for name, (status, *_) in answers.items()} == dict.fromkeys(PAGES, 200), servers[0].text[
        -3000:
    ]
    assert "申报" in answers["filings:dashboard"][2]  # the applicant's own page, signed in
    status, _, body, _ = visitor.request("/health/")
    assert status == 200
    assert '"cache": "unavailable"' in body and '"database": "ok"' in body


def test_a_refused_database_answers_503_in_chinese_then_recovers_without_a_restart(servers):
    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    try:
        port = free_port()
        servers.append(start_web(port=port, DATABASE_URL=database_url(port=proxy.port), PORTAL_PUBLIC_CACHE_SECONDS=0))
        visitor = Browser(f"http://127.0.0.1:{port}")
        applicant = Browser(f"http://127.0.0.1:{port}", signed_in_session())
        assert applicant.request(reverse("filings:dashboard"))[0] == 200

        proxy.refuse()
        # The applicant's own page and the visitor's. The sign-in form reads nothing from the database
        # (nor does a signed-in user, who is read from the cache): it is still shown.
        refused = {
            name: (applicant if name.startswith("filings") else visitor).request(reverse(name))
            for name in PAGES
            if name != "accounts:login"
        }
        sign_in = visitor.request(reverse("accounts:login"))
        health = applicant.request("/health/")
        proxy.accept()
        recovered = applicant.request(reverse("filings:dashboard"))
    finally:
        proxy.close()

    for name, (status, headers, body, _) in refused.items():
        assert status == 503, (name, body[:500])
        assert headers["Retry-After"] == "30"
        assert "系统暂时无法访问" in body
        assert "Traceback" not in body
    assert sign_in[0] == 200
    assert health[0] == 503 and '"database": "unavailable' in health[2]
    assert recovered[0] == 200


def test_health_reports_the_broker_apart_from_the_database(servers, tmp_path):
    broker = RedisServer(tmp_path).start()
    port = free_port()
    servers.append(start_web(port=port, DATABASE_URL=database_url(), CELERY_BROKER_URL=broker.url))
    visitor = Browser(f"http://127.0.0.1:{port}")
    up = visitor.request("/health/")
    broker.stop()
    down = visitor.request("/health/")

    assert up[0] == 200 and '"broker": "ok"' in up[2] and '"workers": "none answering"' in up[2]
    assert down[0] == 200
    assert '"database": "ok"' in down[2] and '"broker": "unavailable' in down[2]
    assert down[3] < 5
