"""Searching a long list by name, number or 统一社会信用代码, fast whether it matches few or many.

A search is given two ways: `matching`, one indexed query per field whose UNION ALL lists the
ids (trigram, two-character and prefix indexes on PostgreSQL, filings 0008 and 0026), and
`broad`, the same search as one condition. The ids are read up to a cap. A narrow search (the
usual one: a name, a code) becomes that short list of ids, which every count and page reads
cheaply. A broad one (a word in most names) would make the list of ids as long as the table; it
filters the list by its condition instead, which the database reads in the list's own order,
stopping at the page.
"""

from collections.abc import Callable
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.lookups import In

from portal.cache import cached_for_state

# A search matching more than this many filings is broad (its list says "N 以上"). Up to it, the
# ids are kept: a search for a company or a number prefix (some ten thousand filings among a
# hundred thousand) reads its pages off the list's own index, testing each id against them, where
# its condition read every passed row from the table (4–40 ms a page).
SEARCH_CAP = 20000

# A list's search, given its text: the query of the filings it matches (ids and states, ids_of),
# and the same search as one condition (review/queue/selectors.filings_matching). Built only when
# one of them is run: building them cost every view of a search 1–2 ms of Python, though its
# matches are kept.
Searching = Callable[[str], tuple[QuerySet, Q]]


class Matches(NamedTuple):
    """What a narrow search matches: the ids, and their PostgreSQL array text (`{1,2,…}`), built
    once with them (ten thousand ids cost a page 0.8 ms to write out); and the array text of the
    ids in each state, for a list under one state. PostgreSQL plans `id = ANY(array)` by weighing
    each id: 3 ms a page for ten thousand, where one state's share of them costs a tenth."""

    ids: list[int]
    array: str
    by_state: dict[str, str]

    def array_in(self, state: str | None) -> str:
        """The array text of the ids (of those in `state`, if given)."""
        return self.by_state.get(state, "{}") if state else self.array


def matches(scope: str, q: str, searching: Searching) -> Matches | None:
    """What `q` matches, or None when it matches more than SEARCH_CAP: kept until the next state
    change, so that a search's counts and pages read it once."""

    def compute():
        with bitmap_scans():
            found = list(searching(q)[0][: SEARCH_CAP + 1])
        if len(found) > SEARCH_CAP:
            return None
        states = {row["pk"]: row["state"] for row in found}
        ids = sorted(states)
        by_state: dict[str, list[int]] = {}
        for pk in ids:
            by_state.setdefault(states[pk], []).append(pk)
        array = array_literal(ids)
        # All in one state (the registry's are all registered): that state's text is the same
        # string as the whole one, kept once in the cache.
        texts = {state: array if len(pks) == len(ids) else array_literal(pks) for state, pks in by_state.items()}
        return Matches(ids, array, texts)

    # A list in the cache: None itself would read as a miss. (The key names the kept shape: a shared
    # cache may still hold the shape before the states were kept.)
    kept = cached_for_state(f"search-matches-by-state:{scope}:{q}", lambda: [compute()])
    return kept[0]


@contextmanager
def bitmap_scans():
    """Inside, PostgreSQL reads each table through bitmap index scans only, for reads of a search.

    PostgreSQL plans by its estimates; for a search they chose badly. A name piece found in most
    names (联盟) was read by scanning the table and cutting each row's name into pieces (5 µs a
    row: 120–140 ms to reach the cap at 100,000 filings), where the pieces' index lists those rows
    (20–35 ms in all). A narrow search's thousands of ids were counted by a parallel scan of every
    filing. Bitmap scans read an index for the rows and then only those rows, whatever their number.

    The block must only read: it ends by rolling back (its own savepoint when nested), which is
    what takes the settings back.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), "
                "set_config('enable_indexonlyscan', 'off', true)"
            )
        yield
        transaction.set_rollback(True)


class _AnyOf(Lookup):
    """`field = ANY('{1,2,…}'::bigint[])`: the ids as one array literal (Matches.array). A list
    parameter would be sent as ARRAY[1, 2, …], thousands of constants for PostgreSQL to parse."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*params, self.rhs]


def ids_of(*branches: QuerySet) -> QuerySet:
    """The ids and states of the filings of every one of `branches`, one after the other (UNION
    ALL: a row of two branches is listed twice). A branch per field, rather than one condition
    ORing them: PostgreSQL then reads each off its own index, and tests no row again (an OR with a
    prefix search made it test every row found, cutting each name into pieces: 5 µs a row)."""
    first, *rest = (branch.order_by().values("pk", "state") for branch in branches)
    return first.union(*rest, all=True)


class _InArray(In):
    """`field IN (subquery)`; on PostgreSQL `field = ANY(ARRAY(subquery))`, which runs the subquery
    first, once, and looks its ids up in the field's index. Asked as IN, a search whose name
    matched more than a few organisations had PostgreSQL hash them and read every filing."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)  # the subquery, in its parentheses
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def in_subquery(field: str, rows: QuerySet) -> Q:
    """`field__in=rows` (their ids), each id looked up in `field`'s index on PostgreSQL."""
    return Q(_InArray(F(field), rows.values("pk").query))


def array_literal(ids: list[int]) -> str:
    """PostgreSQL's text form of an array of ids, `{1,2,…}`."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _among(entries: QuerySet, found: Matches) -> QuerySet:
    """`entries` whose id is one of `found`. A narrow search may list thousands: on PostgreSQL they
    go as one array, which costs a fraction of building and parsing thousands of placeholders."""
    if found.ids and connection.vendor == "postgresql":
        return entries.filter(_AnyOf(F("pk"), found.array))
    return entries.filter(pk__in=found.ids)


def narrowed(entries: QuerySet, scope: str, q: str, searching: Searching) -> QuerySet:
    found = matches(scope, q, searching)
    return entries.filter(searching(q)[1]) if found is None else _among(entries, found)


def is_broad(scope: str, q: str, searching: Searching) -> bool:
    return matches(scope, q, searching) is None
