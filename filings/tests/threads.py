"""Running service calls at the same instant, each in its own thread and database connection.

The concurrency tests prove row locks, so they need PostgreSQL (CI sets DATABASE_URL).
"""

import threading

import pytest
from django.db import connection, connections


def skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is proven on PostgreSQL (CI runs it with DATABASE_URL)")


def run_at_once(jobs):
    """Starts every job at the same instant in its own thread; returns each one's result or error."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
