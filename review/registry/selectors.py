"""Reads of the public registry."""

from django.db.models import QuerySet

from filings.models import Filing
from filings.states import State


def registry_entries() -> QuerySet[Filing]:
    return (
        Filing.objects.filter(state=State.REGISTERED).select_related("organisation").order_by("-registered_at", "-id")
    )
