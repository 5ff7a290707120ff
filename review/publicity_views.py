"""公示 (SPEC §4 publicity): staff publish batches and decide objections; the public reads
the lists and lodges objections during the period.

The public pages show only what the bureau publishes about a filing (number, name, kind,
applicant organisation, district, industry): never a person's name, phone, e-mail or ID
number, and never anything about other objectors.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import bureau_required, is_bureau
from filings.materials import sniff_content_type, upload_limit_mb
from filings.models import Call, Filing, sha256_of
from filings.states import State
from filings.validators import clean_email, clean_phone
from portal.cache import cache_public_page
from portal.http import client_ip
from portal.ratelimits import per_ip
from review import services
from review.models import Objection, PublicityBatch, PublicityEntry

logger = logging.getLogger(__name__)

# More than this many objections from one address to one batch in a day is refused:
# enough for anyone with real grounds, a brake on scripted flooding.
OBJECTIONS_PER_IP_PER_DAY = 5
# Only a hint to the browser's file picker; the content decides.
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_WORKING_DAYS = 60


# --- staff: publish ------------------------------------------------------------------


class FilingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, filing):
        return f"{filing.number or '—'} {filing} — {filing.organisation.name}"


class PublishForm(forms.Form):
    filings = FilingChoiceField(
        label=gettext_lazy("拟公示的申报（评审通过待公示）"),
        queryset=Filing.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("请至少选择一件申报。")},
    )
    title = forms.CharField(
        label=gettext_lazy("公示标题"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("留空则使用“<申报批次> 拟入库名单公示”。"),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("公示开始日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("公示期（工作日）"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        help_text=gettext_lazy("按工作日计算，周末和设定的法定节假日不计入。"),
    )

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filings"].queryset = (
            call.filings.filter(state=State.REVIEWED).select_related("organisation").order_by("number", "id")
        )

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        # A period that began in the past would shorten the public's time to object.
        if starts_on < timezone.localdate():
            raise ValidationError(_("公示开始日期不能早于今天。"))
        return starts_on

    def end_date(self):
        """The end date for what was typed so far, or None."""
        starts_on = self.cleaned_data.get("starts_on") if hasattr(self, "cleaned_data") else None
        days = self.cleaned_data.get("working_days") if hasattr(self, "cleaned_data") else None
        if starts_on and days:
            return services.working_days_after(starts_on, days)
        return None


def _calls_with_reviewed_filings():
    return (
        Call.objects.annotate(reviewed=Count("filings", filter=Q(filings__state=State.REVIEWED)))
        .filter(reviewed__gt=0)
        .order_by("-closes_at")
    )


@bureau_required
@require_http_methods(["GET", "HEAD", "POST"])
def publicity_new(request):
    call_id = request.GET.get("call") or ""
    call = Call.objects.filter(pk=call_id).first() if call_id.isdigit() else None
    if call is None:
        return render(request, "review/publicity_choose_call.html", {"calls": _calls_with_reviewed_filings()})

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
        end_date = services.working_days_after(initial["starts_on"], initial["working_days"])
    return render(request, "review/publicity_new.html", {"call": call, "form": form, "end_date": end_date})


# --- staff: batches and objections ---------------------------------------------------


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("处理结果"),
        choices=[
            (Objection.Decision.DISMISSED, Objection.Decision.DISMISSED.label),
            (Objection.Decision.UPHELD, Objection.Decision.UPHELD.label),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择处理结果。")},
    )
    reason = forms.CharField(
        label=gettext_lazy("处理理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": gettext_lazy("请填写处理理由。")},
    )


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
                    objection.decide_form = DecideForm(auto_id=f"id_o{objection.pk}_%s")
    return render(request, "review/publicity_list.html", {"page": page, "today": timezone.localdate()})


@bureau_required
@require_http_methods(["GET", "HEAD", "POST"])
def objection_decide_view(request, pk: int):
    objection = get_object_or_404(
        Objection.objects.select_related("entry__batch", "entry__filing__organisation"), pk=pk
    )
    form = DecideForm(request.POST or None)
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
            return redirect("review:publicity-list")
    return render(request, "review/objection_decide.html", {"objection": objection, "form": form})


@never_cache
@require_safe
def objection_evidence(request, pk: int):
    """Objectors' evidence goes to bureau staff only; to anyone else it does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_bureau(request.user):
        raise Http404
    objection = get_object_or_404(Objection.objects.exclude(evidence=""), pk=pk)
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


# --- public ------------------------------------------------------------------------


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=gettext_lazy("异议对象"), coerce=int)
    name = forms.CharField(label=gettext_lazy("真实姓名"), max_length=50)
    organisation = forms.CharField(
        label=gettext_lazy("所在单位"), max_length=200, help_text=gettext_lazy("以个人名义提出的，请填写“个人”。")
    )
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30)
    email = forms.CharField(label=gettext_lazy("电子邮箱"), max_length=254, required=False)
    reasons = forms.CharField(
        label=gettext_lazy("异议理由"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=gettext_lazy("请写明具体的事实和理由。"),
    )
    evidence = forms.FileField(
        label=gettext_lazy("证明材料"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, entries: list[PublicityEntry], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("请选择申报"))] + [
            (entry.pk, f"{entry.filing.number or '—'} {entry.filing}") for entry in entries
        ]
        self.fields["evidence"].help_text = _("可选。PDF、JPG 或 PNG，不超过 %(limit)s MB。") % {
            "limit": upload_limit_mb()
        }
        self.evidence_content_type = ""

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        return clean_email(email) if email else ""

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if not evidence:
            return None
        if evidence.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("文件超过 %(limit)s MB 的大小上限，请压缩后再上传。") % {"limit": upload_limit_mb()}
            )
        content_type = sniff_content_type(evidence)
        if content_type is None:
            raise ValidationError(_("文件内容不是 PDF、JPG 或 PNG，请上传 PDF 文件或图片（改扩展名无效）。"))
        self.evidence_content_type = content_type
        return evidence


def publicity_batches_for_public():
    """Running batches first (ending soonest first), then the coming ones, then the past ones."""
    today = timezone.localdate()
    return PublicityBatch.objects.select_related("call").annotate(
        period=Case(
            When(starts_on__lte=today, ends_on__gte=today, then=Value(0)),
            When(starts_on__gt=today, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        filing_count=Count("entries"),
    )


@require_safe
@cache_public_page
def public_list(request):
    batches = publicity_batches_for_public().order_by("period", "-starts_on", "-id")
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(request, "public/publicity_list.html", {"page": page, "today": timezone.localdate()})


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
    batch = get_object_or_404(PublicityBatch.objects.select_related("call"), pk=pk)
    page = Paginator(
        batch.entries.select_related("filing__organisation").order_by("position", "id"), PUBLIC_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    # The objection form offers the entries on this page; a row's link preselects its entry.
    entries = list(page.object_list)
    if request.method == "POST":
        posted = batch.entries.select_related("filing__organisation").filter(pk=_int_or_none(request.POST.get("entry")))
        entries = list(posted) or entries
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
                    services.objection_lodge(
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
                        _("您的异议已提交。我局将在核实后处理，必要时通过您留下的联系方式与您联系。"),
                    )
                    return redirect("public:publicity-detail", pk=batch.pk)

    context = {
        "batch": batch,
        "page": page,
        "entries": page.object_list,
        "running": running,
        "upcoming": batch.starts_on > today,
        "ended": batch.has_ended(today),
        "form": form,
        "upload_limit": upload_limit_mb(),
    }
    return render(request, "public/publicity_detail.html", context, status=status)
