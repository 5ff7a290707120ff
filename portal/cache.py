"""Short-lived caching of what only a state change alters: public pages, queue counts.

Public pages (registry, publicity lists) are read far more often than they change.
Anonymous GETs are served from the cache for PUBLIC_CACHE_SECONDS; every state change
bumps a generation number after commit, which retires every cached page at once.
With a shared cache (REDIS_CACHE_URL) that is immediate for all workers; with the
per-process default a worker may serve a page up to PUBLIC_CACHE_SECONDS old.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "filings:state-generation"


def _digest(text: str) -> str:
    # Keys carry Chinese query strings; a digest keeps them valid for every cache backend.
    return hashlib.sha1(text.encode()).hexdigest()


def state_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def bump_state_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cache_public_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # Only visitors without a session or pending messages: their pages are all alike.
        anonymous = request.method in ("GET", "HEAD") and not (set(request.COOKIES) - {settings.CSRF_COOKIE_NAME})
        if not anonymous or not settings.PUBLIC_CACHE_SECONDS:
            return view(request, *args, **kwargs)
        key = f"public-pages:{state_generation()}:{_digest(request.get_full_path())}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
        return response

    return wrapped


def cached_for_state(key: str, compute, seconds: int = 30):
    """compute() cached until the next state change (or `seconds`, whichever comes first)."""
    full_key = f"state:{state_generation()}:{_digest(key)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, seconds)
    return value
