"""Reads of the public registry."""

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.models import District, Organisation
from filings import kinds
from filings.models import Filing
from filings.states import State
from portal.cache import cached_for_state


def registry_entries() -> QuerySet[Filing]:
    return (
        Filing.objects.filter(state=State.REGISTERED).select_related("organisation").order_by("-registered_at", "-id")
    )


def registry_matching(q: str) -> QuerySet[Filing]:
    """Registered filings whose name or registry number contains `q`, or whose holder's name
    contains it or 统一社会信用代码 starts with it; each branch on its own index (filings 0008)."""
    q = q.strip()
    holders = Organisation.objects.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper())).values("pk")
    registered = Filing.objects.filter(state=State.REGISTERED).order_by()
    return (
        registered.filter(title__icontains=q)
        .values("pk")
        .union(
            registered.filter(registry_number__icontains=q).values("pk"),
            registered.filter(organisation__in=holders).values("pk"),
        )
    )


def registry_search(entries: QuerySet[Filing], q: str) -> QuerySet[Filing]:
    """`entries` narrowed to those registry_matching(q) finds: the registry page's and the open data
    API's search.

    On PostgreSQL as `id = ANY(ARRAY(…))`: the matches are collected once from their indexes, then
    read by primary key. Written as `id IN (…)` the planner, unable to estimate the union, would
    rather scan the whole table and join.
    """
    matching = registry_matching(q)
    if connection.vendor != "postgresql":
        return entries.filter(pk__in=matching)
    return entries.filter(_AnyOf(F("pk"), Subquery(matching)))


class _AnyOf(Lookup):
    """`lhs = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, its values are looked up."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def registry_choices() -> dict[str, list]:
    """The years and industries the registry's filters offer: they change only with a state change."""

    def compute() -> dict[str, list]:
        entries = Filing.objects.filter(state=State.REGISTERED).order_by()
        years = (
            entries.annotate(y=ExtractYear("registered_at", tzinfo=timezone.get_current_timezone()))
            .values_list("y", flat=True)
            .distinct()
        )
        industries = entries.exclude(industry="").values_list("industry", flat=True).distinct()
        return {"years": sorted((y for y in years if y), reverse=True), "industries": sorted(industries)}

    return cached_for_state("registry-choices", compute, seconds=600)


def registry_rows(entries: list[Filing]) -> list[dict]:
    """What each row shows, its labels looked up once for the page."""
    kind_labels = dict(kinds.choices())
    district_labels = dict(District.choices)
    return [
        {
            "pk": f.pk,
            "registry_number": f.registry_number,
            "title": f.title,
            "kind": kind_labels.get(f.kind, f.kind),
            "organisation": f.organisation.name,
            "district": district_labels.get(f.organisation.district, f.organisation.district),
            "industry": f.industry,
            "registered": timezone.localtime(f.registered_at).strftime("%Y-%m-%d") if f.registered_at else "",
        }
        for f in entries
    ]


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: a page of a large list never counts the whole table. Past the
    cap the list says "N 条以上" and asks for a narrower search."""

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number):
        # A page is a slice of the list, never clipped at the (capped) count.
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)
