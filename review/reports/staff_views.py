"""Staff pages of the yearly reports: what is due and overdue, and each report with its growth table."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import area_of, bureau_required, oversight_required
from portal.http import client_ip
from review.reports import selectors, services
from review.reports.forms import DecisionForm, ReportFilterForm
from review.reports.views import document_response, file_response, report_context
from review.reports.workflow import allowed_actions

PAGE_SIZE = 20


# A district bureau reads its own area's reports (seeds 001, 004: reports go to the 区知识产权局
# too); only the city bureau decides.
@oversight_required
@require_safe
def report_list(request):
    form = ReportFilterForm(request.GET or None)
    query = status = ""
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
    periods = selectors.periods_for_staff(query=query, status=status, area=area_of(request.user))
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    params = urlencode({k: v for k, v in (("q", query), ("status", status)) if v})
    return render(request, "review/reports/list.html", {"form": form, "page": page, "query": params})


@oversight_required
@require_safe
def report_detail(request, pk: int):
    report = selectors.report_for_staff(pk, area=area_of(request.user))
    context = report_context(report, decision_form=DecisionForm(), actions=allowed_actions(report, request.user))
    return render(request, "review/reports/detail.html", context)


@bureau_required
@require_POST
def report_decide(request, pk: int):
    report = selectors.report_for_staff(pk)
    form = DecisionForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        try:
            services.report_decide(
                report=report,
                actor=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("comment" if error.code == "comment_required" else None, error)
        else:
            messages.success(request, _("已审核通过。") if accept else _("已退回修改。"))
            return redirect("review:report", pk=report.pk)
    context = report_context(report, decision_form=form, actions=allowed_actions(report, request.user))
    return render(request, "review/reports/detail.html", context, status=400)


@oversight_required
@require_safe
def report_file(request, pk: int, file_id: int):
    return file_response(selectors.report_for_staff(pk, area=area_of(request.user)), file_id)


@oversight_required
@require_safe
def report_document(request, pk: int, number: int):
    return document_response(selectors.report_for_staff(pk, area=area_of(request.user)), number)
