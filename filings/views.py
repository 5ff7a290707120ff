from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.forms import inlineformset_factory
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import applicant_required
from filings import kinds, pdf, selectors, services, workflow
from filings.form_limits import limit_text_fields
from filings.models import Call, Filing
from filings.rules import Verdict
from filings.steps import OrderedInlineFormSet, Step
from portal.http import client_ip
from portal.pages import page_response, render_body


@applicant_required
def dashboard(request):
    filings = selectors.filings_for_applicant(request.user).order_by("-updated_at")
    page = Paginator(filings, 20).get_page(request.GET.get("page"))
    open_calls = [
        call
        for call in selectors.calls_for_public().filter(closes_at__gt=timezone.now(), opens_at__lte=timezone.now())
        if kinds.is_available(call.kind)
    ]
    todo = selectors.todo_for_applicant(request.user)
    return render(request, "filings/dashboard.html", {"page": page, "open_calls": open_calls, "todo": todo})


@applicant_required
@require_http_methods(["GET", "POST"])
def start(request, call_id: int):
    """The call's page: what it is, the organisation's drafts for it, and the button that starts one.
    "登录后填报" comes back here after the login."""
    call = get_object_or_404(Call, pk=call_id)
    if request.method == "POST":
        try:
            filing = services.filing_start(call=call, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            first = kinds.get(filing.kind).steps[0]
            return redirect("filings:step", pk=filing.pk, slug=first.slug)
    now = timezone.now()
    return render(
        request,
        "filings/start.html",
        {
            "call": call,
            "can_start": call.is_open(now) and kinds.is_available(call.kind),
            "existing": selectors.filings_for_applicant(request.user).filter(call=call).order_by("-updated_at"),
        },
    )


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


def _finding_groups(spec, findings, current: str = "") -> list[dict]:
    """Findings grouped by the step where each is fixed, in the order of the steps.

    A group folds; the current step's group is open, and where no step is current
    (the filing's page, the submission page) every group with a failing finding is.
    """
    titles = {step.slug: step.title for step in spec.steps}
    order = [step.slug for step in spec.steps]
    groups: dict[str, dict] = {}
    for finding in findings:
        slug = finding.step if finding.step in titles else ""
        group = groups.setdefault(slug, {"slug": slug, "title": titles.get(slug, _("整体条件")), "findings": []})
        group["findings"].append(finding)
    result = sorted(groups.values(), key=lambda g: order.index(g["slug"]) if g["slug"] in order else -1)
    for group in result:
        group["fails"] = sum(1 for f in group["findings"] if f.verdict == Verdict.FAIL)
        group["reviews"] = sum(1 for f in group["findings"] if f.verdict == Verdict.REVIEW)
        group["open"] = group["slug"] == current if current else group["fails"] > 0
    return result


def _sidebar(filing: Filing, spec, findings, *, step: Step | None = None, current: str = "") -> dict:
    """A draft's steps and the rules' findings, beside its pages (drawn by Jinja2): `step` is the
    page's own step, `current` the step whose findings open (none: those that fail)."""
    progress = _progress(filing, spec, findings)
    return {
        "progress": progress,
        "progress_html": render_body("filings/_progress.html", {"progress": progress, "step": step}),
        "findings_html": _findings_html(filing, _finding_groups(spec, findings, current), step),
    }


def _findings_html(filing: Filing, groups: list[dict], step: Step | None) -> str:
    return render_body("filings/_findings.html", {"finding_groups": groups, "filing": filing, "step": step})


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
            **_sidebar(filing, spec, findings),
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


# Each table's formset class, made once per process: a class per request cost a step page a
# model form class per table. Keyed by the table's id, holding the table, so the id stays its own.
_FORMSET_CLASSES: dict[int, tuple] = {}


def _formset_class(spec):
    known = _FORMSET_CLASSES.get(id(spec))
    if known is not None:
        return known[1]
    formset = inlineformset_factory(
        Filing,
        spec.model,
        form=spec.form,
        formset=OrderedInlineFormSet,
        # Set on each formset by `_build`, once its rows are read.
        extra=0,
        can_delete=True,
        # A posted TOTAL_FORMS of 100,000 builds at most this many forms, and is refused.
        max_num=settings.FORMSET_MAX_ROWS,
        validate_max=True,
        absolute_max=settings.FORMSET_MAX_ROWS,
    )
    formset.spec = spec
    _FORMSET_CLASSES[id(spec)] = (spec, formset)
    return formset


def _stored_rows(filing: Filing, tables) -> tuple[dict[str, list], dict]:
    """The stored rows of the step's tables that share a model (the members of each category),
    read in one query: each row says which tables' filters it meets, so the database still
    decides, and each table gets its rows in the order its own query would give them. A table
    alone on its model, or with no filter, reads its own rows.

    Returns each such table's rows by prefix, and every row of the filing in each model read,
    for the rules (services.filing_findings)."""
    by_model: dict = {}
    for table in tables:
        if table.filter:
            by_model.setdefault(table.model, []).append(table)
    rows: dict[str, list] = {}
    every: dict = {}
    for model, shared in by_model.items():
        if len(shared) < 2:
            continue
        flags = {
            f"in_table_{n}": ExpressionWrapper(Q(**t.filter), output_field=BooleanField()) for n, t in enumerate(shared)
        }
        queryset = model.objects.filter(filing=filing)
        if not queryset.ordered:  # as a formset orders its rows
            queryset = queryset.order_by(model._meta.pk.name)
        every[model] = list(queryset.annotate(**flags))
        for n, table in enumerate(shared):
            rows[table.prefix] = [row for row in every[model] if getattr(row, f"in_table_{n}")]
    return rows, every


def _build(step: Step, filing: Filing, detail, request):
    """The step's form and tables, and every stored row of the filing read for them, by model."""
    data = request.POST if request.method == "POST" else None
    form = limit_text_fields(step.form(data, instance=detail)) if step.form else None
    stored, read = _stored_rows(filing, step.formsets)
    formsets = []
    for spec in step.formsets:
        queryset = spec.model.objects.filter(filing=filing, **spec.filter)
        formset = _formset_class(spec)(
            data, instance=filing, queryset=queryset, prefix=spec.prefix, stored=stored.get(spec.prefix)
        )
        requested = _int(request.GET.get(f"extra-{spec.prefix}"), 0)
        # A table with no rows yet opens with its blank rows. The formset reads its rows here, once.
        formset.extra = requested if formset.get_queryset() else max(spec.min_extra, requested)
        formsets.append(formset)
    return form, formsets, read


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
    form, formsets, read = _build(current, filing, spec.detail(filing), request)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        valid = (form is None or form.is_valid()) and all(fs.is_valid() for fs in formsets)
        if valid:
            try:
                services.filing_save_step(filing=filing, form=form, formsets=formsets)
            except ValidationError as error:
                if autosave:
                    return _autosave_answer(request, filing, spec, saved=False, errors={"__all__": error.messages})
                messages.error(request, " ".join(error.messages))
                return redirect("filings:detail", pk=filing.pk)
            if autosave:
                rows = {name: pk for formset in formsets for name, pk in formset.row_ids().items()}
                return _autosave_answer(request, filing, spec, saved=True, rows=rows)
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
            for formset in formsets:
                table_errors = list(formset.non_form_errors())
                for row, row_errors in enumerate(formset.errors, start=1):
                    table_errors += [
                        _("%(title)s第%(row)s行：%(message)s") % {"title": formset.spec.title, "row": row, "message": m}
                        for messages_ in row_errors.values()
                        for m in messages_
                    ]
                if table_errors:
                    errors[formset.prefix] = table_errors
            return _autosave_answer(request, filing, spec, saved=False, errors=errors)
        messages.error(request, _("有内容填写不正确，请按提示修改。本页内容尚未保存。"))
    # Nothing was saved: the rules take the rows the tables read.
    findings = services.filing_findings(filing, read=read)
    context = {
        "filing": filing,
        "step": current,
        "form": form,
        "formsets": formsets,
        "tables": [
            render_body("filings/formset.html", {"formset": formset, "spec": formset.spec, "step": current})
            for formset in formsets
        ],
        **_sidebar(filing, spec, findings, step=current, current=current.slug),
        "following": _following(spec, current),
    }
    body = render_to_string("filings/step.html", context, request)
    return page_response(request, f"{current.title} · {filing}", body, context)


def _following(spec, current: Step) -> Step | None:
    steps = spec.steps
    index = steps.index(current)
    return steps[index + 1] if index + 1 < len(steps) else None


def _progress_url(filing: Filing, step: Step) -> str:
    if step.url_name:
        return reverse(step.url_name, args=[filing.pk])
    return reverse("filings:step", args=[filing.pk, step.slug])


def _autosave_answer(request, filing: Filing, spec, *, saved: bool, errors=None, rows=None) -> JsonResponse:
    findings = services.filing_findings(filing)
    step = spec.step(request.resolver_match.kwargs.get("slug", ""))
    html = _findings_html(filing, _finding_groups(spec, findings, step.slug if step else ""), step)
    return JsonResponse(
        {
            "saved": saved,
            "saved_at": timezone.localtime().strftime("%H:%M:%S") if saved else None,
            "errors": {name: [str(m) for m in msgs] for name, msgs in (errors or {}).items()},
            "findings_html": html,
            # Table rows saved in the background keep their new ids in the page.
            "rows": rows or {},
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
            "sections": _filing_sections(filing, spec),
            "materials": filing.material_files.order_by("code", "id"),
            "preview": _has_draft_preview(spec),
            "filing": filing,
            "step": spec.step("submit"),
            **_sidebar(filing, spec, findings, step=spec.step("submit")),
            "refused": refused,
            "can_submit": filing.is_editable and not any(f.verdict == Verdict.FAIL for f in findings),
            "badges": spec.badges(filing),
        },
    )


def _has_draft_preview(spec) -> bool:
    # A kind whose document is a certificate issued on registration has no 申请书 to preview.
    return bool(spec.pdf_template) and not spec.document_on_registration


def _display(form_field, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = getattr(form_field, "choices", None)
    if choices:
        return str({str(k): v for k, v in choices}.get(str(value), value))
    return str(value)


def _filing_sections(filing: Filing, spec) -> list[dict]:
    """Everything the applicant typed, step by step with the step forms' own labels: what will be frozen."""
    detail = spec.detail(filing)
    sections = []
    for step in spec.steps:
        if step.url_name:
            continue
        fields = []
        if step.form is not None:
            for name, form_field in step.form.base_fields.items():
                value = getattr(detail, name, None)
                fields.append({"label": form_field.label or name, "value": _display(form_field, value)})
        tables = []
        for table in step.formsets:
            columns = [(name, f) for name, f in table.form.base_fields.items()]
            rows = table.model.objects.filter(filing=filing, **table.filter).order_by("position", "pk")
            tables.append(
                {
                    "title": table.title,
                    "headers": [f.label or name for name, f in columns],
                    "rows": [[_display(f, getattr(row, name, None)) for name, f in columns] for row in rows],
                }
            )
        sections.append({"step": step, "fields": fields, "tables": tables})
    return sections


@applicant_required
@require_GET
@xframe_options_sameorigin
def submit_preview(request, pk: int):
    """The 申请书 as it would be submitted now, marked 草稿: shown beside the confirmation."""
    filing = selectors.filing_for_applicant(request.user, pk)
    if not _has_draft_preview(kinds.get(filing.kind)):
        raise Http404
    rendered = pdf.render_draft(filing)
    response = HttpResponse(rendered.data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{filing.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


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
