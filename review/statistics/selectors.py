"""The programme's figures (SPEC §6), each an aggregate query: no filing is loaded into Python.

Filters: `call` (its id), `kind`, `date_from`/`date_to` (a period, on the first submission for the counts
of filings and on each event's own day for the monthly counts), `area` (a district, or
临港新片区; None is the whole city). Processing times are in working days by China's official
calendar, counted in the database against the materialised calendar (review.statistics.calendar).
"""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Area, District
from filings import kinds, labels
from filings.models import Call, Filing, FilingEvent
from filings.states import State
from portal import prepared
from review.district.scope import in_area
from review.models import ExpertAssignment
from review.statistics.models import (
    FigureCount,
    FigureCountYear,
    FigureMonth,
    FigureTime,
    FigureTimeYear,
    FilingFigure,
    WorkdayOrdinal,
)

PRODUCT = "PRODUCT"
REGISTER_ACTIONS = ("register", "product_register")
# Events counted in the month they happened (the kept FigureMonth rows use the same four).
MONTH_BUCKETS = {
    "submitted": Q(action="submit"),
    "registered": Q(action__in=REGISTER_ACTIONS),
    "rejected": Q(to_state=State.REJECTED),
    "withdrawn": Q(to_state=State.WITHDRAWN),
}
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
    buckets = MONTH_BUCKETS
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
    """专利产品备案 records, registered and withdrawn, by district and by industry (2 queries);
    none under a filter for another kind, as the kept figures say."""
    if filters.get("kind") not in (None, "", PRODUCT):
        return {"district": [], "industry": []}
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

DECISIONS = ("return", "audit_pass", "product_register", "reject")
EVENTS, ASSIGNMENTS, FILINGS = FilingEvent._meta.db_table, ExpertAssignment._meta.db_table, Filing._meta.db_table
WORKDAYS = WorkdayOrdinal._meta.db_table
MEASURES = (
    ("audit", "提交至形式审查结论"),
    ("experts", "提交至专家评审完成"),
    ("registered", "提交至入库/立项/备案"),
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
        rank = max(1, math.ceil(round(q * total, 9)))
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


def _local_day(column: str) -> tuple[str, list]:
    """SQL for the local (Asia/Shanghai) day of a timestamp column, on any database Django supports."""
    return connection.ops.datetime_cast_date_sql(column, [], timezone.get_current_timezone_name())


def _histograms(filters: dict) -> dict[str, list[tuple[int, int]]]:
    """Every processing time and the 补正 rounds as histograms, in one query.

    Per filing in scope: the first submission and the first audit decision (from its events), the
    experts' completion (the last score sheet, once none is pending) and registration; each day's
    working-day ordinal from the materialised calendar; then, per measure, filings per number of
    working days. A day the calendar does not know leaves that filing out of that measure.
    """
    scope_sql, scope_params = filings_in_scope(filters).order_by().values("id").query.sql_with_params()
    days, day_params = {}, []
    for name, column in (("d0", "ev.submitted"), ("d1", "ev.decided"), ("d2", "ex.done"), ("d3", "fl.registered_at")):
        sql, params = _local_day(column)
        days[name] = sql
        day_params += params
    decisions = ", ".join(["%s"] * len(DECISIONS))
    measure = (
        "SELECT %s AS measure, w1.ordinal - w0.ordinal AS days, COUNT(*) AS n FROM t "
        f"JOIN {WORKDAYS} w0 ON w0.day = t.d0 JOIN {WORKDAYS} w1 ON w1.day = t.{{end}} "
        "GROUP BY w1.ordinal - w0.ordinal"
    )
    sql = f"""
        WITH f AS ({scope_sql}),
        ev AS (
            SELECT e.filing_id,
                   MIN(CASE WHEN e.action = %s THEN e.created_at END) AS submitted,
                   MIN(CASE WHEN e.from_state = %s AND e.action IN ({decisions}) THEN e.created_at END) AS decided,
                   SUM(CASE WHEN e.action = %s THEN 1 ELSE 0 END) AS rounds
            FROM {EVENTS} e JOIN f ON f.id = e.filing_id
            GROUP BY e.filing_id
        ),
        ex AS (
            SELECT a.filing_id, MAX(a.submitted_at) AS done,
                   SUM(CASE WHEN a.submitted_at IS NULL THEN 1 ELSE 0 END) AS pending
            FROM {ASSIGNMENTS} a JOIN f ON f.id = a.filing_id
            GROUP BY a.filing_id
        ),
        t AS (
            SELECT {days["d0"]} AS d0, {days["d1"]} AS d1,
                   CASE WHEN ex.pending = 0 THEN {days["d2"]} END AS d2,
                   {days["d3"]} AS d3, COALESCE(ev.rounds, 0) AS rounds
            FROM f JOIN {FILINGS} fl ON fl.id = f.id
            LEFT JOIN ev ON ev.filing_id = f.id
            LEFT JOIN ex ON ex.filing_id = f.id
        )
        {measure.format(end="d1")}
        UNION ALL {measure.format(end="d2")}
        UNION ALL {measure.format(end="d3")}
        UNION ALL SELECT %s AS measure, rounds AS days, COUNT(*) AS n FROM t GROUP BY rounds
    """
    params = [
        *scope_params,
        "submit",
        State.SUBMITTED.value,
        *DECISIONS,
        "return",
        *day_params,
        "audit",
        "experts",
        "registered",
        "rounds",
    ]
    histograms: dict[str, list[tuple[int, int]]] = {key: [] for key, _label in MEASURES}
    histograms["rounds"] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, value, n in cursor.fetchall():
            histograms[key].append((int(value), int(n)))
    return {key: sorted(rows) for key, rows in histograms.items()}


def processing_times(filters: dict, histograms: dict | None = None) -> list[dict]:
    """Median and 90th percentile, in working days from the first submission to: the audit decision
    (the first event that takes the filing out of 待形式审查 other than a withdrawal), the experts'
    completion (the last score sheet, once every assigned expert has sent one), registration."""
    histograms = histograms or _histograms(filters)
    rows = []
    for key, label in MEASURES:
        d = Distribution(histograms[key])
        rows.append({"key": key, "label": label, "count": d.count, "median": d.median, "p90": d.p90,
                     "histogram": d.histogram})  # fmt: skip
    return rows


def return_rounds(filters: dict, histograms: dict | None = None) -> list[dict]:
    """补正 rounds per filing: how many filings were returned 0, 1, 2… times."""
    histograms = histograms or _histograms(filters)
    return [{"rounds": rounds, "n": n} for rounds, n in histograms["rounds"]]


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
    """Every figure of the dashboard and the 通报, in a fixed number of queries: from the sums
    PostgreSQL keeps when they answer the filters (1), else counted from the filings (11)."""
    return kept_dashboard(filters) if kept_answers(filters) else scanned_dashboard(filters)


def scanned_dashboard(filters: dict) -> dict:
    histograms = _histograms(filters)
    return {
        "states": state_counts(filters),
        "by": counts_by(filters),
        "monthly": monthly(filters),
        "products": product_records(filters),
        "times": processing_times(filters, histograms),
        "rounds": return_rounds(filters, histograms),
        "experts": expert_timeliness(filters),
    }


# --- the same figures from the tables PostgreSQL keeps (review.statistics 0003) -----------------


def kept_answers(filters: dict) -> bool:
    """The kept tables answer on PostgreSQL for a period of whole months (or none): they count by
    month. Any other period is counted from the filings (the 通报, rendered by a worker, may ask it)."""
    if connection.vendor != "postgresql":
        return False
    start, end = filters.get("date_from"), filters.get("date_to")
    return (not start or start.day == 1) and (not end or (end + timedelta(days=1)).day == 1)


# The states counted apart in each group (the rest are in progress), as columns of the kept sums.
_ENDED = (State.REGISTERED, State.REJECTED, State.WITHDRAWN)
# The groupings the dashboard shows: (name, columns).
KEPT_SETS = (
    ("state", ("c.state",)),
    ("kind", ("c.kind",)),
    ("call", ("k.opens_at", "c.call_id", "k.title")),
    ("district", ("c.district",)),
    ("in_lingang", ("c.in_lingang",)),
    ("industry", ("c.industry",)),
    ("kind_district", ("c.kind", "c.district")),
    ("kind_industry", ("c.kind", "c.industry")),
)


def _kept_where(filters: dict, table: str, counted: bool = True, period: bool = True) -> tuple[str, list]:
    """The filters as SQL on a kept table (alias `table`); on the sums (`counted`), without the
    rows whose count fell to nought; without the period's months unless `period`."""
    where, params = [f"{table}.n > 0"] if counted else ["1 = 1"], []
    area = filters.get("area")
    if area == Area.LINGANG:
        where.append(f"{table}.in_lingang")
    elif area:
        where.append(f"{table}.district = %s")
        params.append(area)
    for column, value in (("call_id", filters.get("call")), ("kind", filters.get("kind"))):
        if value:
            where.append(f"{table}.{column} = %s")
            params.append(value)
    if period and filters.get("date_from"):
        where.append(f"{table}.month >= %s")
        params.append(filters["date_from"])
    if period and filters.get("date_to"):
        where.append(f"{table}.month <= %s")
        params.append(filters["date_to"].replace(day=1))
    return " AND ".join(where), params


def _kept_source(filters: dict, monthly: type, yearly: type, columns: str) -> tuple[str, list]:
    """The kept rows (`columns` of alias `k`) in scope as one SELECT: the period's whole years from
    the yearly sums (`yearly`), its other months from the monthly ones (`monthly`). A city-wide
    page over two years reads some 1,600 rows where the months are 13,000."""
    start, end = filters.get("date_from"), filters.get("date_to")
    end = end.replace(day=1) if end else None
    # The whole years inside the period: [first, last], None where the period is open.
    first = None if start is None else start.year + (start.month != 1)
    last = None if end is None else end.year - (end.month != 12)
    where, params = _kept_where(filters, "k", period=False)
    if first is not None and last is not None and first > last:
        where, params = _kept_where(filters, "k")
        return f"SELECT {columns} FROM {monthly._meta.db_table} k WHERE {where}", params
    years, year_params = [where], [*params]
    if first is not None:
        years.append("k.month >= %s")
        year_params.append(date(first, 1, 1))
    if last is not None:
        years.append("k.month <= %s")
        year_params.append(date(last, 1, 1))
    sql = f"SELECT {columns} FROM {yearly._meta.db_table} k WHERE {' AND '.join(years)}"
    if first is None and last is None:
        return sql, year_params
    # The months outside those years: before the first, after the last.
    edges, edge_params = [], []
    if first is not None and start.month != 1:
        edges.append("k.month >= %s AND k.month < %s")
        edge_params += [start, date(first, 1, 1)]
    if last is not None and end.month != 12:
        edges.append("k.month > %s AND k.month <= %s")
        edge_params += [date(last, 12, 1), end]
    if edges:
        sql += (
            f" UNION ALL SELECT {columns} FROM {monthly._meta.db_table} k WHERE {where}"
            f" AND ({' OR '.join(f'({edge})' for edge in edges)})"
        )
        year_params += [*params, *edge_params]
    return sql, year_params


class _Read(NamedTuple):
    """One SELECT of kept_dashboard: its SQL and parameters, its number of columns, and the number
    of its first columns that order its rows."""

    sql: str
    params: list
    columns: int
    ordered_by: int


def _read_at_once(*reads: _Read) -> list[list[list]]:
    """The rows of each of `reads`, all read in one statement: each read's rows as a JSON array of
    arrays, in its order. Read one by one, the dashboard's four reads cost a page 0.4 ms of round
    trips to the database alone (dates and times come back as ISO text)."""
    selects, params = [], []
    for read in reads:
        names = [f"r.c{i}" for i in range(read.columns)]
        order = f" ORDER BY {', '.join(names[: read.ordered_by])}" if read.ordered_by else ""
        selects.append(
            f"(SELECT COALESCE(json_agg(json_build_array({', '.join(names)}){order}), '[]')::text"
            f" FROM ({read.sql}) AS r({', '.join(name[2:] for name in names)}))"
        )
        params += read.params
    with connection.cursor() as cursor:
        prepared.execute(cursor, "SELECT " + ", ".join(selects), params)
        return [json.loads(rows) for rows in cursor.fetchone()]


# The groupings' columns, in the order of the kept counts' rows.
_KEPT_COLUMNS = list(dict.fromkeys(column for _name, group in KEPT_SETS for column in group))


def _counts_read(filters: dict) -> _Read:
    """Every grouping of the filings in scope in one pass over the kept counts (GROUPING SETS):
    per row, its grouping (GROUPING()), the grouped values, then filings, registered, rejected,
    withdrawn, sheets on time and sheets late."""
    source, params = _kept_source(
        filters,
        FigureCount,
        FigureCountYear,
        "k.call_id, k.kind, k.district, k.in_lingang, k.industry, k.state, k.n, k.on_time, k.late",
    )
    columns = ", ".join(_KEPT_COLUMNS)
    grouping_sets = ", ".join("(" + ", ".join(group) + ")" for _name, group in KEPT_SETS)
    ended = ", ".join("COALESCE(SUM(c.n) FILTER (WHERE c.state = %s), 0)::bigint" for _state in _ENDED)
    # The months summed first, in one pass: each grouping set then reads a few hundred rows, not
    # every month's (a city-wide page: 26 ms to 10 ms at 100,000 filings). A group's states are
    # its columns, not rows of their own: a tenth of the rows to sort, send and read.
    sql = f"""
        WITH c AS (
            SELECT c.call_id, c.kind, c.district, c.in_lingang, c.industry, c.state,
                   SUM(c.n) AS n, SUM(c.on_time) AS on_time, SUM(c.late) AS late
            FROM ({source}) c
            GROUP BY c.call_id, c.kind, c.district, c.in_lingang, c.industry, c.state
        )
        SELECT GROUPING({columns}), {columns},
               SUM(c.n)::bigint, {ended}, SUM(c.on_time)::bigint, SUM(c.late)::bigint
        FROM c JOIN {Call._meta.db_table} k ON k.id = c.call_id
        GROUP BY GROUPING SETS ({grouping_sets})
    """
    width = 1 + len(_KEPT_COLUMNS)
    return _Read(sql, [*params, *_ENDED], width + 6, width)


def _kept_counts(rows: list[list]) -> dict[str, dict[tuple, tuple[int, ...]]]:
    """_counts_read's rows by grouping: {grouping: {values: (filings, registered, rejected,
    withdrawn, sheets on time, sheets late)}}."""
    columns = _KEPT_COLUMNS
    # GROUPING() sets a bit for each column left out of a row's grouping, the first column highest.
    by_mask = {}
    for name, group in KEPT_SETS:
        mask = sum(1 << (len(columns) - 1 - i) for i, column in enumerate(columns) if column not in group)
        by_mask[mask] = (name, [columns.index(column) for column in group])
    sets: dict[str, dict] = {name: {} for name, _group in KEPT_SETS}
    for mask, *row in rows:
        name, indexes = by_mask[mask]
        sets[name][tuple(row[i] for i in indexes)] = tuple(row[len(columns) :])
    return sets


# The three reads below are written as SQL, as the counts are: composed through the ORM, each
# cost more time in Python than in the database.


def _months_read(filters: dict) -> _Read:
    """Per month, the events of MONTH_BUCKETS in scope."""
    where, params = _kept_where(filters, "m")
    sums = ", ".join("SUM(CASE WHEN m.bucket = %s THEN m.n ELSE 0 END)::bigint" for _key in MONTH_BUCKETS)
    sql = f"SELECT m.month, {sums} FROM {FigureMonth._meta.db_table} m WHERE {where} GROUP BY m.month"
    return _Read(sql, [*MONTH_BUCKETS, *params], 1 + len(MONTH_BUCKETS), 1)


def _kept_months(rows: list[list]) -> list[dict]:
    return [
        {"month": date.fromisoformat(month), **dict(zip(MONTH_BUCKETS, counts, strict=True)), "label": month[:7]}
        for month, *counts in rows
    ]


def _histograms_read(filters: dict) -> _Read:
    """Every processing time and the 补正 rounds as histograms, from the kept ones."""
    source, params = _kept_source(filters, FigureTime, FigureTimeYear, "k.measure, k.days, k.n")
    sql = f"SELECT t.measure, t.days, SUM(t.n)::bigint FROM ({source}) t GROUP BY t.measure, t.days"
    return _Read(sql, params, 3, 2)


def _kept_histograms(rows: list[list]) -> dict[str, list[tuple[int, int]]]:
    histograms: dict[str, list[tuple[int, int]]] = {key: [] for key, _label in MEASURES}
    histograms["rounds"] = []
    for measure, days, n in rows:
        histograms[measure].append((days, n))
    return histograms


def _awaited_read(filters: dict) -> _Read:
    """Score sheets still awaited, overdue or pending by the clock (so counted here, not kept),
    of the filings in scope: few, and an index holds only those."""
    where, params = _kept_where(filters, "f", counted=False)
    now = timezone.now()
    sql = (
        f"SELECT COALESCE(SUM(CASE WHEN a.due_at < %s THEN 1 ELSE 0 END), 0)::bigint, "
        f"COALESCE(SUM(CASE WHEN a.due_at >= %s THEN 1 ELSE 0 END), 0)::bigint "
        f"FROM {ExpertAssignment._meta.db_table} a "
        f"WHERE a.submitted_at IS NULL AND a.filing_id IN "
        f"(SELECT f.filing_id FROM {FilingFigure._meta.db_table} f WHERE {where})"
    )
    return _Read(sql, [now, now, *params], 2, 0)


def kept_dashboard(filters: dict) -> dict:
    """dashboard() from the kept sums: a few thousand rows read whatever the number of filings."""
    counted, months, histograms, [(overdue, pending)] = _read_at_once(
        _counts_read(filters), _months_read(filters), _histograms_read(filters), _awaited_read(filters)
    )
    sets = _kept_counts(counted)

    # The labels translated once per language for the process (filings.labels), not once per row.
    state_labels, district_labels, kind_labels = labels.state_labels(), labels.district_labels(), labels.kind_labels()
    per_state = {state: figures[0] for (state,), figures in sets["state"].items()}
    states = [
        {"state": s.value, "label": state_labels[s.value], "n": per_state.get(s.value, 0)}
        for s in State
        if s != State.DRAFT
    ]

    def rows(group: str, texts: dict | None = None, label_of=None, groups: dict | None = None) -> list[dict]:
        """One row per value of `group` (in the database's order), with its state buckets."""
        result = []
        for values, (total, registered, rejected, withdrawn, _on_time, _late) in (
            groups if groups is not None else sets[group]
        ).items():
            value = values[-1]
            label = label_of(values) if label_of else texts.get(value, value or "（未填）")
            result.append({
                "total": total,
                "registered": registered,
                "rejected": rejected,
                "withdrawn": withdrawn,
                "in_progress": total - registered - rejected - withdrawn,
                "label": str(label),
            })  # fmt: skip
        return result

    by_district = rows("district", district_labels)
    lingang = {values: figures for values, figures in sets["in_lingang"].items() if values == (True,)}
    if lingang:
        by_district += rows("", {True: str(Area.LINGANG.label) + "（其中）"}, groups=lingang)
    by = {
        "kind": rows("kind", kind_labels),
        "call": rows("call", label_of=lambda values: values[2]),
        "district": by_district,
        "industry": rows("industry", {}),
    }

    def records(group: str, texts: dict) -> list[dict]:
        """The product records registered and withdrawn per value of `group`, where there are any."""
        return [
            {"registered": registered, "withdrawn": withdrawn, "label": str(texts.get(value, value or "（未填）"))}
            for (kind, value), (_total, registered, _rejected, withdrawn, _on, _late) in sets[group].items()
            if kind == PRODUCT and (registered or withdrawn)
        ]

    products = {"district": records("kind_district", district_labels), "industry": records("kind_industry", {})}

    histograms = _kept_histograms(histograms)
    experts = {
        "on_time": sum(figures[4] for figures in sets["state"].values()),
        "late": sum(figures[5] for figures in sets["state"].values()),
        "overdue": overdue,
        "pending": pending,
    }
    experts["due"] = experts["on_time"] + experts["late"] + experts["overdue"]
    experts["rate"] = round(100 * experts["on_time"] / experts["due"], 1) if experts["due"] else None

    return {
        "states": states,
        "by": by,
        "monthly": _kept_months(months),
        "products": products,
        "times": processing_times(filters, histograms),
        "rounds": return_rounds(filters, histograms),
        "experts": experts,
    }
