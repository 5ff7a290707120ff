"""备案库 / 立项名单 (SPEC §4 registry): registration on the filing page, and the public list
of registered filings with its CSV.

The public sees only public facts: the registry number, the name, the kind, the applicant
organisation, its district, the industry and the date of registration. No person's data.
"""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import bureau_required
from filings.models import Filing
from portal.cache import cache_public_page
from portal.http import client_ip
from portal.pages import render_page
from portal.pagination import CappedPaginator
from review.queue import selectors as queue_selectors
from review.registry import services
from review.registry.forms import RegistryFilterForm
from review.registry.selectors import (
    registry_count,
    registry_entries,
    registry_facets,
    registry_list,
    registry_rows,
)
from review.spreadsheets import csv_cell


@bureau_required
@require_POST
def filing_register(request, pk: int):
    filing = queue_selectors.filing_for_staff(pk)
    try:
        registered = services.filing_register(filing=filing, actor=request.user, client_ip=client_ip(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已入库/立项，编号 %(number)s。") % {"number": registered.registry_number})
    return redirect("review:filing", pk=pk)


PAGE_SIZE = 20
# A list counts at most this many entries (250 pages); past it the page asks for a narrower search.
COUNT_CAP = 5000
CSV_HEADER = ("备案号/立项号", "名称", "类型", "申报单位", "所在区", "产业领域", "入库时间")
# Excel would run a cell that starts with one of these as a formula (CSV injection).
_cell = csv_cell  # no formula injection (review.spreadsheets)


def _csv_row(filing: Filing) -> list[str]:
    registered = timezone.localtime(filing.registered_at).strftime("%Y-%m-%d") if filing.registered_at else ""
    return [
        _cell(filing.registry_number),
        _cell(filing.title),
        _cell(filing.get_kind_display()),
        _cell(filing.organisation.name),
        _cell(filing.organisation.get_district_display()),
        _cell(filing.industry),
        registered,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_stream(entries: QuerySet[Filing]):
    writer = csv.writer(_Echo())
    # The byte-order mark tells Excel the file is UTF-8, so Chinese opens correctly.
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for filing in entries.iterator(chunk_size=500):
        yield writer.writerow(_csv_row(filing))


@require_safe
@cache_public_page
def registry(request):
    # The registry's grouped counts, read once for the filters' choices and the page's count.
    facets = registry_facets()
    form = RegistryFilterForm(request.GET or None, facets=facets)
    entries = registry_list()
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
        params = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    else:
        params = {}
        if form.is_bound:
            entries = entries.none()

    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(_csv_stream(entries), content_type="text/csv; charset=utf-8")
        filename = f"registry-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    paginator = CappedPaginator(entries, PAGE_SIZE, cap=COUNT_CAP)
    # Counted without a query of its own: from the registry's facets, or a search's kept count.
    paginator.count = 0 if form.errors else registry_count(params, entries, COUNT_CAP, facets)
    page = paginator.get_page(request.GET.get("page"))
    return render_page(
        request,
        _("备案库"),
        "public/registry.html",
        {
            "filter_bar": form.bar(),
            "invalid": bool(form.errors),
            "page": page,
            "rows": registry_rows(page.object_list),
            "query": urlencode(params),
            "csv_query": urlencode({**params, "format": "csv"}),
        },
    )


@require_safe
@cache_public_page
def registry_detail(request, pk: int):
    filing = get_object_or_404(registry_entries().select_related("call"), pk=pk)
    return render(request, "public/registry/detail.html", {"filing": filing})
