"""Reads of the staff side. Lists cost the same number of queries however many filings they show."""

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from filings.models import Filing, FilingVersion
from filings.states import State
from portal.cache import cached_for_state
from review.models import ExpertAssignment, Objection

# ?sort= keys of the staff queue; "-" in front sorts descending.
QUEUE_SORTS = ("submitted_at", "updated_at", "number", "title")
# A column's first click: newest first for times, A→Z for the rest.
QUEUE_SORT_FIRST = {"submitted_at": "-submitted_at", "updated_at": "-updated_at", "number": "number", "title": "title"}
QUEUE_DEFAULT_SORT = "-submitted_at"
# The states a filing shows in the queue: every one but the applicant's own draft.
QUEUE_STATES = [state for state in State if state != State.DRAFT]

# Frozen findings entries with this verdict record a priority badge, not a rule's finding
# (filing_submit freezes `spec.badges(filing)` into the version's findings as such entries).
BADGE_VERDICT = "badge"
# ?objection= value: filings with an objection not yet decided (it blocks registration).
PENDING_OBJECTION = "pending"
# ?correction= value: returned filings past their 补正 deadline.
CORRECTION_OVERDUE = "overdue"


def _latest_version(filing_ref: str = "pk") -> QuerySet[FilingVersion]:
    return FilingVersion.objects.filter(filing=OuterRef(filing_ref), number=OuterRef("version"))


def _filtered(filters: dict) -> QuerySet[Filing]:
    # Drafts are the applicant's own business.
    filings = Filing.objects.exclude(state=State.DRAFT)
    if filters.get("call"):
        filings = filings.filter(call=filters["call"])
    if filters.get("kind"):
        filings = filings.filter(kind=filters["kind"])
    if filters.get("state"):
        filings = filings.filter(state=filters["state"])
    if filters.get("district"):
        filings = filings.filter(organisation__district=filters["district"])
    if filters.get("badge"):
        # The latest version's frozen findings hold its badges. A text match on the JSON, because
        # SQLite has no JSON containment; badge codes are [a-z0-9_] and never a rule id (AL-1…).
        pattern = f'"rule": "{filters["badge"]}"'
        filings = filings.filter(Exists(_latest_version().filter(findings__icontains=pattern)))
    if filters.get("objection") == PENDING_OBJECTION:
        filings = filings.filter(Exists(_pending_objections().filter(entry__filing=OuterRef("pk"))))
    if filters.get("correction") == CORRECTION_OVERDUE:
        filings = filings.filter(state=State.RETURNED, correction_due_on__lt=timezone.localdate())
    q = (filters.get("q") or "").strip()
    if q:
        filings = filings.filter(
            Q(title__icontains=q)
            | Q(organisation__name__icontains=q)
            | Q(organisation__uscc__startswith=q.upper())
            | Q(number__startswith=q.upper())
        )
    return filings


def _pending_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(decision=Objection.Decision.PENDING)


def pending_objection_counts(filings: list[Filing]) -> dict[int, int]:
    """Objections awaiting a decision, by filing id, for the filings of a queue page (one query)."""
    grouped = (
        _pending_objections()
        .filter(entry__filing__in=[f.pk for f in filings])
        .order_by()
        .values_list("entry__filing")
        .annotate(n=Count("id"))
    )
    return dict(grouped)


def objections_for_filing(filing: Filing) -> QuerySet[Objection]:
    """Every objection to the filing, pending ones first, for its staff page."""
    pending_first = Case(When(decision=Objection.Decision.PENDING, then=Value(0)), default=Value(1))
    return (
        Objection.objects.filter(entry__filing=filing)
        .select_related("entry__batch")
        .order_by(pending_first, "created_at", "id")
    )


def filings_for_staff(filters: dict | None = None) -> QuerySet[Filing]:
    """Submitted filings matching the queue's filters, sorted; the latest versions come separately."""
    filters = filters or {}
    sort = filters.get("sort") or QUEUE_DEFAULT_SORT
    if sort.lstrip("-") not in QUEUE_SORTS:
        sort = QUEUE_DEFAULT_SORT
    tie_break = "-id" if sort.startswith("-") else "id"
    return _filtered(filters).select_related("organisation").order_by(sort, tie_break)


def latest_versions(filings: list[Filing]) -> dict[int, FilingVersion]:
    """The latest version of each filing, by filing id, in one query (only what the queue shows)."""
    wanted = Q()
    for filing in filings:
        wanted |= Q(filing_id=filing.pk, number=filing.version)
    if not filings:
        return {}
    versions = FilingVersion.objects.filter(wanted).only("id", "filing_id", "number", "findings").order_by()
    return {version.filing_id: version for version in versions}


def state_counts(filters: dict | None = None) -> dict[str, int]:
    """Filings per state under the queue's other filters, in one aggregate query."""
    filters = {key: value for key, value in (filters or {}).items() if key != "state"}

    def count() -> dict[str, int]:
        grouped = dict(_filtered(filters).order_by().values_list("state").annotate(n=Count("id")))
        counts = {state.value: grouped.get(state.value, 0) for state in QUEUE_STATES}
        counts["all"] = sum(counts.values())
        return counts

    # Counts change only when a filing changes state (which retires the cached ones) or is
    # submitted for the first time (also a state change): a full scan per page view is waste.
    key = "queue-counts:" + repr(sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items()))
    return cached_for_state(key, count)


def filing_for_staff(pk: int) -> Filing:
    """A submitted filing with what its staff page shows; a draft is a 404, the same as a missing one."""
    filings = (
        Filing.objects.exclude(state=State.DRAFT)
        .select_related("call", "organisation")
        .prefetch_related(
            Prefetch(
                "expert_assignments",
                queryset=ExpertAssignment.objects.select_related("expert").order_by("assigned_at", "id"),
            )
        )
    )
    return get_object_or_404(filings, pk=pk)
