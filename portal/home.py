"""Pages anyone may read, without logging in."""

from django.shortcuts import render
from django.utils import timezone

from filings import kinds, selectors


def home(request):
    now = timezone.now()
    calls = list(selectors.calls_for_public()[:50])
    open_calls = [c for c in calls if c.is_open(now) or c.has_not_opened(now)]
    closed_calls = [c for c in calls if not (c.is_open(now) or c.has_not_opened(now))]
    return render(
        request,
        "public/home.html",
        {
            "open_calls": sorted(open_calls, key=lambda c: c.closes_at),
            "closed_calls": closed_calls,
            "now": now,
            "available_kinds": {code for code in (c.kind for c in calls) if kinds.is_available(code)},
        },
    )
