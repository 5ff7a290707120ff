"""Structured logs: one line per request and one per audited act, each with the request id.

`portal.request` says who asked for what, from where, and what they got; `portal.audit`
records the acts the audit trail is about (sign-ins, failed sign-ins, every transition of a
filing). Both are JSON lines (python-json-logger) kept PORTAL_LOG_RETENTION_DAYS days in
PORTAL_LOG_DIR (the 网络安全法 第二十一条 asks for at least six months).
"""

import logging
import time

from log_request_id import local

from portal.http import client_ip

request_logger = logging.getLogger("portal.request")
audit_logger = logging.getLogger("portal.audit")


def current_request_id() -> str:
    return getattr(local, "request_id", "")


def install_request_id_on_records() -> None:
    """Every log record carries the request id it was written under, whichever handler writes it."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "adds_request_id", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    factory.adds_request_id = True
    logging.setLogRecordFactory(factory)


def _who(user) -> dict:
    if user is None or not user.is_authenticated:
        return {"user_id": None, "role": None}
    return {"user_id": user.pk, "role": user.role}


class RequestLogMiddleware:
    """One `portal.request` line per request: who, what, when, from where, the outcome."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        request_logger.info(
            "request",
            extra={
                **_who(getattr(request, "user", None)),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "client_ip": client_ip(request),
                "duration_ms": round((time.monotonic() - started) * 1000),
            },
        )
        return response


def audit(what: str, *, user=None, client_ip: str | None = None, **details) -> None:
    audit_logger.info(what, extra={**_who(user), "client_ip": client_ip, **details})


def filing_event_logged(event) -> None:
    audit(
        "filing_transition",
        user=event.actor,
        client_ip=event.client_ip,
        filing_id=event.filing_id,
        event_id=event.pk,
        action=event.action,
        from_state=event.from_state,
        to_state=event.to_state,
    )


def on_logged_in(sender, request, user, **kwargs):
    audit("login", user=user, client_ip=client_ip(request) if request else None)


def on_logged_out(sender, request, user, **kwargs):
    audit("logout", user=user, client_ip=client_ip(request) if request else None)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # The account name tried, never the password.
    audit("login_failed", username=credentials.get("username"), client_ip=client_ip(request) if request else None)
