from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.forms import inlineformset_factory
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import applicant_required
from filings import kinds, selectors, services, workflow
from filings.models import Call, Filing
from filings.rules import Verdict
from filings.steps import OrderedInlineFormSet, Step
from portal.http import client_ip


@applicant_required
def dashboard(request):
    filings = selectors.filings_for_applicant(request.user).order_by("-updated_at")
    page = Paginator(filings, 20).get_page(request.GET.get("page"))
    open_calls = selectors.calls_for_public().filter(closes_at__gt=timezone.now(), opens_at__lte=timezone.now())
    todo = selectors.todo_for_applicant(request.user)
    return render(request, "filings/dashboard.html", {"page": page, "open_calls": open_calls, "todo": todo})


@applicant_required
@require_POST
def start(request, call_id: int):
    call = get_object_or_404(Call, pk=call_id)
    try:
        filing = services.filing_start(call=call, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("public:home")
    first = kinds.get(filing.kind).steps[0]
    return redirect("filings:step", pk=filing.pk, slug=first.slug)


def _progress(filing: Filing, spec, findings) -> list[dict]:
    """Each step with whether a failing finding points at it."""
    failing_steps = {f.step for f in findings if f.verdict == Verdict.FAIL}
    if failing_steps:
        # The last step (submission) is done only when nothing fails anywhere.
        failing_steps.add(spec.steps[-1].slug)
    return [
        {
            "step": step,
            "url": reverse(step.url_name, args=[filing.pk])
            if step.url_name
            else reverse("filings:step", args=[filing.pk, step.slug]),
            "incomplete": step.slug in failing_steps,
        }
        for step in spec.steps
    ]


@applicant_required
def detail(request, pk: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    spec = kinds.get(filing.kind)
    findings = services.filing_findings(filing)
    return render(
        request,
        "filings/detail.html",
        {
            "filing": filing,
            "progress": _progress(filing, spec, findings),
            "findings": findings,
            "badges": spec.badges(filing),
            "versions": filing.versions.select_related("document").order_by("-number"),
            "document_on_registration": spec.document_on_registration,
            "scans_missing": selectors.scans_missing(filing),
            "registration": selectors.registration_for(filing),
            # State changes only: the review's inner steps (who the experts are) are the bureau's.
            "events": filing.events.exclude(from_state=F("to_state")).order_by("-created_at", "-id"),
            "actions": [t for t in workflow.allowed_actions(filing, request.user) if t.action in WITHDRAW_ACTIONS],
        },
    )


def _formset_class(spec, extra: int):
    formset = inlineformset_factory(
        Filing,
        spec.model,
        form=spec.form,
        formset=OrderedInlineFormSet,
        extra=extra,
        can_delete=True,
    )
    formset.spec = spec
    return formset


def _build(step: Step, filing: Filing, detail, request):
    data = request.POST if request.method == "POST" else None
    form = step.form(data, instance=detail) if step.form else None
    formsets = []
    for spec in step.formsets:
        queryset = spec.model.objects.filter(filing=filing, **spec.filter)
        requested = _int(request.GET.get(f"extra-{spec.prefix}"), 0)
        extra = requested if queryset.exists() else max(spec.min_extra, requested)
        formsets.append(_formset_class(spec, extra)(data, instance=filing, queryset=queryset, prefix=spec.prefix))
    return form, formsets


def _int(value, default: int) -> int:
    try:
        return max(0, min(int(value), 50))
    except (TypeError, ValueError):
        return default


@applicant_required
@require_http_methods(["GET", "POST"])
def step(request, pk: int, slug: str):
    filing = selectors.filing_for_applicant(request.user, pk)
    spec = kinds.get(filing.kind)
    current = spec.step(slug)
    if current is None:
        raise Http404
    if current.url_name:
        return redirect(current.url_name, pk=filing.pk)
    if not filing.is_editable:
        messages.info(request, _("该申报已提交，当前不能修改。"))
        return redirect("filings:detail", pk=filing.pk)
    form, formsets = _build(current, filing, spec.detail(filing), request)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        valid = (form is None or form.is_valid()) and all(fs.is_valid() for fs in formsets)
        if valid:
            services.filing_save_step(filing=filing, form=form, formsets=formsets)
            if autosave:
                return _autosave_answer(request, filing, spec, saved=True)
            add_row = request.POST.get("add-row")
            if add_row:
                extra = _int(request.GET.get(f"extra-{add_row}"), 0) + 1
                return redirect(f"{reverse('filings:step', args=[pk, slug])}?extra-{add_row}={extra}#{add_row}")
            messages.success(request, _("已保存。"))
            if "save-next" in request.POST:
                following = _following(spec, current)
                if following:
                    return redirect(_progress_url(filing, following))
            return redirect("filings:step", pk=pk, slug=slug)
        if autosave:
            errors = dict(form.errors) if form is not None else {}
            return _autosave_answer(request, filing, spec, saved=False, errors=errors)
        messages.error(request, _("有内容填写不正确，请按提示修改。本页内容尚未保存。"))
    findings = services.filing_findings(filing)
    return render(
        request,
        "filings/step.html",
        {
            "filing": filing,
            "step": current,
            "form": form,
            "formsets": formsets,
            "progress": _progress(filing, spec, findings),
            "findings": findings,
            "following": _following(spec, current),
        },
        status=200,
    )


def _following(spec, current: Step) -> Step | None:
    steps = spec.steps
    index = steps.index(current)
    return steps[index + 1] if index + 1 < len(steps) else None


def _progress_url(filing: Filing, step: Step) -> str:
    if step.url_name:
        return reverse(step.url_name, args=[filing.pk])
    return reverse("filings:step", args=[filing.pk, step.slug])


def _autosave_answer(request, filing: Filing, spec, *, saved: bool, errors=None) -> JsonResponse:
    findings = services.filing_findings(filing)
    html = render_to_string("filings/_findings.html", {"findings": findings, "filing": filing}, request=request)
    return JsonResponse(
        {
            "saved": saved,
            "saved_at": timezone.localtime().strftime("%H:%M:%S") if saved else None,
            "errors": {name: [str(m) for m in msgs] for name, msgs in (errors or {}).items()},
            "findings_html": html,
        }
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    spec = kinds.get(filing.kind)
    refused = None
    if request.method == "POST":
        try:
            version = services.filing_submit(filing=filing, actor=request.user, client_ip=client_ip(request))
        except services.SubmissionRefused as error:
            refused = error.findings
            messages.error(request, _("尚有不符合条件的事项，不能提交。请按下列提示修改。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("filings:detail", pk=pk)
        else:
            messages.success(
                request,
                _("已提交（第 %(version)s 版），编号 %(number)s。")
                % {"version": version.number, "number": version.filing.number},
            )
            return redirect("filings:detail", pk=pk)
    findings = services.filing_findings(filing)
    return render(
        request,
        "filings/submit.html",
        {
            "filing": filing,
            "step": spec.step("submit"),
            "progress": _progress(filing, spec, findings),
            "findings": findings,
            "refused": refused,
            "can_submit": filing.is_editable and not any(f.verdict == Verdict.FAIL for f in findings),
            "badges": spec.badges(filing),
        },
    )


# What the applicant may do from the filing's page: withdraw a filing, or a registered product record.
WITHDRAW_ACTIONS = ("withdraw", "withdraw_record")


@applicant_required
@require_POST
def withdraw(request, pk: int):
    filing = selectors.filing_for_applicant(request.user, pk)
    action = request.POST.get("action", "withdraw")
    if action not in WITHDRAW_ACTIONS:
        action = "withdraw"
    try:
        workflow.filing_transition(
            filing=filing,
            action=action,
            actor=request.user,
            comment=request.POST.get("comment", ""),
            client_ip=client_ip(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已撤回。"))
    return redirect("filings:detail", pk=pk)
