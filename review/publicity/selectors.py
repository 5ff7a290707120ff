"""Reads of the publicity: batches the public sees, calls with filings ready for publicity."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from filings.models import Call
from filings.states import State
from review.models import PublicityBatch

# More than this many objections from one address to one batch in a day is refused:
# enough for anyone with real grounds, a brake on scripted flooding.
OBJECTIONS_PER_IP_PER_DAY = 5


def calls_with_reviewed_filings():
    return (
        Call.objects.annotate(reviewed=Count("filings", filter=Q(filings__state=State.REVIEWED)))
        .filter(reviewed__gt=0)
        .order_by("-closes_at")
    )


def publicity_batches_for_public():
    """Running batches first (ending soonest first), then the coming ones, then the past ones."""
    today = timezone.localdate()
    return PublicityBatch.objects.select_related("call").annotate(
        period=Case(
            When(starts_on__lte=today, ends_on__gte=today, then=Value(0)),
            When(starts_on__gt=today, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        filing_count=Count("entries"),
    )
