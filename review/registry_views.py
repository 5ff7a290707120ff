"""备案库 / 立项名单 (SPEC §4 registry): the public list of registered filings.

Only public facts: the registry number, the name, the kind, the applicant organisation,
its district, the industry and the date of registration. No person's data.
"""

import csv
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from accounts.models import District
from filings import kinds
from filings.models import Filing
from filings.states import State
from portal.cache import cache_public_page

PAGE_SIZE = 20
CSV_HEADER = ("备案号/立项号", "名称", "类型", "申报单位", "所在区", "产业领域", "入库时间")
# Excel would run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def registry_entries() -> QuerySet[Filing]:
    return (
        Filing.objects.filter(state=State.REGISTERED).select_related("organisation").order_by("-registered_at", "-id")
    )


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或编号"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(label=gettext_lazy("产业领域"), required=False)
    district = forms.ChoiceField(label=gettext_lazy("所在区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        entries = Filing.objects.filter(state=State.REGISTERED)
        years = sorted({d.year for d in entries.datetimes("registered_at", "year")}, reverse=True)
        industries = entries.exclude(industry="").order_by("industry").values_list("industry", flat=True).distinct()
        self.fields["kind"].choices = everything + kinds.choices()
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["industry"].choices = everything + [(i, i) for i in industries]
        self.fields["district"].choices = everything + list(District.choices)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filter(self, entries: QuerySet[Filing]) -> QuerySet[Filing]:
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            entries = entries.filter(Q(title__icontains=q) | Q(registry_number__icontains=q))
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("year"):
            entries = entries.filter(registered_at__year=data["year"])
        if data.get("industry"):
            entries = entries.filter(industry=data["industry"])
        if data.get("district"):
            entries = entries.filter(organisation__district=data["district"])
        return entries


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


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
    form = RegistryFilterForm(request.GET or None)
    entries = registry_entries()
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

    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(params)
    return render(
        request,
        "public/registry.html",
        {"form": form, "page": page, "query": query, "csv_query": urlencode({**params, "format": "csv"})},
    )


@require_safe
@cache_public_page
def registry_detail(request, pk: int):
    filing = get_object_or_404(registry_entries().select_related("call"), pk=pk)
    return render(request, "public/registry_detail.html", {"filing": filing})
