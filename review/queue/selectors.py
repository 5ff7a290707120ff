"""Reads of the staff side. Lists cost the same number of queries however many filings they show,
and a page costs about the same at 100,000 filings as at 10,000: every filter and sort has an
index (filings 0008), the search reads trigram indexes on PostgreSQL, and the counts per state
are kept until the next state change."""

import json
from collections import namedtuple

from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from filings import labels
from filings.models import Filing, FilingStateCount
from filings.rules import findings_summary
from filings.states import State
from portal.cache import cached_for_state
from portal.lookups import contains_text
from portal.pagination import page_rows
from review import search
from review.models import ExpertAssignment, Objection

# ?sort= keys of the staff queue; "-" in front sorts descending.
QUEUE_SORTS = ("submitted_at", "updated_at", "number", "title")
# A column's first click: newest first for times, A→Z for the rest.
QUEUE_SORT_FIRST = {"submitted_at": "-submitted_at", "updated_at": "-updated_at", "number": "number", "title": "title"}
QUEUE_DEFAULT_SORT = "-submitted_at"
# The states a filing shows in the queue: every one but the applicant's own draft.
QUEUE_STATES = [state for state in State if state != State.DRAFT]

# ?objection= value: filings with an objection not yet decided (it blocks registration).
PENDING_OBJECTION = "pending"
# ?correction= value: returned filings past their 补正 deadline.
CORRECTION_OVERDUE = "overdue"


def filings_matching(q: str) -> tuple[QuerySet, Q]:
    """What a queue search matches: filings whose name contains `q`, whose number or applicant's
    统一社会信用代码 starts with it, or whose applicant's name contains it (review/search.py).

    As ids, one branch per field, each read off its own index on PostgreSQL (for the names,
    trigram indexes, filings 0008, or for one or two characters the pieces' indexes, filings 0026;
    prefix indexes for the codes); as one condition, for a broad search.
    """
    q = q.strip()
    upper = q.upper()
    ids = search.ids_of(
        Filing.objects.filter(contains_text("title", q)),
        Filing.objects.filter(number__startswith=upper),
        Filing.objects.filter(
            search.in_subquery("organisation_id", Organisation.objects.filter(contains_text("name", q)))
        ),
        Filing.objects.filter(
            search.in_subquery("organisation_id", Organisation.objects.filter(uscc__startswith=upper))
        ),
    )
    organisations = Organisation.objects.filter(Q(name__icontains=q) | Q(uscc__startswith=upper)).values("pk")
    return ids, Q(title__icontains=q) | Q(number__startswith=upper) | Q(organisation__in=organisations)


def search_is_broad(q: str) -> bool:
    return search.is_broad("queue", q.strip(), filings_matching)


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
        filings = filings.filter(district=filters["district"])
    if filters.get("badge"):
        # The latest version's badges, as the filing's findings summary keeps them. A text match on
        # the JSON, because SQLite has no JSON containment; badge codes are [a-z0-9_].
        pattern = f'"rule": "{filters["badge"]}"'
        filings = filings.filter(findings_summary__icontains=pattern)
    if filters.get("objection") == PENDING_OBJECTION:
        filings = filings.filter(Exists(_pending_objections().filter(entry__filing=OuterRef("pk"))))
    if filters.get("correction") == CORRECTION_OVERDUE:
        filings = filings.filter(state=State.RETURNED, correction_due_on__lt=timezone.localdate())
    q = (filters.get("q") or "").strip()
    if q:
        filings = search.narrowed(filings, "queue", q, filings_matching)
    return filings


def _pending_objections() -> QuerySet[Objection]:
    return Objection.objects.filter(decision=Objection.Decision.PENDING)


def pending_objection_counts(filing_ids: list[int]) -> dict[int, int]:
    """Objections awaiting a decision, by filing id, for the filings of a queue page.

    Few filings ever have one (only during a 公示, until staff decide it): the whole map is read
    by one query and kept until the next state change, or until an objection is saved or removed
    (review/publicity/signals.py). A queue page then reads none."""
    pending = cached_for_state("queue-pending-objections", _pending_objections_by_filing)
    return {pk: pending[pk] for pk in filing_ids if pk in pending}


def _pending_objections_by_filing() -> dict[int, int]:
    grouped = _pending_objections().order_by().values_list("entry__filing").annotate(n=Count("id"))
    return dict(grouped)


def objections_for_filing(filing: Filing) -> QuerySet[Objection]:
    """Every objection to the filing, pending ones first, for its staff page."""
    pending_first = Case(When(decision=Objection.Decision.PENDING, then=Value(0)), default=Value(1))
    return (
        Objection.objects.filter(entry__filing=filing)
        .select_related("entry__batch")
        .order_by(pending_first, "created_at", "id")
    )


def _sort(filters: dict) -> str:
    sort = filters.get("sort") or QUEUE_DEFAULT_SORT
    return sort if sort.lstrip("-") in QUEUE_SORTS else QUEUE_DEFAULT_SORT


def filings_for_staff(filters: dict | None = None) -> QuerySet[Filing]:
    """Submitted filings matching the queue's filters, sorted; its readers pick their columns
    (queue_page_rows, the export), and the latest versions come separately."""
    filters = filters or {}
    sort = _sort(filters)
    tie_break = "-id" if sort.startswith("-") else "id"
    return _filtered(filters).order_by(sort, tie_break)


# What a row of the queue reads of its filing, as plain values (no model is built for a row); the
# latest version's findings as their summary, kept on the filing (no version is read).
QUEUE_ROW_FIELDS = (
    "id", "kind", "state", "title", "number", "submitted_at", "updated_at", "correction_due_on",
    "organisation__name", "organisation__uscc", "district", "findings_summary",
)  # fmt: skip


QueueRow = namedtuple("QueueRow", QUEUE_ROW_FIELDS)

# The queue's filters that the kept counts are kept by, and their columns; a page's written
# statement (below) takes the state too.
_KEPT_COLUMNS = {"call": "call_id", "kind": "kind", "district": "district"}
_WRITTEN_COLUMNS = {**_KEPT_COLUMNS, "state": "state"}


def _submitted_where(filters: dict, columns: dict[str, str]) -> tuple[list[str], list]:
    """Conditions (and their values) for submitted filings, or their kept counts, equal to
    `filters` on `columns`."""
    where, params = ["state <> %s"], [State.DRAFT.value]
    for name, column in columns.items():
        if filters.get(name):
            where.append(f"{column} = %s")
            params.append(filters[name])
    return where, params


def queue_page_rows(filters: dict, offset: int, limit: int) -> list:
    """The `limit` filings from `offset` on in the queue under `filters`, each a named row of
    QUEUE_ROW_FIELDS; a deep page read by its ids (portal.pagination.page_rows).

    On PostgreSQL, a page under the usual filters (call, kind, state, district, a search that
    matches few) is read by one statement written out: the ORM took 0.85 ms a page to build,
    compile and convert it, the database 0.8 ms to run it. Every other filter goes through the ORM.
    """
    q = (filters.get("q") or "").strip()
    found = search.matches("queue", q, filings_matching) if q else None
    written = set(filters) - {"sort", "q"} <= set(_WRITTEN_COLUMNS) and (not q or found is not None)
    if connection.vendor == "postgresql" and written:
        return _written_page(filters, found, offset, limit)
    page = filings_for_staff(filters)[offset : offset + limit]
    return list(page_rows(page).values_list(*QUEUE_ROW_FIELDS, named=True))


def _written_page(filters: dict, found: search.Matches | None, offset: int, limit: int) -> list[QueueRow]:
    """`limit` rows from `offset` on of the queue under `filters` (among `found`, a narrow search's matches),
    as filings_for_staff sorts them: the page's ids off the index of that filter and sort, then
    those rows with their organisation's name and code."""
    sort = _sort(filters)
    direction = "DESC" if sort.startswith("-") else "ASC"
    order = f"{sort.lstrip('-')} {direction}, id {direction}"
    where, params = _submitted_where(filters, _WRITTEN_COLUMNS)
    if found is not None:
        where.append("id = ANY(%s::bigint[])")
        params.append(found.array_in(filters.get("state")))
    filing, organisation = Filing._meta.db_table, Organisation._meta.db_table
    sql = f"""
        SELECT f.id, f.kind, f.state, f.title, f.number, f.submitted_at, f.updated_at, f.correction_due_on,
               o.name, o.uscc, f.district, f.findings_summary
        FROM {filing} f JOIN {organisation} o ON o.id = f.organisation_id
        WHERE f.id IN (SELECT id FROM {filing} WHERE {" AND ".join(where)} ORDER BY {order} LIMIT %s OFFSET %s)
        ORDER BY f.{order.replace(", id", ", f.id")}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        # jsonb comes as text (Django's psycopg2 setting): decoded here as JSONField would.
        return [QueueRow._make((*row[:-1], json.loads(row[-1]))) for row in cursor.fetchall()]


def queue_rows(filings: list, objections: dict[int, int]) -> list[dict]:
    """What each row of the queue shows (`filings`: queue_page_rows), its labels looked up once
    for the page, not per row."""
    kind_labels, state_labels, district_labels = labels.kind_labels(), labels.state_labels(), labels.district_labels()

    local = timezone.get_current_timezone()

    def moment(value) -> str:
        # "2026-03-01 09:30": the ISO form to the minute, cut before its offset (a tenth of strftime's cost).
        return value.astimezone(local).isoformat(" ", "minutes")[:16] if value else ""

    # One reverse() for the page: each row's address is the same but for its id.
    filing_url = reverse("review:filing", args=[0]).removesuffix("0/")

    return [
        {
            "pk": f.id,
            "url": f"{filing_url}{f.id}/",
            "number": f.number,
            "title": f.title or kind_labels.get(f.kind, f.kind),
            "organisation": f.organisation__name,
            "uscc": f.organisation__uscc,
            "district": district_labels.get(f.district, f.district),
            "kind": kind_labels.get(f.kind, f.kind),
            "state": f.state,
            "state_label": state_labels.get(f.state, f.state),
            "submitted": moment(f.submitted_at),
            "updated": moment(f.updated_at),
            "summary": f.findings_summary or findings_summary([]),
            "objections": objections.get(f.id, 0),
            "correction_due_on": f.correction_due_on if f.state == State.RETURNED else None,
        }
        for f in filings
    ]


def state_counts(filters: dict | None = None) -> dict[str, int] | None:
    """Filings per state under the queue's other filters; None under a broad search or a badge.

    On PostgreSQL, from the counts the database keeps by trigger (filings.FilingStateCount): a
    few dozen rows whatever the number of filings, exact in the same transaction as every change.
    With a narrow search, an objection or correction filter, and on SQLite, by one aggregate
    query, kept until the next state change. A broad search or a badge may match most filings:
    counting each state's matches would read them all, so their list is counted up to a cap
    instead (the view's paginator).
    """
    filters = {key: value for key, value in (filters or {}).items() if key not in ("state", "sort")}
    if filters.get("badge") or (filters.get("q", "").strip() and search_is_broad(filters["q"])):
        return None

    def tally(grouped: dict) -> dict[str, int]:
        counts = {state.value: grouped.get(state.value, 0) for state in QUEUE_STATES}
        counts["all"] = sum(counts.values())
        return counts

    if connection.vendor == "postgresql" and set(filters) <= set(_KEPT_COLUMNS):
        return tally(_kept_counts(filters))

    def count() -> dict[str, int]:
        grouped = _filtered(filters).order_by().values_list("state").annotate(n=Count("id"))
        if not filters.get("q", "").strip():
            return tally(dict(grouped))
        # A search's ids are looked up in the primary key's index, not tested on every filing.
        with search.bitmap_scans():
            return tally(dict(grouped))

    # Counts change only when a filing changes state (which retires the cached ones) or is
    # submitted for the first time (also a state change): a full scan per page view is waste.
    key = "queue-counts:" + repr(sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items()))
    return cached_for_state(key, count)


def _kept_counts(filters: dict) -> dict[str, int]:
    """The kept counts per state under `filters`, in one statement written out: building it
    through the ORM cost every queue page 0.8 ms, the statement itself 0.1 ms."""
    where, params = _submitted_where(filters, _KEPT_COLUMNS)
    table = connection.ops.quote_name(FilingStateCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT state, SUM(n) FROM {table} WHERE {' AND '.join(where)} GROUP BY state", params)
        return dict(cursor.fetchall())


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
