"""Reads of the public registry."""

from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from accounts.models import District, Organisation
from filings import kinds
from filings.models import Filing
from filings.states import State
from portal.cache import cached_for_state
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
    )


def registry_matching(q: str) -> tuple[QuerySet, Q]:
    """What a registry search matches: registered filings whose name or registry number contains
    `q`, or whose holder's name contains it or 统一社会信用代码 starts with it (review/search.py).
    As ids, each branch reads its own indexes (filings 0008); as one condition, for a broad search."""
    q = q.strip()
    holders = Organisation.objects.filter(Q(name__icontains=q) | Q(uscc__startswith=q.upper())).values("pk")
    registered = Filing.objects.filter(state=State.REGISTERED).order_by()
    # Name and number in one branch: their trigram indexes combine (BitmapOr).
    by_filing = Q(title__icontains=q) | Q(registry_number__icontains=q)
    ids = (
        registered.filter(by_filing)
        .values("pk")
        .union(registered.filter(organisation__in=holders).values("pk"), all=True)
    )
    return ids, by_filing | Q(organisation__in=holders)


def registry_search(entries: QuerySet[Filing], q: str) -> QuerySet[Filing]:
    """`entries` narrowed to what `q` matches: the registry page's and the open data API's search
    (review/search.py: a narrow search as the ids its indexes give, a broad one as one condition)."""
    return search.narrowed(entries, "registry", q.strip(), *registry_matching(q))


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
    # One reverse() for the page: each row's address is the same but for its id.
    detail_url = reverse("public:registry-detail", args=[0]).removesuffix("0/")
    return [
        {
            "pk": f.pk,
            "url": f"{detail_url}{f.pk}/",
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
