"""Rate limits of the public doors (django-ratelimit), counted per client address.

Each limit is read from settings at request time (RATE_LIMITS, set from PORTAL_RATE_*
variables), so that an operator can tighten one without a release. The counts live in
the default cache: with REDIS_CACHE_URL they are shared by every worker process.
"""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.decorators import ratelimit

from portal.http import client_ip


def client_ip_key(group: str, request) -> str:
    return client_ip(request) or "unknown"


def client_ip_and_path_key(group: str, request) -> str:
    return f"{client_ip_key(group, request)} {request.path}"


def per_ip(name: str, *, rate: str | None = None, per_path: bool = False, block: bool = True):
    """Limits POSTs to the view by client address (and page, with per_path): over the limit it
    answers 429 (see `ratelimited`), or with block=False leaves `request.limited` for the view
    to answer in its own page. Without `rate`, the limit is settings.RATE_LIMITS[name]."""

    def setting_rate(group: str, request) -> str:
        return settings.RATE_LIMITS[name]

    return ratelimit(
        group=f"portal.{name}",
        key=client_ip_and_path_key if per_path else client_ip_key,
        rate=rate or setting_rate,
        method="POST",
        block=block,
    )


def ratelimited(request, exception):
    """RATELIMIT_VIEW: the page for a refused request, in Chinese, with 429."""
    return render(request, "429.html", status=429)
