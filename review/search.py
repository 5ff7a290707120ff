"""Searching a long list by name, number or 统一社会信用代码, fast whether it matches few or many.

A search is given two ways: `matching`, one indexed query per field whose UNION ALL lists the
ids (trigram and prefix indexes on PostgreSQL, filings 0008), and `broad`, the same search as
one condition. The ids are read up to a cap. A narrow search (the usual one: a name, a code)
becomes that short list of ids, which every count and page reads cheaply. A broad one (a word
in most names) would make the list of ids as long as the table; it filters the list by its
condition instead, which the database reads in the list's own order, stopping at the page.
"""

from django.db.models import Q, QuerySet

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


def narrowed(entries: QuerySet, scope: str, q: str, matching: QuerySet, broad: Q) -> QuerySet:
    ids = matching_ids(scope, q, matching)
    return entries.filter(broad) if ids is None else entries.filter(pk__in=ids)


def is_broad(scope: str, q: str, matching: QuerySet) -> bool:
    return matching_ids(scope, q, matching) is None
