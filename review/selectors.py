from django.db.models import QuerySet

from filings.models import Filing
from filings.states import State


def filings_for_staff() -> QuerySet[Filing]:
    """Every filing that has been submitted at least once; drafts are the applicant's own business."""
    return (
        Filing.objects.exclude(state=State.DRAFT)
        .select_related("call", "organisation")
        .order_by("-submitted_at", "-id")
    )
