"""Bulk actions from the queue: a preview, one confirmation, then a progress page while the task runs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import bureau_required
from filings.models import Filing
from review.bulk import services
from review.bulk.forms import BulkChooseForm, BulkConfirmForm
from review.models import BulkRun


def _preview(request, form: BulkConfirmForm, action: str, ids: list[int], status: int = 200):
    by_id = Filing.objects.select_related("organisation", "call").in_bulk(ids)
    filings = [by_id[i] for i in ids if i in by_id]
    rows = services.bulk_preview(action=action, filings=filings)
    context = {
        "form": form,
        "action": BulkRun.Action(action),
        "rows": rows,
        "ready": sum(1 for r in rows if not r["refusal"]),
    }
    return render(request, "review/bulk/preview.html", context, status=status)


@bureau_required
@require_POST
def bulk_preview(request):
    choose = BulkChooseForm(request.POST)
    if not choose.is_valid():
        for errors in choose.errors.values():
            for error in errors:
                messages.error(request, error)
        back = request.POST.get("back", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if back and safe else "review:queue")
    action, ids = choose.cleaned_data["action"], choose.cleaned_data["filings"]
    form = BulkConfirmForm(initial={"action": action, "filings": ids}, experts=services.experts_with_load())
    return _preview(request, form, action, ids)


@bureau_required
@require_POST
def bulk_confirm(request):
    form = BulkConfirmForm(request.POST, experts=services.experts_with_load())
    if form.is_valid():
        try:
            run = services.bulk_start(
                action=form.cleaned_data["action"],
                filing_ids=form.cleaned_data["filings"],
                actor=request.user,
                params=form.params(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("review:bulk-run", pk=run.pk)
    action = form.cleaned_data.get("action") or request.POST.get("action")
    if action not in BulkRun.Action.values:
        messages.error(request, _("请选择批量操作。"))
        return redirect("review:queue")
    return _preview(request, form, action, form.cleaned_data.get("filings") or [], status=400)


@bureau_required
@require_safe
def bulk_run(request, pk: int):
    run = get_object_or_404(BulkRun.objects.select_related("created_by"), pk=pk)
    page = Paginator(run.results, 100).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "page": page,
        "ok": sum(1 for r in run.results if r["ok"]),
        "refused": sum(1 for r in run.results if not r["ok"]),
        "percent": int(100 * run.done / run.total) if run.total else 100,
    }
    return render(request, "review/bulk/run.html", context)


@bureau_required
@require_safe
def bulk_runs(request):
    page = Paginator(BulkRun.objects.select_related("created_by"), 20).get_page(request.GET.get("page"))
    return render(request, "review/bulk/runs.html", {"page": page})
