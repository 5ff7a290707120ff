"""The statistics dashboard (SPEC §6): the city bureau sees the city, a district bureau its own area."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import area_of, bureau_required, oversight_required
from filings.selectors import call_choices
from portal.pages import render_page
from review.spreadsheets import xlsx_response
from review.statistics import bulletin, charts, selectors
from review.statistics.calendar import workday_table_ensure
from review.statistics.forms import BulletinForm, StatisticsFilterForm
from review.statistics.models import Bulletin


def dashboard_filters(request) -> tuple[StatisticsFilterForm, dict]:
    form = StatisticsFilterForm(request.GET, area=area_of(request.user))
    return form, form.filters()


@oversight_required
def dashboard(request):
    form, filters = dashboard_filters(request)
    workday_table_ensure()
    figures = selectors.dashboard(filters)
    drawn = charts.dashboard_charts(figures)
    context = {
        "form": form,
        "figures": figures,
        "charts": drawn,
        # The charts' data rides in the page beside the tables, for static/js/statistics.js.
        "charts_json": json_script(drawn, "stats-charts"),
        "area": area_of(request.user),
        "query": request.GET.urlencode(),
    }
    return render_page(request, _("备案与申报统计"), "review/statistics/dashboard.html", context)


def _period_label(filters: dict) -> str:
    start, end = filters.get("date_from"), filters.get("date_to")
    parts = [f"{start:%Y-%m-%d}" if start else "开始", f"{end:%Y-%m-%d}" if end else "今日"]
    scope = [str(filters[key]) for key in ("area", "kind") if filters.get(key)]
    if filters.get("call"):
        scope.append(dict(call_choices()).get(filters["call"], str(filters["call"])))
    return " 至 ".join(parts) + ("；" + "，".join(scope) if scope else "")


@oversight_required
def dashboard_xlsx(request):
    _form, filters = dashboard_filters(request)
    workday_table_ensure()
    sheets = bulletin.figures_sheets(
        selectors.dashboard(filters), title="备案与申报统计", period=_period_label(filters)
    )
    return xlsx_response(sheets, filename=f"statistics-{timezone.localdate():%Y%m%d}.xlsx")


def _bulletins_page(request, form=None, status=200):
    bulletins = Paginator(Bulletin.objects.select_related("requested_by"), 20).get_page(request.GET.get("page"))
    bulletin.bulletin_states(bulletins.object_list)
    return render(
        request, "review/statistics/bulletins.html", {"form": form or BulletinForm(), "page": bulletins}, status=status
    )


@bureau_required
def bulletins(request):
    if request.method != "POST":
        return _bulletins_page(request)
    form = BulletinForm(request.POST)
    if not form.is_valid():
        return _bulletins_page(request, form, status=400)
    bulletin.bulletin_request(actor=request.user, **form.cleaned_data)
    messages.success(request, _("通报正在生成，完成后可在下表下载 PDF。"))
    return redirect("review:bulletins")


@bureau_required
@require_POST
def bulletin_retry(request, pk: int):
    item = get_object_or_404(Bulletin, pk=pk)
    if bulletin.bulletin_retry(bulletin=item):
        messages.success(request, _("已重新生成通报，完成后可在下表下载 PDF。"))
    return redirect("review:bulletins")


@bureau_required
def bulletin_pdf(request, pk: int):
    item = get_object_or_404(Bulletin, pk=pk)
    if not item.file:
        raise Http404(_("通报尚在生成中，请稍后再试。"))
    response = FileResponse(item.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bulletin-{item.pk}.pdf"'
    return response


@bureau_required
def bulletin_xlsx(request, pk: int):
    item = get_object_or_404(Bulletin, pk=pk)
    return xlsx_response(bulletin.bulletin_sheets(item), filename=f"bulletin-{item.pk}.xlsx")
