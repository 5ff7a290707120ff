"""A district bureau's read-only list and page of its own area's filings (seed 003 三)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.roles import area_of, district_required
from filings import kinds, workflow
from review.district import selectors
from review.queue import versions

PAGE_SIZE = 25


@district_required
def filings(request):
    q = request.GET.get("q", "")[:100]
    paginator = Paginator(selectors.filings_for_district(area=area_of(request.user), q=q), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "review/district/filings.html",
        {"page": page, "q": q, "query": f"q={q}" if q else "", "area": area_of(request.user)},
    )


@district_required
def filing(request, pk: int):
    filing = selectors.filing_for_district(area=area_of(request.user), pk=pk)
    spec = kinds.get(filing.kind)
    latest = filing.versions.order_by("-number").first()
    action_labels = {t.action: t.label for t in workflow.TABLE}
    return render(
        request,
        "review/district/filing.html",
        {
            "filing": filing,
            "spec": spec,
            "latest": latest,
            "sections": versions.version_sections(spec, latest.data) if latest else [],
            "frozen_materials": versions.materials_section(latest.materials) if latest else None,
            "kind_templates": [f"review/queue/kinds/{filing.kind.lower()}.html", "review/queue/kinds/generic.html"],
            "findings": versions.findings_for_display(latest.findings if latest else []),
            "events": [
                {"event": e, "label": action_labels.get(e.action, e.action)}
                for e in filing.events.order_by("-created_at", "-id")
            ],
            "read_only_note": _("区知识产权局只读查看本区申报，办理由市知识产权局进行。"),
        },
    )
