from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from portal import tasks


def health(request):
    """For the load balancer and operators: the database, and the broker when there is one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    body = {"database": "ok", "tasks": "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else "broker"}
    if request.GET.get("worker") and not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            tasks.ping.apply_async().get(timeout=5)
            body["worker"] = "ok"
        except Exception as error:
            body["worker"] = f"unavailable: {error.__class__.__name__}"
            return JsonResponse(body, status=503)
    return JsonResponse(body)


def server_error(request):
    """handler500: a page in Chinese with the request id to quote, never a traceback.
    It renders without the base template, so that a broken template cannot break it too."""
    return render(request, "500.html", {"request_id": getattr(request, "id", "")}, status=500)
