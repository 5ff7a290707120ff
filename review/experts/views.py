"""The expert review on the filing page (assignment, decision) and the expert's own pages:
their assignments and the score sheet. Every read of an expert is scoped to them: another
expert's assignment looks exactly like one that does not exist."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import bureau_required, expert_required
from filings import kinds, validators
from filings.models import Filing, FilingVersion
from filings.states import State
from portal.http import client_ip
from review.experts import selectors, services
from review.experts.forms import AssignForm, DecideForm, DeclineForm, ScoreForm, WithdrawForm
from review.experts.selectors import assignments_for_expert
from review.models import ExpertAssignment
from review.queue import selectors as queue_selectors
from review.queue.views import STALE, filing_page, stale_redirect


@bureau_required
@require_POST
def filing_assign(request, pk: int):
    filing = queue_selectors.filing_for_staff(pk)
    # Experts in conflict are offered too: choosing one is refused with the reason at the field.
    form = AssignForm(request.POST, experts=selectors.experts_for_assignment(filing))
    if form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            services.expert_assign(filing=filing, expert=expert, actor=request.user)
        except ValidationError as error:
            if getattr(error, "code", None) in STALE:
                return stale_redirect(request, error, pk)
            form.add_error("expert", error)
        else:
            messages.success(request, _("已分配评审专家：%(name)s。") % {"name": expert.name})
            return redirect("review:filing", pk=pk)
    return filing_page(request, filing, assign_form=form)


@bureau_required
@require_POST
def assignment_withdraw(request, pk: int):
    assignment = get_object_or_404(ExpertAssignment.objects.select_related("expert"), pk=pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.expert_withdraw(assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("已撤回对 %(name)s 的分配，可另行分配专家。") % {"name": assignment.expert.name}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("review:filing", args=[assignment.filing_id]) + "#experts")


@bureau_required
@require_POST
def filing_decide(request, pk: int):
    filing = queue_selectors.filing_for_staff(pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == DecideForm.APPROVE
        try:
            services.review_decide(
                filing=filing,
                actor=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"].strip(),
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            if getattr(error, "code", None) in STALE:
                return stale_redirect(request, error, pk)
            form.add_error("comment" if getattr(error, "code", None) == "comment_required" else None, error)
        else:
            messages.success(request, _("评审通过，待发布公示。") if approve else _("已作出不予通过的决定。"))
            return redirect("review:filing", pk=pk)
    return filing_page(request, filing, decide_form=form)


def _display(field, value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field is not None and field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


# Values the snapshot computes rather than stores (合计): labelled as the form shows them.
COMPUTED_LABELS = {
    "std_total": gettext_lazy("主导或参与技术标准数量合计（个）"),
    "count_total": gettext_lazy("成员数量合计（个）"),
}


# Personal contact data (phones, e-mails, ID numbers): never shown to an expert.
CONTACT_VALIDATORS = {
    validators.validate_phone,
    validators.validate_fixed_phone,
    validators.validate_mobile,
    validators.validate_email,
    validators.validate_ric,
}
BLIND_MASK = "［已隐去］"


def _hidden(field, key: str, blind_fields: frozenset[str]) -> bool:
    if field is not None and any(
        v in CONTACT_VALIDATORS for v in field.validators if callable(v) and hasattr(v, "__name__")
    ):
        return True
    return key in blind_fields


def _masker(filing: Filing, blind: bool):
    """Hides the applicant's name and USCC wherever they appear in a value (blind review)."""
    names = [n for n in (filing.organisation.name, filing.organisation.uscc) if n] if blind else []

    def mask(value):
        if isinstance(value, str):
            for name in names:
                value = value.replace(name, BLIND_MASK)
        return value

    return mask


def version_sections(filing: Filing, version: FilingVersion, *, blind: bool = False) -> dict:
    """The frozen version's content as labelled rows and tables, for any kind.

    Labels come from the kind's own models (the notice's wording); keys the models no
    longer know are shown as they were stored. Personal contact data is left out; under a
    blind review so are the fields the kind names as identifying (KindSpec.blind_fields)
    and the applicant's name wherever it appears.
    """
    data = version.data or {}
    spec = kinds.get(filing.kind)
    blind_fields = frozenset(spec.blind_fields) if spec and blind else frozenset()
    mask = _masker(filing, blind)
    detail_model = type(spec.detail(filing)) if spec else None
    detail_rows = []
    for key, value in (data.get("detail") or {}).items():
        field = _field(detail_model, key) if detail_model else None
        if _hidden(field, key, blind_fields):
            continue
        label = field.verbose_name if field else COMPUTED_LABELS.get(key, key)
        detail_rows.append({"label": label, "value": mask(_display(field, value))})

    table_models = [fs.model for step in (spec.steps if spec else []) for fs in step.formsets]
    tables = []
    for key, rows in data.items():
        if key == "detail" or not isinstance(rows, list) or not rows:
            continue
        columns = list(rows[0].keys())
        # The table's model is the one that has every column the rows carry.
        model = next((m for m in table_models if all(_field(m, c) for c in columns)), None)
        prefix = f"{model._meta.model_name}." if model else f"{key}."
        columns = [c for c in columns if not _hidden(_field(model, c) if model else None, prefix + c, blind_fields)]
        fields = [_field(model, c) if model else None for c in columns]
        tables.append(
            {
                "title": model._meta.verbose_name_plural if model else key,
                "headers": [f.verbose_name if f else c for f, c in zip(fields, columns, strict=True)],
                "rows": [[mask(_display(f, row.get(c))) for f, c in zip(fields, columns, strict=True)] for row in rows],
            }
        )
    return {
        "title": detail_model._meta.verbose_name if detail_model else _("申报内容"),
        "detail": detail_rows,
        "tables": tables,
    }


def version_materials(filing: Filing, version: FilingVersion) -> list[dict]:
    spec = kinds.get(filing.kind)
    listed = []
    for material in version.materials or []:
        material_spec = spec.material(material.get("code")) if spec else None
        listed.append({**material, "label": material_spec.label if material_spec else ""})
    return listed


@expert_required
def expert_home(request):
    page = Paginator(assignments_for_expert(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "review/experts/home.html", {"page": page})


@expert_required
def expert_score(request, pk: int, decline_form=None):
    assignment = get_object_or_404(assignments_for_expert(request.user).select_related("filing__organisation"), pk=pk)
    filing = assignment.filing
    version = filing.versions.order_by("-number").first()
    sheet = services.score_sheet(filing.call)
    can_score = (
        assignment.submitted_at is None
        and assignment.status == ExpertAssignment.Status.OPEN
        and filing.state == State.EXPERT_REVIEW
    )

    form = None
    if request.method == "POST" and decline_form is None:
        if not can_score:
            messages.error(request, _("该评审已提交或已结束，不能再修改。"))
            return redirect("review:expert-score", pk=assignment.pk)
        form = ScoreForm(request.POST, sheet=sheet)
        if form.is_valid():
            try:
                services.expert_score_submit(
                    assignment=assignment,
                    actor=request.user,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("评审意见已提交，谢谢！"))
                return redirect("review:expert-score", pk=assignment.pk)
    elif can_score:
        form = ScoreForm(sheet=sheet)
    if can_score and decline_form is None:
        decline_form = DeclineForm()

    submitted_scores = [{"label": c["label"], "max": c["max"], "score": assignment.scores.get(c["key"])} for c in sheet]
    # The name as frozen in the version under review; the draft may have moved on.
    frozen_name = ((version.data or {}).get("detail") or {}).get("name") if version else None
    blind = filing.call.blind_review
    sections = version_sections(filing, version, blind=blind) if version else None
    context = {
        "title": _("第 %(number)s 号申报") % {"number": filing.number}
        if blind
        else frozen_name or filing.title or str(filing),
        "blind": blind,
        "decline_form": decline_form,
        "assignment": assignment,
        "filing": filing,
        "version": version,
        "sections": sections,
        "materials": version_materials(filing, version) if version else [],
        "sheet": sheet,
        "sheet_max": sum(c["max"] for c in sheet),
        "form": form,
        "submitted_scores": submitted_scores,
    }
    return render(request, "review/experts/score.html", context)


@expert_required
@require_POST
def expert_decline(request, pk: int):
    assignment = get_object_or_404(assignments_for_expert(request.user), pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.expert_decline(
                assignment=assignment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                conflict=form.cleaned_data["what"] == DeclineForm.CONFLICT,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已告知审核人员，该评审任务不再由您承担。谢谢！"))
            return redirect("review:expert-home")
    return expert_score(request, pk, decline_form=form)
