"""A district bureau's reads: its own area's filings, nothing of another's."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from filings.models import Filing
from filings.states import State
from review.district.scope import in_area


def filings_for_district(*, area: str, q: str = "") -> QuerySet[Filing]:
    filings = Filing.objects.exclude(state=State.DRAFT).filter(in_area(area)).select_related("organisation", "call")
    q = q.strip()
    if q:
        filings = filings.filter(
            Q(title__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__uscc__startswith=q.upper())
            | Q(number__startswith=q.upper())
        )
    return filings.order_by("-submitted_at", "-id")


def filing_for_district(*, area: str, pk: int) -> Filing:
    """Another area's filing is a 404, the same as a missing one."""
    filings = Filing.objects.exclude(state=State.DRAFT).filter(in_area(area)).select_related("call", "organisation")
    return get_object_or_404(filings, pk=pk)
