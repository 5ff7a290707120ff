import sys

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from portal.middleware import DATABASE_ERRORS, database_unavailable_response

# How long each dependency may take to answer the health check.
PROBE_SECONDS = 1.0


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_ERRORS as error:
        return f"unavailable: {error.__class__.__name__}"
    return "ok"


def _cache() -> str:
    # The cache ignores its own errors (settings.CACHES); a written key that cannot be read back tells.
    try:
        cache.set("health:probe", "ok", 10)
        return "ok" if cache.get("health:probe") == "ok" else "unavailable"
    except Exception as error:
        return f"unavailable: {error.__class__.__name__}"


def _broker() -> str:
    from portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=PROBE_SECONDS)
    except Exception as error:
        return f"unavailable: {error.__class__.__name__}"
    return "ok"


def _workers() -> str:
    from portal.celery import app

    try:
        replies = app.control.ping(timeout=PROBE_SECONDS)
    except Exception as error:
        return f"unavailable: {error.__class__.__name__}"
    return f"ok: {len(replies)}" if replies else "none answering"


def health(request):
    """For the load balancer and operators: the database, the cache, the broker and the workers,
    each on its own. Only a database that is down makes the portal itself unavailable (503):
    without the others pages are slower, or work waits in the outbox."""
    body = {"database": _database(), "cache": _cache()}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        body["broker"] = body["workers"] = "in-process"
    else:
        body["broker"] = _broker()
        body["workers"] = _workers() if body["broker"] == "ok" else "unknown: no broker"
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)


def server_error(request, template_name="500.html"):
    """An error outside a view (a session saved after the database went away) is a 503 too."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable_response()
    # A page in Chinese with the request id to quote, never a traceback; rendered without the base
    # template, so that a broken template cannot break it too.
    return render(request, template_name, {"request_id": getattr(request, "id", "")}, status=500)
