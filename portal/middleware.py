"""Answers that protect the portal before a view runs, or when its database is away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    """503 with our own page (never a traceback, even with DEBUG on) and when to come back.

    Rendered without the request: its context processors would ask the database again.
    """
    seconds = settings.PORTAL_RETRY_AFTER_SECONDS
    html = loader.get_template("503.html").render({"retry_after": seconds})
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503, not 500 (portal.views.server_error
    does the same for an error raised outside a view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response()
        return None


class RequestBodyLimitMiddleware:
    """Refuses a body larger than the largest upload allows before a byte of it is read.

    Django's own limits count form fields, not files: a 200 MB multipart body to any
    address (even the login) was streamed to disk before a view could look at its size.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            limit_mb = f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.3g}"
            html = loader.get_template("413.html").render({"limit_mb": limit_mb})
            response = HttpResponse(html, status=413, content_type="text/html; charset=utf-8")
            # The unread body is not worth keeping the connection for.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
