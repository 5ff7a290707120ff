"""Reads of the publicity: batches the public sees, calls with filings ready for publicity."""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from filings import labels
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


def publicity_batch_for_public(pk: int) -> PublicityBatch | None:
    """A published 公示 with its call, or None. A batch is written once, when it is published (a
    state change), and never edited; a change to its call retires the cache too (filings.signals)."""
    found = PublicityBatch.objects.select_related("call").filter(pk=pk)
    # A list in the cache: None itself would read as a miss.
    return cached_for_state(f"publicity-batch:{pk}", lambda: [found.first()])[0]


def batch_entry_ids(batch: PublicityBatch) -> list[int]:
    """The ids of a 公示's entries in their order: written with the batch and fixed from then on,
    read from the order index once per state change; each page is a slice of them."""
    ordered = batch.entries.order_by("position", "id").values_list("pk", flat=True)
    return cached_for_state(f"publicity-entry-ids:{batch.pk}", lambda: list(ordered))


# What a row of a 公示 shows (publicity_rows), in this order, and no more.
PUBLIC_ROW_FIELDS = (
    "pk", "filing__number", "filing__title", "filing__kind", "filing__organisation__name",
    "filing__district", "filing__industry",
)


def publicity_rows(entries: list[tuple], start: int, running: bool, page_number: int) -> list[dict]:
    """What each row of a 公示 shows (`entries` as PUBLIC_ROW_FIELDS), its labels translated once
    for the process (filings.labels)."""
    kind_labels, district_labels = labels.kind_labels(), labels.district_labels()
    page_query = f"page={page_number}&" if page_number > 1 else ""
    return [
        {
            "position": start + n,
            "number": number,
            "title": title,
            "kind": kind_labels.get(kind, kind),
            "organisation": organisation,
            "district": district_labels.get(district, district),
            "industry": industry,
            "objection_url": f"?{page_query}entry={pk}#objection" if running else "",
        }
        for n, (pk, number, title, kind, organisation, district, industry) in enumerate(entries)
    ]
