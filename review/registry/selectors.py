"""Reads of the public registry."""

from operator import itemgetter

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from filings import labels
from filings.models import Filing
from filings.states import State
from portal.cache import cached_for_state
from portal.lookups import contains_text
from portal.pagination import page_rows
from review import search


def registry_entries() -> QuerySet[Filing]:
    return (
        Filing.objects.filter(state=State.REGISTERED).select_related("organisation").order_by("-registered_at", "-id")
    )


def registry_list() -> QuerySet[Filing]:
    """The registry's list (its pages and its CSV), with only what they show."""
    return registry_entries().only(
        "id", "kind", "title", "registry_number", "registered_at", "industry", "state",
        "organisation__name", "organisation__district",
    )  # fmt: skip


def registry_matching(q: str) -> tuple[QuerySet, Q]:
    """What a registry search matches: registered filings whose name or registry number contains
    `q`, or whose holder's name contains it or 统一社会信用代码 starts with it (review/search.py).
    As ids, one branch per field, each read off its own index (filings 0008, 0026); as one
    condition, for a broad search."""
    q = q.strip()
    upper = q.upper()
    # Registered, asked as UPPER(state) = 'REGISTERED': the condition of the registry's own
    # indexes of the names' pieces (filings 0026), which no other index serves. Asked plainly,
    # PostgreSQL read every registered filing off the state's index instead, and tested each
    # one's name by cutting it into pieces (5 µs a row).
    registered = Filing.objects.filter(state__iexact=State.REGISTERED)
    ids = search.ids_of(
        registered.filter(contains_text("title", q)),
        registered.filter(contains_text("registry_number", q)),
        registered.filter(search.in_subquery("organisation_id", Organisation.objects.filter(contains_text("name", q)))),
        registered.filter(search.in_subquery("organisation_id", Organisation.objects.filter(uscc__startswith=upper))),
    )
    holders = Organisation.objects.filter(Q(name__icontains=q) | Q(uscc__startswith=upper)).values("pk")
    return ids, Q(title__icontains=q) | Q(registry_number__icontains=q) | Q(organisation__in=holders)


def registry_search(entries: QuerySet[Filing], q: str) -> QuerySet[Filing]:
    """`entries` narrowed to what `q` matches: the registry page's and the open data API's search
    (review/search.py: a narrow search as the ids its indexes give, a broad one as one condition)."""
    return search.narrowed(entries, "registry", q.strip(), registry_matching)


def registry_facets() -> list[tuple]:
    """How many registered filings there are of each year, industry, kind and holder's district:
    one grouped read of the registry, from which the filters' choices and the count of any list
    without a search are added up, instead of a query each. Kept until the next state change
    (registration is one), and at most a minute: an organisation that moves district is counted
    in its new one as soon as the cached pages show it there."""

    def compute() -> list[tuple]:
        tz = timezone.get_current_timezone()
        return list(
            Filing.objects.filter(state=State.REGISTERED)
            .order_by()
            .values_list(ExtractYear("registered_at", tzinfo=tz), "industry", "kind", "district")
            .annotate(n=Count("id"))
        )

    return cached_for_state("registry-facets", compute, seconds=60)


def registry_choices(facets: list[tuple] | None = None) -> dict[str, list]:
    """The years and industries the registry's filters offer (from `facets`, the page's read of
    registry_facets): they change only with a state change."""
    facets = registry_facets() if facets is None else facets
    years = {year for year, _industry, _kind, _district, _n in facets if year}
    industries = {industry for _year, industry, _kind, _district, _n in facets if industry}
    return {"years": sorted(years, reverse=True), "industries": sorted(industries)}


def registry_count(filters: dict, entries: QuerySet[Filing], cap: int, facets: list[tuple] | None = None) -> int:
    """How many of `entries` (the list under `filters`, the form's cleaned data) there are, up to
    cap + 1 (portal.pagination.CappedPaginator). Without a search, added up from the facets (the
    page's read of registry_facets); with one, counted once until the next state change, so that
    paging through a search counts it once."""
    if not (filters.get("q") or "").strip():
        facets = registry_facets() if facets is None else facets
        wanted = [
            (position, filters[name])
            for position, name in enumerate(("year", "industry", "kind", "district"))
            if filters.get(name) not in (None, "")
        ]
        if wanted:
            # The facets' columns that the filters name, as one tuple to compare with theirs.
            positions, values = zip(*wanted, strict=True)
            columns = itemgetter(*positions, 4)
            total = sum(row[-1] for row in map(columns, facets) if row[:-1] == values)
        else:
            total = sum(facet[4] for facet in facets)
        return min(total, cap + 1)
    key = "registry-search-count:" + repr(sorted((k, str(v)) for k, v in filters.items() if v not in (None, "")))
    return cached_for_state(key, entries.order_by()[: cap + 1].count)


# What a registry row shows (registry_rows), in this order, and no more.
REGISTRY_ROW_FIELDS = (
    "pk", "registry_number", "title", "kind", "organisation__name", "district", "industry",
    "registered_at",
)  # fmt: skip


def registry_rows(entries: QuerySet[Filing]) -> list[dict]:
    """What each row of a page of `entries` (the list sliced by its paginator) shows: read as plain
    values, not model instances, a deep page by its ids (portal.pagination.page_rows), with its
    labels translated once for the process (filings.labels)."""
    kind_labels, district_labels = labels.kind_labels(), labels.district_labels()
    # One reverse() for the page: each row's address is the same but for its id.
    detail_url = reverse("public:registry-detail", args=[0]).removesuffix("0/")
    rows = page_rows(entries).values_list(*REGISTRY_ROW_FIELDS)
    return [
        {
            "pk": pk,
            "url": f"{detail_url}{pk}/",
            "registry_number": number,
            "title": title,
            "kind": kind_labels.get(kind, kind),
            "organisation": organisation,
            "district": district_labels.get(district, district),
            "industry": industry,
            "registered": timezone.localtime(registered_at).strftime("%Y-%m-%d") if registered_at else "",
        }
        for pk, number, title, kind, organisation, district, industry, registered_at in rows
    ]
