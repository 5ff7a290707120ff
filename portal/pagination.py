"""Pagination for lists that may be long: a page never counts or skips the whole table."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

# From this many rows into a list, a page's rows are read by their ids (page_rows).
DEFERRED_FROM = 100


def page_rows(page_list: QuerySet) -> QuerySet:
    """The rows of one page of a sorted list (`page_list`: the list as its paginator sliced it),
    in the list's order.

    Deep in a long list the database would read every row before the page in full, and join
    what the rows show (their organisation), only to drop them: a page's cost would grow with its
    number. From DEFERRED_FROM rows in, the page is read in two steps of one query instead: its
    ids, in the list's order, off the index that serves the list's filter and sort (an index-only
    scan where that index holds them, as the registry's and the queue's do), then those rows
    alone. Near the top of a list the plain slice costs less."""
    if page_list.query.low_mark < DEFERRED_FROM:
        return page_list
    ids = page_list.values("pk")  # the slice and its order stay: LIMIT/OFFSET in the subquery
    ordering = page_list.query.order_by or page_list.model._meta.ordering
    return page_list.model._base_manager.filter(pk__in=ids).order_by(*ordering)


class CappedPaginator(Paginator):
    """Counts at most `cap` rows. Past the cap the list says "N 条以上" and asks for a narrower
    search; its pages go on as slices of the list."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        # Without the list's ordering, the database counts from whichever index serves the filter.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        # A page is a slice of the list, never clipped at the (capped) count.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
