"""A real worker process on a real broker (CI runs this against Redis)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.broker, pytest.mark.django_db]


@pytest.fixture(scope="module")
def worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real broker); CI sets it")
    name = f"test-{os.getpid()}@portal"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1"),
            *("--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", name),
            # A queue nobody sends to: this worker must not take other tests' tasks.
            *("-Q", f"idle-{os.getpid()}"),
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_health_reports_a_worker_listening_on_the_broker(worker, client):
    process = worker
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    deadline = time.monotonic() + 60
    body = {}
    while time.monotonic() < deadline and process.poll() is None:
        body = client.get("/health/").json()
        if body["workers"].startswith("ok"):
            break
        time.sleep(0.5)

    assert body["broker"] == "ok"
    assert body["workers"].startswith("ok"), body
    assert process.poll() is None, "the worker died"
