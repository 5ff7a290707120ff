"""Searching a long list by name, number or 统一社会信用代码, fast whether it matches few or many.

A search is given two ways: `matching`, one indexed query per field whose UNION ALL lists the
ids (trigram and prefix indexes on PostgreSQL, filings 0008), and `broad`, the same search as
one condition. The ids are read up to a cap. A narrow search (the usual one: a name, a code)
becomes that short list of ids, which every count and page reads cheaply. A broad one (a word
in most names) would make the list of ids as long as the table; it filters the list by its
condition instead, which the database reads in the list's own order, stopping at the page.
"""

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet

from portal.cache import cached_for_state

# A search matching more than this many filings is broad (its list says "N 以上").
SEARCH_CAP = 5000


def matching_ids(scope: str, q: str, matching: QuerySet) -> list[int] | None:
    """The ids of what `q` matches, or None when it matches more than SEARCH_CAP: kept until
    the next state change, so that a search's counts and pages read it once."""

    def compute():
        found = [row["pk"] for row in matching[: SEARCH_CAP + 1]]
        return None if len(found) > SEARCH_CAP else sorted(set(found))

    # A list in the cache: None itself would read as a miss.
    kept = cached_for_state(f"search:{scope}:{q}", lambda: [compute()])
    return kept[0]


class _AnyOf(Lookup):
    """`field = ANY('{1,2,…}'::bigint[])`: the ids as one array literal. A list parameter would be
    sent as ARRAY[1, 2, …], thousands of constants for PostgreSQL to parse and plan one by one."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        array = array_literal(self.rhs)
        return f"{lhs} = ANY(%s::{self.lhs.output_field.cast_db_type(connection)}[])", [*params, array]


def array_literal(ids: list[int]) -> str:
    """PostgreSQL's text form of an array of ids, `{1,2,…}`."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def _among(entries: QuerySet, ids: list[int]) -> QuerySet:
    """`entries` whose id is one of `ids`. A narrow search may list thousands: on PostgreSQL they
    go as one array, which costs a fraction of building and parsing thousands of placeholders."""
    if ids and connection.vendor == "postgresql":
        return entries.filter(_AnyOf(F("pk"), ids))
    return entries.filter(pk__in=ids)


def narrowed(entries: QuerySet, scope: str, q: str, matching: QuerySet, broad: Q) -> QuerySet:
    ids = matching_ids(scope, q, matching)
    return entries.filter(broad) if ids is None else _among(entries, ids)


def is_broad(scope: str, q: str, matching: QuerySet) -> bool:
    return matching_ids(scope, q, matching) is None
