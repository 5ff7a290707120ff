import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from portal.http import client_ip


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
