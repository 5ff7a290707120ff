"""Reads of the applicant side. Every read is scoped to the user who asks."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from filings.models import Call, Filing


def calls_for_public() -> QuerySet[Call]:
    return Call.objects.order_by("-closes_at")


def filings_for_applicant(user) -> QuerySet[Filing]:
    return Filing.objects.filter(organisation_id=user.organisation_id).select_related("call")


def filing_for_applicant(user, pk: int) -> Filing:
    """Another organisation's filing is a 404, the same as a missing one."""
    return get_object_or_404(filings_for_applicant(user), pk=pk)
