"""Queued work (申请书PDF, e-mails) survives the faults of its broker, workers and database.

Real processes throughout: a Redis of the test's own (stopped and restarted empty at
will), Celery worker processes, gunicorn, and PostgreSQL (behind a proxy that can
refuse it). CI runs these with DATABASE_URL set; on SQLite they skip.
"""

import re
import shutil
import sys
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from filings import outbox, services
from filings.models import Filing, FilingEvent, OutboxMessage, VersionDocument
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.processes import (
    Browser,
    Process,
    RedisServer,
    TcpProxy,
    database_url,
    free_port,
    portal_env,
    start_web,
    start_worker,
    wait_until,
)
from filings.tests.threads import run_at_once

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("the fault tests run against PostgreSQL (CI sets DATABASE_URL)")
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (the CI script installs it)")


def _reset_broker_connections(app) -> None:
    # The app caches its connection and producer pools for the URL it first used.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis, monkeypatch, settings):
    """This process publishes to the test's own Redis, as a web process of the portal would."""
    from portal.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)
    app.conf.broker_url = redis.url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _reset_broker_connections(app)
    yield redis
    app.conf.broker_url, app.conf.task_always_eager = previous
    _reset_broker_connections(app)


@pytest.fixture
def processes():
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def mails_to(output: str, address: str) -> int:
    return len(re.findall(rf"^To: {re.escape(address)}$", output, flags=re.MULTILINE))


def relay_until(condition, *, timeout: float, message: str) -> float:
    """Runs the relay (as beat does) until condition() holds."""

    def relayed():
        outbox.outbox_relay(older_than_seconds=0)
        return condition()

    return wait_until(relayed, timeout=timeout, interval=0.5, message=message)


def test_a_stopped_broker_does_not_hold_up_a_submission(broker, processes, tmp_path):
    """The web process is gunicorn with the broker (and, by default, the result backend) on a stopped Redis."""
    broker.stop()
    filing = complete_alliance_filing()
    client = Client()
    client.force_login(filing.created_by)
    port = free_port()
    processes.append(
        start_web(
            port=port, CELERY_BROKER_URL=broker.url, DATABASE_URL=database_url(), DJANGO_MEDIA_ROOT=tmp_path / "media"
        )
    )
    browser = Browser(f"http://127.0.0.1:{port}", client.session.session_key)
    status, _, page, _ = browser.request(reverse("filings:submit", args=[filing.pk]))
    assert status == 200, page[-2000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    status, _, _, seconds = browser.request(
        reverse("filings:submit", args=[filing.pk]), data={"csrfmiddlewaretoken": token}, timeout=60
    )

    assert status == 302, processes[0].text[-3000:]
    assert seconds < 3
    version = Filing.objects.get(pk=filing.pk).versions.get()
    message = OutboxMessage.objects.get(key=f"pdf:{version.pk}")
    assert message.dispatched_at is None
    assert "Error" in message.last_error

    # The broker comes back: the relay sends what waited, a worker renders it.
    broker.start()
    worker = start_worker(broker_url=broker.url, media_root=tmp_path / "media", name="back")
    processes.append(worker)
    relay_until(
        lambda: VersionDocument.objects.filter(version=version).exists(),
        timeout=90,
        message=lambda: f"no PDF after the broker came back:\n{worker.text[-3000:]}",
    )


def test_a_broker_restarted_empty_loses_no_pdf_and_no_mail(broker, processes, settings, tmp_path):
    settings.OUTBOX_REDELIVER_SECONDS = 5
    # Five submissions while no worker runs: published, waiting in Redis.
    filings = [complete_alliance_filing() for _ in range(5)]
    versions = [services.filing_submit(filing=f, actor=f.created_by) for f in filings]
    keys = [f"pdf:{v.pk}" for v in versions]
    assert OutboxMessage.objects.filter(key__in=keys, dispatched_at__isnull=False).count() == 5
    assert int(broker.command("LLEN", "celery")) == 10  # five renders, five e-mails

    # Redis restarts without persistence: the queue is gone.
    broker.stop()
    broker.start()
    assert int(broker.command("LLEN", "celery")) == 0
    worker = start_worker(broker_url=broker.url, media_root=tmp_path / "media", name="after-restart")
    processes.append(worker)

    relay_until(
        lambda: OutboxMessage.objects.filter(done_at__isnull=True).count() == 0,
        timeout=180,
        message=lambda: f"work lost with the broker's queue:\n{worker.text[-3000:]}",
    )

    assert VersionDocument.objects.filter(version__in=versions).count() == 5
    # Exactly once: one stored PDF per version, one e-mail per submission.
    assert len(list((tmp_path / "media" / "documents").rglob("*.pdf"))) == 5
    time.sleep(1)  # the worker's last lines
    assert [mails_to(worker.text, f.created_by.email) for f in filings] == [1] * 5


def test_a_worker_killed_mid_render_costs_a_bounded_delay(broker, processes, settings, tmp_path):
    settings.OUTBOX_REDELIVER_SECONDS = 5
    first = start_worker(broker_url=broker.url, media_root=tmp_path / "media", name="killed")
    processes.append(first)
    wait_until(first.alive, timeout=5)
    time.sleep(3)  # the worker has connected
    filing = complete_alliance_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)

    # The worker has taken the render (Redis holds it as unacknowledged) and dies.
    wait_until(lambda: int(broker.command("HLEN", "unacked")) > 0, timeout=60, interval=0.02)
    first.kill()
    assert not VersionDocument.objects.filter(version=version).exists()
    second = start_worker(broker_url=broker.url, media_root=tmp_path / "media", name="survivor")
    processes.append(second)

    seconds = relay_until(
        lambda: VersionDocument.objects.filter(version=version).exists(),
        timeout=60,
        message=lambda: f"the killed worker's render never came back:\n{second.text[-3000:]}",
    )

    assert seconds < 60
    message = OutboxMessage.objects.get(key=f"pdf:{version.pk}")
    assert message.done_at is not None
    assert message.attempts >= 2


def test_two_relays_at_once_send_each_message_once(broker):
    filings = [complete_alliance_filing() for _ in range(3)]
    events = [
        FilingEvent.objects.create(filing=f, action="submit", from_state="draft", to_state="submitted")
        for f in filings
        for _ in range(20)
    ]
    for event in events:
        OutboxMessage.objects.create(
            task="filings.tasks.notify_state_change", key=f"notify:{event.pk}", kwargs={"event_id": event.pk}
        )

    results = run_at_once([lambda: outbox.outbox_relay(older_than_seconds=0) for _ in range(2)])

    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 60
    assert int(broker.command("LLEN", "celery")) == 60
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_the_relay_loop_rides_out_a_database_blip(processes, tmp_path):
    name = f"relay-{time.monotonic_ns()}"
    relay = Process(
        [*(sys.executable, "manage.py", "outbox_relay", "--loop", "--interval", "0.3")],
        portal_env(DATABASE_URL=database_url(application_name=name), CELERY_BROKER_URL=None, PORTAL_VAR_DIR=tmp_path),
    )
    processes.append(relay)
    filing = complete_alliance_filing()

    def queue_mail() -> OutboxMessage:
        event = FilingEvent.objects.create(filing=filing, action="submit", from_state="draft", to_state="submitted")
        return OutboxMessage.objects.create(
            task="filings.tasks.notify_state_change", key=f"notify:{event.pk}", kwargs={"event_id": event.pk}
        )

    before = queue_mail()
    wait_until(lambda: OutboxMessage.objects.get(pk=before.pk).done_at, timeout=60, message=lambda: relay.text[-3000:])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [name])
        assert cursor.fetchall(), "the relay had no connection to terminate"
    time.sleep(1)
    after = queue_mail()

    wait_until(
        lambda: OutboxMessage.objects.get(pk=after.pk).done_at,
        timeout=30,
        message=lambda: f"the relay did not come back:\n{relay.text[-3000:]}",
    )
    assert relay.alive()


def test_mails_queued_while_the_database_refuses_are_all_sent(broker, processes, tmp_path):
    proxy = TcpProxy(int(connection.settings_dict["PORT"] or 5432))
    try:
        worker = start_worker(
            broker_url=broker.url,
            media_root=tmp_path / "media",
            name="refused",
            loglevel="INFO",
            DATABASE_URL=database_url(port=proxy.port),
        )
        processes.append(worker)
        time.sleep(3)
        filings = [complete_alliance_filing() for _ in range(4)]
        events = [
            FilingEvent.objects.create(filing=f, action="submit", from_state="draft", to_state="submitted")
            for f in filings
        ]
        proxy.refuse()
        for event in events:
            outbox.outbox_enqueue(task="filings.tasks.notify_state_change", key=f"notify:{event.pk}", event_id=event.pk)
        time.sleep(8)  # every first try meets the refusal
        proxy.accept()

        wait_until(
            lambda: OutboxMessage.objects.filter(key__startswith="notify:", done_at__isnull=True).count() == 0,
            timeout=90,
            message=lambda: f"mails lost to the refusal:\n{worker.text[-3000:]}",
        )
    finally:
        proxy.close()
    time.sleep(1)
    assert [mails_to(worker.text, f.created_by.email) for f in filings] == [1] * 4
    # The refusal was met, and ridden out.
    assert re.search(r"Retry in \d+s: OperationalError", worker.text), worker.text[-3000:]


def test_a_render_over_its_time_limit_is_stopped_and_shown_as_failed(broker, processes, tmp_path, client):
    # A prefork worker (time limits need it) whose renders may take a twentieth of a second.
    worker = start_worker(
        broker_url=broker.url,
        media_root=tmp_path / "media",
        name="limited",
        pool="prefork",
        PORTAL_RENDER_SOFT_SECONDS="0.05",
        PORTAL_RENDER_HARD_SECONDS="5",
    )
    processes.append(worker)
    filing = complete_alliance_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)

    wait_until(
        lambda: OutboxMessage.objects.get(key=f"pdf:{version.pk}").dead_at,
        timeout=120,
        message=lambda: f"the render was not stopped:\n{worker.text[-3000:]}",
    )

    message = OutboxMessage.objects.get(key=f"pdf:{version.pk}")
    assert "SoftTimeLimitExceeded" in message.last_error
    assert not VersionDocument.objects.filter(version=version).exists()
    client.force_login(filing.created_by)
    status = client.get(reverse("filings:document-status", args=[filing.pk, version.number])).json()
    assert status["state"] == "failed"
