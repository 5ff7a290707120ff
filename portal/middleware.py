"""Answers that protect the portal before a view runs, or when its database is away."""

import logging
import sys
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from portal.http import client_ip

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
    """A request that loses the database answers 503 with our own page, not 500, wherever the
    error arose: in a view (process_exception), or in a middleware, a context processor or the
    session's save, which Django turns into a 500 response (or, with DEBUG, its English
    traceback) before any middleware sees the exception: the got_request_exception signal
    notes it on the request, and this middleware, the outermost, answers for it.
    (portal.views.server_error does the same for handler500.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            if request.path == reverse("health"):
                # The health check speaks JSON to its load balancer, whatever failed first.
                return JsonResponse({"database": "unavailable"}, status=503)
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response()
        return None


def _note_database_error(sender, request=None, **kwargs) -> None:
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        log.error("database unavailable: %s %s: %s", request.method, request.path, sys.exc_info()[1])
        request.database_unavailable = True


got_request_exception.connect(_note_database_error, dispatch_uid="portal-database-unavailable")


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



class SignedInNoStoreMiddleware:
    """A signed-in page is never kept by the browser or a proxy: after signing out,
    the back button or a shared computer's cache must not show it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class SessionLimitsMiddleware:
    """A session ends after SESSION_IDLE_SECONDS without a request, and in any case
    SESSION_COOKIE_AGE after signing in (ASVS V7.3). Django's own expiry moves with
    every write to the session, so it alone is no absolute limit."""

    STARTED = "portal_session_started"
    SEEN = "portal_session_seen"
    # The last-seen mark is rewritten at most this often: a write per page would cost a query.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def mark_signed_in(cls, sender, request, user, **kwargs):
        """Connected to user_logged_in: the session starts with its clock set,
        so that pages read in the same minute write nothing."""
        if request is not None and hasattr(request, "session"):
            now = int(time.time())
            request.session[cls.STARTED] = now
            request.session[cls.SEEN] = now

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.STARTED, now)
            seen = session.get(self.SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("您已较长时间未操作或登录时间已到，为保护账户安全已退出登录，请重新登录。"))
                return redirect_to_login(request.get_full_path())
            if now - seen >= self.RESOLUTION or self.SEEN not in session:
                session[self.SEEN] = now
        return self.get_response(request)


class HistoryContextMiddleware(HistoryMiddleware):
    """Each history row (django-pghistory) says who made the change, through which page and
    request, from which address. History is written by PostgreSQL triggers; on SQLite there
    is none, and the context (which PostgreSQL's set_config carries) is left out."""

    def get_context(self, request) -> dict:
        return {
            **super().get_context(request),
            "request_id": getattr(request, "id", ""),
            "client_ip": client_ip(request),
        }

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
