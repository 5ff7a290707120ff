"""Coverage of the key-enterprise lists (seed 003 三), by 统一社会信用代码, in aggregate queries.

An enterprise is covered when it holds a registered 专利产品备案; in progress when it has one
submitted or returned for 补正 and none registered; otherwise it has none.
"""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Area, Organisation, User
from filings.models import Filing
from filings.states import State
from review.directory.models import KeyEntry, KeyList

PRODUCT = "PRODUCT"
IN_PROGRESS = (State.SUBMITTED, State.RETURNED)
STATUSES = {"registered": "已备案", "in_progress": "备案办理中", "none": "未备案"}


def _holders(status: str) -> QuerySet:
    """The codes of organisations with a product record of `status`, from the filings: an
    uncorrelated subquery, which the database evaluates once and probes by hash for every entry.
    (PostgreSQL keeps each entry's status instead: KeyEntry.status.)"""
    states = [State.REGISTERED] if status == "registered" else IN_PROGRESS
    return Filing.objects.filter(kind=PRODUCT, state__in=states).values("organisation__uscc")


EMPTY = {"total": 0, "registered": 0, "in_progress": 0, "none": 0, "rate": None}


@functools.cache
def _holders_sql(status: str) -> tuple[str, tuple]:
    """_holders(status) as SQL, compiled once: the same whatever the filters."""
    return _holders(status).query.sql_with_params()


def _status_sql() -> tuple[str, list]:
    """Each entry's (alias `e`) status as SQL: registered, in_progress or none, by its code. On
    PostgreSQL the entry keeps it (KeyEntry.status, by triggers); elsewhere it is looked up in
    the filings."""
    if connection.vendor == "postgresql":
        return "e.status", []
    registered, registered_params = _holders_sql("registered")
    in_progress, in_progress_params = _holders_sql("in_progress")
    sql = (
        f"CASE WHEN e.uscc IN ({registered}) THEN 'registered' "
        f"WHEN e.uscc IN ({in_progress}) THEN 'in_progress' ELSE 'none' END"
    )
    return sql, [*registered_params, *in_progress_params]


def _coverage_counts(*, area: str | None = None, key_list: KeyList | None = None) -> list[tuple]:
    """(list id, area, status, enterprises) for every list and area with entries, in one aggregate
    query: each entry's status (_status_sql), counted by list, area and status. Written
    as SQL, as the statistics' kept sums are: it is the coverage pages' only read of the entries,
    and composing it through the ORM cost three times the query itself."""
    status, status_params = _status_sql()
    where, params = ["1 = 1"], []
    if area:
        where.append("e.area = %s")
        params.append(area)
    if key_list is not None:
        where.append("e.key_list_id = %s")
        params.append(key_list.pk)
    sql = f"""
        SELECT key_list_id, area, status, COUNT(*) FROM (
            SELECT e.key_list_id, e.area, {status} AS status
            FROM {KeyEntry._meta.db_table} e WHERE {" AND ".join(where)}
        ) entries
        GROUP BY key_list_id, area, status
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*status_params, *params])
        return cursor.fetchall()


def _summed(counts: list[tuple], key) -> dict:
    """The counts summed by `key` of each (list id, area) pair, with the coverage rate."""
    rows: dict = {}
    for key_list_id, area, status, n in counts:
        row = rows.setdefault(key(key_list_id, area), {**EMPTY})
        row["total"] += n
        row[status] += n
    for row in rows.values():
        row["rate"] = round(100 * row["registered"] / row["total"], 1) if row["total"] else None
    return rows


def _by_district(counts: list[tuple]) -> list[dict]:
    """Coverage per area, in the areas' own order (the districts, then 临港新片区)."""
    summed = _summed(counts, lambda _key_list_id, area: area)
    order = {area: i for i, area in enumerate(Area.values)}
    return [
        {"area": area, **summed[area]} for area in sorted(summed, key=lambda area: (order.get(area, len(order)), area))
    ]


def coverage(*, area: str | None = None) -> tuple[list[dict], list[dict]]:
    """Every list with its deadline and coverage, and coverage by district of all lists together
    (2 queries); lists past their deadline stand out."""
    lists = list(KeyList.objects.all())
    counts = _coverage_counts(area=area)
    by_list = _summed(counts, lambda key_list_id, _area: key_list_id)
    return [{"list": key_list, **by_list.get(key_list.pk, EMPTY)} for key_list in lists], _by_district(counts)


def coverage_by_list(*, area: str | None = None) -> list[dict]:
    return coverage(area=area)[0]


def coverage_by_district(*, area: str | None = None, key_list: KeyList | None = None) -> list[dict]:
    return _by_district(_coverage_counts(area=area, key_list=key_list))


@dataclass(frozen=True)
class EntryRow:
    """One enterprise of a list as its page shows it."""

    id: int
    name: str
    uscc: str
    area: str
    reminded_at: datetime | None
    status: str
    has_account: bool

    @property
    def has_registered(self) -> bool:
        return self.status == "registered"

    @property
    def has_in_progress(self) -> bool:
        return self.status == "in_progress"


class EntryRows:
    """A list's entries under the page's filters, as Django's Paginator reads them: their number
    (`count()`, one query, or none when the caller already knows it) and one page of them (a
    slice, one query). In SQL, as _coverage_counts: each entry's status (_status_sql), and
    whether anyone of its enterprise has an account."""

    def __init__(self, *, key_list: KeyList, area: str | None, status: str, q: str, total: int | None = None):
        status_sql, status_params = _status_sql()
        where, params = ["e.key_list_id = %s"], [key_list.pk]
        if area:
            where.append("e.area = %s")
            params.append(area)
        q = q.strip()
        if q:
            # As icontains / startswith would: the user's % and _ are plain characters.
            like = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("(UPPER(e.name) LIKE UPPER(%s) ESCAPE '\\' OR e.uscc LIKE %s ESCAPE '\\')")
            params += [f"%{like}%", f"{like.upper()}%"]
        self.entries = f"""
            SELECT e.id, e.name, e.uscc, e.area, e.reminded_at, {status_sql} AS status
            FROM {KeyEntry._meta.db_table} e WHERE {" AND ".join(where)}
        """
        self.params = [*status_params, *params]
        self.status = status if status in STATUSES else ""
        self.total = total

    def _select(self, select: str, tail: str = "", extra: tuple = ()) -> tuple[str, list]:
        where, params = ("WHERE entries.status = %s", [self.status]) if self.status else ("", [])
        return f"SELECT {select} FROM ({self.entries}) entries {where} {tail}", [*self.params, *params, *extra]

    def _query(self, select: str, tail: str = "", extra: tuple = (), around: str = "{}") -> list[tuple]:
        """The entries' `select` (`tail` after the filters), inside `around` if given."""
        sql, params = self._select(select, tail, extra)
        with connection.cursor() as cursor:
            cursor.execute(around.replace("{}", sql, 1), params)
            return cursor.fetchall()

    def count(self) -> int:
        if self.total is None:
            [(self.total,)] = self._query("COUNT(*)")
        return self.total

    def __getitem__(self, page: slice) -> list[EntryRow]:
        accounts = (
            f"SELECT 1 FROM {User._meta.db_table} u JOIN {Organisation._meta.db_table} o "
            "ON o.id = u.organisation_id WHERE u.is_active AND o.uscc = page.uscc LIMIT 1"
        )
        # The page first, then whether its enterprises have an account: looked up for its rows
        # alone (a scalar subquery), not hashed from every account for the whole list.
        rows = self._query(
            "entries.*",
            "ORDER BY entries.area, entries.name, entries.id LIMIT %s OFFSET %s",
            (page.stop - page.start, page.start),
            around=f"SELECT page.*, COALESCE(({accounts}), 0) FROM ({{}}) page ORDER BY page.area, page.name, page.id",
        )
        # The time as the ORM would give it (SQLite returns text): the backend's own converters.
        column = KeyEntry._meta.get_field("reminded_at").get_col(KeyEntry._meta.db_table)
        converters = connection.ops.get_db_converters(column)

        def reminded_at(value):
            for converter in converters:
                value = converter(value, column, connection)
            return value

        return [EntryRow(*row[:4], reminded_at(row[4]), row[5], has_account=bool(row[6])) for row in rows]


def entries_for(
    *, key_list: KeyList, area: str | None = None, status: str = "", q: str = "", districts=None
) -> EntryRows:
    """The list's entries under the filters, for a Paginator. With the list's coverage by
    district (`districts`) and no search, their number is known without a query."""
    total = None
    if districts is not None and not q.strip():
        total = sum(row[status] if status in STATUSES else row["total"] for row in districts)
    return EntryRows(key_list=key_list, area=area, status=status, q=q, total=total)


def _accounts() -> QuerySet[User]:
    return User.objects.filter(is_active=True, organisation__uscc=OuterRef("uscc"))


def entries_to_remind(*, key_list: KeyList) -> QuerySet[KeyEntry]:
    """Listed enterprises with an account on the portal and no product record at all."""
    entries = KeyEntry.objects.filter(key_list=key_list)
    if connection.vendor == "postgresql":
        entries = entries.filter(status="none")
    else:
        entries = entries.exclude(uscc__in=_holders("registered")).exclude(uscc__in=_holders("in_progress"))
    return entries.filter(Exists(_accounts()))


def key_list_for(*, pk: int) -> KeyList:
    return get_object_or_404(KeyList, pk=pk)
