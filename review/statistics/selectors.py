"""The programme's figures (SPEC §6), each an aggregate query: no filing is loaded into Python.

Filters: `call`, `kind`, `date_from`/`date_to` (a period, on the first submission for the counts
of filings and on each event's own day for the monthly counts), `area` (a district, or
临港新片区; None is the whole city). Processing times are in working days by China's official
calendar, counted in the database against the materialised calendar (review.statistics.calendar).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, DateTimeField, F, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from accounts.models import Area, District
from filings import kinds
from filings.models import Filing, FilingEvent
from filings.states import State
from review.district.scope import in_area
from review.models import ExpertAssignment
from review.statistics.models import WorkdayOrdinal

PRODUCT = "PRODUCT"
REGISTER_ACTIONS = ("register", "product_register")
# What is counted per group: (key, label, condition on the filing's state).
STATE_BUCKETS = (
    ("total", "申报", Q()),
    ("registered", "已入库/立项", Q(state=State.REGISTERED)),
    ("rejected", "未通过", Q(state=State.REJECTED)),
    ("withdrawn", "已撤回", Q(state=State.WITHDRAWN)),
    ("in_progress", "办理中", ~Q(state__in=[State.REGISTERED, State.REJECTED, State.WITHDRAWN])),
)


def _aware(day, end: bool = False) -> datetime:
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


def _period(filters: dict, field: str) -> Q:
    q = Q()
    if filters.get("date_from"):
        q &= Q(**{f"{field}__gte": _aware(filters["date_from"])})
    if filters.get("date_to"):
        q &= Q(**{f"{field}__lt": _aware(filters["date_to"], end=True)})
    return q


def _scope(filters: dict, prefix: str = "") -> Q:
    q = in_area(filters.get("area"), f"{prefix}organisation__")
    if filters.get("call"):
        q &= Q(**{f"{prefix}call": filters["call"]})
    if filters.get("kind"):
        q &= Q(**{f"{prefix}kind": filters["kind"]})
    return q


def filings_in_scope(filters: dict) -> QuerySet[Filing]:
    """Submitted filings under the filters; the period is the first submission's."""
    filings = Filing.objects.exclude(state=State.DRAFT).filter(_scope(filters))
    if filters.get("date_from") or filters.get("date_to"):
        submits = FilingEvent.objects.filter(_period(filters, "created_at"), action="submit")
        filings = filings.filter(pk__in=submits.values("filing_id"))
    return filings


def _grouped(filings: QuerySet[Filing], *fields: str) -> list[dict]:
    aggregates = {key: Count("id", filter=condition) for key, _label, condition in STATE_BUCKETS}
    return list(filings.order_by().values(*fields).annotate(**aggregates).order_by(*fields))


def _by(filings, field: str, labels: dict) -> list[dict]:
    rows = _grouped(filings, field)
    for row in rows:
        row["label"] = str(labels.get(row[field], row[field] or "（未填）"))
    return rows


def counts_by(filters: dict) -> dict[str, list[dict]]:
    """Filings by kind, call, district and industry, each row with its state buckets (4 queries),
    and 临港新片区 (an attribute, not a district) as one more row of the district table (1 query)."""
    filings = filings_in_scope(filters)
    by_call = _grouped(filings, "call__opens_at", "call", "call__title")
    for row in by_call:
        row["label"] = row["call__title"]
    by_district = _by(filings, "organisation__district", dict(District.choices))
    lingang = filings.filter(organisation__in_lingang=True).aggregate(
        **{key: Count("id", filter=condition) for key, _label, condition in STATE_BUCKETS}
    )
    if lingang["total"]:
        by_district.append({**lingang, "label": str(Area.LINGANG.label) + "（其中）"})
    return {
        "kind": _by(filings, "kind", dict(kinds.choices())),
        "call": by_call,
        "district": by_district,
        "industry": _by(filings, "industry", {}),
    }


def state_counts(filters: dict) -> list[dict]:
    grouped = dict(filings_in_scope(filters).order_by().values_list("state").annotate(n=Count("id")))
    return [{"state": s.value, "label": str(s.label), "n": grouped.get(s.value, 0)} for s in State if s != State.DRAFT]


def monthly(filters: dict) -> list[dict]:
    """Per month: first submissions, registrations (入库/立项/备案成功), rejections, withdrawals — each
    counted in the month it happened (1 query over the events)."""
    events = FilingEvent.objects.filter(_scope(filters, "filing__"), _period(filters, "created_at"))
    buckets = {
        "submitted": Q(action="submit"),
        "registered": Q(action__in=REGISTER_ACTIONS),
        "rejected": Q(to_state=State.REJECTED),
        "withdrawn": Q(to_state=State.WITHDRAWN),
    }
    rows = (
        events.filter(
            Q(action="submit") | Q(action__in=REGISTER_ACTIONS) | Q(to_state__in=[State.REJECTED, State.WITHDRAWN])
        )
        .annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("month")
        .annotate(**{key: Count("id", filter=q) for key, q in buckets.items()})
        .order_by("month")
    )
    return [{**row, "label": row["month"].strftime("%Y-%m")} for row in rows]


def product_records(filters: dict) -> dict[str, list[dict]]:
    """专利产品备案 records, registered and withdrawn, by district and by industry (2 queries)."""
    records = filings_in_scope({**filters, "kind": PRODUCT}).filter(state__in=[State.REGISTERED, State.WITHDRAWN])

    def by(field: str, labels: dict) -> list[dict]:
        rows = (
            records.order_by()
            .values(field)
            .annotate(
                registered=Count("id", filter=Q(state=State.REGISTERED)),
                withdrawn=Count("id", filter=Q(state=State.WITHDRAWN)),
            )
        )
        return [{**row, "label": str(labels.get(row[field], row[field] or "（未填）"))} for row in rows.order_by(field)]

    return {"district": by("organisation__district", dict(District.choices)), "industry": by("industry", {})}


# --- processing times -------------------------------------------------------------------


def _ordinal_of(day_ref: str):
    """The working-day ordinal of a day (an annotation of the outer query)."""
    return Subquery(
        WorkdayOrdinal.objects.filter(day=OuterRef(day_ref)).values("ordinal")[:1], output_field=IntegerField()
    )


def _first_event(**conditions):
    return Subquery(
        FilingEvent.objects.filter(filing=OuterRef("pk"), **conditions)
        .order_by()
        .values("filing")
        .annotate(first=Min("created_at"))
        .values("first")[:1],
        output_field=DateTimeField(),
    )


@dataclass
class Distribution:
    """Working days as a histogram ({days: filings}); the quantiles by nearest rank."""

    histogram: list[tuple[int, int]]

    @property
    def count(self) -> int:
        return sum(n for _days, n in self.histogram)

    def quantile(self, q: float) -> int | None:
        total = self.count
        if not total:
            return None
        rank = max(1, -(-int(q * total * 1000) // 1000))  # ceil(q * total), without float surprises
        seen = 0
        for days, n in self.histogram:
            seen += n
            if seen >= rank:
                return days
        return self.histogram[-1][0]

    @property
    def median(self) -> int | None:
        return self.quantile(0.5)

    @property
    def p90(self) -> int | None:
        return self.quantile(0.9)


def _histogram(filings: QuerySet[Filing], end_ref: str) -> Distribution:
    rows = (
        # Local days (Asia/Shanghai): a filing submitted at 23:00 is counted from that day.
        filings.annotate(start_day=TruncDate("first_submit"), end_day=TruncDate(end_ref))
        .annotate(start_n=_ordinal_of("start_day"), end_n=_ordinal_of("end_day"))
        .filter(start_n__isnull=False, end_n__isnull=False)
        .annotate(days=F("end_n") - F("start_n"))
        .order_by()
        .values("days")
        .annotate(n=Count("id"))
        .order_by("days")
    )
    return Distribution([(row["days"], row["n"]) for row in rows])


def processing_times(filters: dict) -> list[dict]:
    """Median and 90th percentile, in working days from the first submission to (3 queries):
    the audit decision (the first event that takes the filing out of 待形式审查 other than a withdrawal),
    the experts' completion (the last score sheet, once every assigned expert has sent one),
    registration (入库/立项/备案成功)."""
    filings = filings_in_scope(filters).annotate(first_submit=_first_event(action="submit"))
    audited = filings.annotate(
        decided_at=_first_event(
            from_state=State.SUBMITTED, action__in=["return", "audit_pass", "product_register", "reject"]
        )
    ).filter(decided_at__isnull=False)
    assignments = ExpertAssignment.objects.filter(filing=OuterRef("pk")).order_by().values("filing")
    experts = filings.annotate(
        pending=Coalesce(
            Subquery(assignments.filter(submitted_at__isnull=True).annotate(n=Count("id")).values("n")[:1]), 0
        ),
        experts_done_at=Subquery(
            assignments.annotate(last=Max("submitted_at")).values("last")[:1], output_field=DateTimeField()
        ),
    ).filter(pending=0, experts_done_at__isnull=False)
    registered = filings.filter(registered_at__isnull=False)
    measures = [
        ("audit", "提交至形式审查结论", _histogram(audited, "decided_at")),
        ("experts", "提交至专家评审完成", _histogram(experts, "experts_done_at")),
        ("registered", "提交至入库/立项/备案", _histogram(registered, "registered_at")),
    ]
    return [
        {"key": key, "label": label, "count": d.count, "median": d.median, "p90": d.p90, "histogram": d.histogram}
        for key, label, d in measures
    ]


def return_rounds(filters: dict) -> list[dict]:
    """补正 rounds per filing: how many filings were returned 0, 1, 2… times (1 query)."""
    returns = (
        FilingEvent.objects.filter(filing=OuterRef("pk"), action="return")
        .order_by()
        .values("filing")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    rows = (
        filings_in_scope(filters)
        .annotate(rounds=Coalesce(Subquery(returns, output_field=IntegerField()), 0))
        .order_by()
        .values("rounds")
        .annotate(n=Count("id"))
        .order_by("rounds")
    )
    return [{"rounds": row["rounds"], "n": row["n"]} for row in rows]


def expert_timeliness(filters: dict) -> dict:
    """Score sheets sent by their due time, of those sent or overdue (1 query)."""
    now = timezone.now()
    assignments = ExpertAssignment.objects.filter(filing__in=filings_in_scope(filters))
    figures = assignments.aggregate(
        on_time=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__lte=F("due_at"))),
        late=Count("id", filter=Q(submitted_at__gt=F("due_at"))),
        overdue=Count("id", filter=Q(submitted_at__isnull=True, due_at__lt=now)),
        pending=Count("id", filter=Q(submitted_at__isnull=True, due_at__gte=now)),
    )
    due = figures["on_time"] + figures["late"] + figures["overdue"]
    figures["due"] = due
    figures["rate"] = round(100 * figures["on_time"] / due, 1) if due else None
    return figures


def dashboard(filters: dict) -> dict:
    """Every figure of the dashboard and the 通报, in a fixed number of queries."""
    return {
        "states": state_counts(filters),
        "by": counts_by(filters),
        "monthly": monthly(filters),
        "products": product_records(filters),
        "times": processing_times(filters),
        "rounds": return_rounds(filters),
        "experts": expert_timeliness(filters),
    }
