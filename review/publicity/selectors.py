"""Reads of the publicity: batches the public sees, calls with filings ready for publicity."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from accounts.models import District
from filings import kinds
from filings.models import Call
from filings.states import State
from portal.cache import cached_for_state
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


def batch_entry_count(batch: PublicityBatch) -> int:
    """How many filings a 公示 lists: fixed once it is published, counted once per state change."""
    return cached_for_state(f"publicity-entries:{batch.pk}", batch.entries.count)


def publicity_rows(entries: list, start: int, running: bool, page_number: int) -> list[dict]:
    """What each row of a 公示 shows, its labels looked up once for the page."""
    kind_labels = dict(kinds.choices())
    district_labels = dict(District.choices)
    page_query = f"page={page_number}&" if page_number > 1 else ""
    return [
        {
            "position": start + n,
            "number": entry.filing.number,
            "title": entry.filing.title,
            "kind": kind_labels.get(entry.filing.kind, entry.filing.kind),
            "organisation": entry.filing.organisation.name,
            "district": district_labels.get(entry.filing.organisation.district, entry.filing.organisation.district),
            "industry": entry.filing.industry,
            "objection_url": f"?{page_query}entry={entry.pk}#objection" if running else "",
        }
        for n, entry in enumerate(entries)
    ]
