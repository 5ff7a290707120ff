"""A real task through a real broker to a real worker process (CI runs this against Redis)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from portal import tasks

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real broker); CI sets it")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"test-{os.getpid()}@%h",
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


def test_task_goes_through_the_broker_to_a_worker_process(worker):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    started = time.monotonic()

    result = tasks.ping.delay().get(timeout=60)

    assert result["pong"] is True
    assert worker.poll() is None, "the worker died"
    assert time.monotonic() - started < 60
