"""In front of the API's views: the per-address rate limit, then a short cache of the rendered
answer, as for the public pages (portal/cache.py): every state change retires it, and it lives
at most PUBLIC_CACHE_SECONDS. The limit comes first, so a cached answer still counts."""

import hashlib
import math
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from api.throttling import PerAddressThrottle
from portal.cache import state_generation


def _key(request) -> str:
    # The same path answers JSON or CSV by the Accept header: both are part of the key.
    text = f"{request.get_full_path()}\n{request.headers.get('Accept', '')}"
    return f"api:{state_generation()}:{hashlib.sha1(text.encode()).hexdigest()}"


def _plain(response) -> HttpResponse:
    """The rendered answer as a plain response: what the cache keeps, and what the conditional
    GET around it can replace with a 304 (it cannot replace an already rendered DRF Response)."""
    if hasattr(response, "render") and callable(response.render):
        response.render()
    plain = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    return plain


def rate_limited_and_cached(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        throttle = PerAddressThrottle()
        if not throttle.allow_request(request, None):
            wait = throttle.wait()
            seconds = math.ceil(wait) if wait is not None else 60
            response = JsonResponse(
                {"detail": _("请求过于频繁，请 %(seconds)s 秒后再试。") % {"seconds": seconds}}, status=429
            )
            response["Retry-After"] = str(seconds)
            return response
        if request.method not in ("GET", "HEAD") or not settings.PUBLIC_CACHE_SECONDS:
            return _plain(view(request, *args, **kwargs))
        key = _key(request)
        response = cache.get(key)
        if response is None:
            response = _plain(view(request, *args, **kwargs))
            if response.status_code == 200 and not response.cookies:
                cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapped
