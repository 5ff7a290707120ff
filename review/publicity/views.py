"""公示 (SPEC §4 publicity): staff publish batches and decide objections; the public reads
the lists and lodges objections during the period.

The public pages show only what the bureau publishes about a filing (number, name, kind,
applicant organisation, district, industry): never a person's name, phone, e-mail or ID
number, and never anything about other objectors.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import bureau_required, is_bureau
from filings.materials import upload_limit_mb
from filings.models import Call, ScanState, sha256_of
from portal.cache import cache_public_page
from portal.http import client_ip
from portal.pages import render_page
from portal.ratelimits import per_ip
from review.models import Objection, PublicityBatch, PublicityEntry
from review.publicity import selectors, services
from review.publicity.forms import ObjectionDecideForm, ObjectionForm, PublishForm
from review.publicity.selectors import (
    OBJECTIONS_PER_IP_PER_DAY,
    calls_with_reviewed_filings,
    publicity_batches_for_public,
)
from workdays.calendar import CalendarUnknown, working_days_after

logger = logging.getLogger(__name__)
# Only a hint to the browser's file picker; the content decides.


@bureau_required
@require_http_methods(["GET", "HEAD", "POST"])
def publicity_new(request):
    call_id = request.GET.get("call") or ""
    call = Call.objects.filter(pk=call_id).first() if call_id.isdigit() else None
    if call is None:
        return render(request, "review/publicity/choose_call.html", {"calls": calls_with_reviewed_filings()})

    initial = {"starts_on": timezone.localdate(), "working_days": settings.PUBLICITY_WORKING_DAYS}
    if request.method == "POST":
        form = PublishForm(request.POST, call=call)
        if form.is_valid() and "publish" in request.POST:
            try:
                batch = services.publicity_publish(
                    call=call,
                    filings=list(form.cleaned_data["filings"]),
                    actor=request.user,
                    starts_on=form.cleaned_data["starts_on"],
                    working_days=form.cleaned_data["working_days"],
                    title=form.cleaned_data["title"],
                    client_ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("已发布公示“%(title)s”，公示期 %(start)s 至 %(end)s。")
                    % {
                        "title": batch.title,
                        "start": batch.starts_on.strftime("%Y-%m-%d"),
                        "end": batch.ends_on.strftime("%Y-%m-%d"),
                    },
                )
                return redirect("review:publicity-list")
        end_date = form.end_date()
    else:
        form = PublishForm(initial=initial, call=call)
        try:
            end_date = working_days_after(initial["starts_on"], initial["working_days"])
        except CalendarUnknown as unknown:
            end_date = None
            messages.warning(request, " ".join(unknown.messages))
    return render(request, "review/publicity/new.html", {"call": call, "form": form, "end_date": end_date})


@bureau_required
@require_safe
def publicity_staff_list(request):
    batches = PublicityBatch.objects.select_related("call").prefetch_related(
        Prefetch(
            "entries",
            queryset=PublicityEntry.objects.select_related("filing__organisation").prefetch_related(
                Prefetch("objections", queryset=Objection.objects.select_related("decided_by"))
            ),
        )
    )
    page = Paginator(batches, 10).get_page(request.GET.get("page"))
    for batch in page.object_list:
        for entry in batch.entries.all():
            for objection in entry.objections.all():
                if objection.decision == Objection.Decision.PENDING:
                    # Ids of its own, so each form's labels point at its own inputs.
                    objection.decide_form = ObjectionDecideForm(auto_id=f"id_o{objection.pk}_%s")
    return render(request, "review/publicity/list.html", {"page": page, "today": timezone.localdate()})


@bureau_required
@require_http_methods(["GET", "HEAD", "POST"])
def objection_decide_view(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related("entry__batch", "entry__filing__organisation"), pk=pk
    )
    form = ObjectionDecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_decide(
                objection=objection,
                actor=request.user,
                uphold=form.cleaned_data["decision"] == Objection.Decision.UPHELD,
                reason=form.cleaned_data["reason"],
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("异议已处理。"))
            if request.GET.get("from") == "filing":  # decided from the filing's page: back there
                return redirect("review:filing", pk=objection.entry.filing_id)
            return redirect("review:publicity-list")
    return render(request, "review/publicity/objection_decide.html", {"objection": objection, "form": form})


@never_cache
@require_safe
def objection_evidence(request, pk: int):
    """Objectors' evidence goes to bureau staff only; to anyone else it does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        raise Http404
    # Only what the virus scan passed: an infected file is kept as evidence and served to nobody.
    objection = get_object_or_404(Objection.objects.exclude(evidence="").filter(scan_state=ScanState.CLEAN), pk=pk)
    try:
        stream = objection.evidence.open("rb")
    except FileNotFoundError:
        logger.error("objection %s: file %s is missing from storage", objection.pk, objection.evidence.name)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"异议{objection.pk}证明材料{objection.evidence_extension}",
        content_type=objection.evidence_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@cache_public_page
def public_list(request):
    batches = publicity_batches_for_public().order_by("period", "-starts_on", "-id")
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(request, "public/publicity/list.html", {"page": page, "today": timezone.localdate()})


PUBLIC_PAGE_SIZE = 50


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@per_ip("objections", rate=f"{OBJECTIONS_PER_IP_PER_DAY}/d", per_path=True, block=False)
def public_detail(request, pk: int):
    # The list alone is the same for every visitor and cached; the objection form (with its
    # CSRF token) appears when a row's "提出异议" is followed, or after a POST.
    if request.method != "POST" and "entry" not in request.GET:
        return _public_detail_list(request, pk)
    return never_cache(_public_detail)(request, pk)


@cache_public_page
def _public_detail_list(request, pk: int):
    return _public_detail(request, pk, with_form=False)


def _public_detail(request, pk: int, with_form: bool = True):
    batch = selectors.publicity_batch_for_public(pk)
    if batch is None:
        raise Http404
    # A page is a slice of the batch's entry ids (kept in order), then those rows with their
    # filings: a deep page of a long 公示 never joins every filing to skip to it.
    page = Paginator(selectors.batch_entry_ids(batch), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    entries_in_order = batch.entries.filter(pk__in=list(page.object_list)).order_by("position", "id")
    shown = list(entries_in_order.values_list(*selectors.PUBLIC_ROW_FIELDS))  # the rows: only what they show
    # The objection form offers the entries on this page; a row's link preselects its entry.
    page_entries = list(entries_in_order.select_related("filing__organisation")) if with_form else []
    entries = page_entries
    if request.method == "POST":
        posted = batch.entries.select_related("filing__organisation").filter(pk=_int_or_none(request.POST.get("entry")))
        entries = list(posted) or page_entries
    today = timezone.localdate()
    running = batch.is_running(today)
    status = 200
    chosen = _int_or_none(request.GET.get("entry"))
    form = (
        ObjectionForm(entries=entries, initial={"entry": chosen} if chosen else None) if running and with_form else None
    )

    if request.method == "POST":
        ip = client_ip(request)
        if not running:
            messages.error(
                request,
                _("异议只能在公示期内（%(start)s 至 %(end)s）提出，本次公示不在公示期内，不能提交异议。")
                % {"start": batch.starts_on.strftime("%Y年%m月%d日"), "end": batch.ends_on.strftime("%Y年%m月%d日")},
            )
            status = 403
        else:
            form = ObjectionForm(request.POST, request.FILES, entries=entries)
            if getattr(request, "limited", False):
                form.is_valid()  # keep what was typed on the page
                form.add_error(
                    None,
                    _("同一网络地址每天对同一批公示最多可提交 %(n)s 条异议，请明天再提交，或通过书面方式向我局反映。")
                    % {"n": OBJECTIONS_PER_IP_PER_DAY},
                )
                status = 429
            elif form.is_valid():
                entry = next(e for e in entries if e.pk == form.cleaned_data["entry"])
                evidence = form.cleaned_data["evidence"]
                try:
                    objection = services.objection_lodge(
                        entry=entry,
                        name=form.cleaned_data["name"],
                        organisation=form.cleaned_data["organisation"],
                        phone=form.cleaned_data["phone"],
                        email=form.cleaned_data["email"],
                        reasons=form.cleaned_data["reasons"],
                        evidence=evidence,
                        evidence_content_type=form.evidence_content_type,
                        evidence_sha256=sha256_of(evidence) if evidence else "",
                        client_ip=ip,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _(
                            "您的异议已提交，受理编号：%(receipt)s，请妥善保存以便查询。"
                            "我局将在核实后处理，必要时通过您留下的联系方式与您联系。"
                        )
                        % {"receipt": objection.receipt},
                    )
                    return redirect("public:publicity-detail", pk=batch.pk)

    rows = selectors.publicity_rows(shown, page.start_index(), running, page.number)
    context = {
        "batch": batch,
        "page": page,
        "rows": rows,
        "running": running,
        "upcoming": batch.starts_on > today,
        "ended": batch.has_ended(today),
        "starts": _day(batch.starts_on),
        "ends": _day(batch.ends_on),
        "form": form,
        # The objection form is crispy-forms' (Django templates), drawn only when it is offered.
        "form_html": render_to_string("public/publicity/objection_form.html", {"form": form}, request) if form else "",
        "upload_limit": upload_limit_mb(),
    }
    return render_page(request, batch.title, "public/publicity.html", context, status=status)


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
