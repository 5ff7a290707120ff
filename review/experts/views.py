"""The expert review on the filing page (assignment, decision) and the expert's own pages:
their assignments and the score sheet. Every read of an expert is scoped to them: another
expert's assignment looks exactly like one that does not exist."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import bureau_required, expert_required
from filings import kinds
from filings.models import Filing, FilingVersion
from filings.states import State
from portal.http import client_ip
from review.experts import selectors, services
from review.experts.forms import AssignForm, DecideForm, ScoreForm
from review.experts.selectors import assignments_for_expert
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


def version_sections(filing: Filing, version: FilingVersion) -> dict:
    """The frozen version's content as labelled rows and tables, for any kind.

    Labels come from the kind's own models (the notice's wording); keys the models no
    longer know are shown as they were stored, so nothing frozen is ever hidden.
    """
    data = version.data or {}
    spec = kinds.get(filing.kind)
    detail_model = type(spec.detail(filing)) if spec else None
    detail_rows = []
    for key, value in (data.get("detail") or {}).items():
        field = _field(detail_model, key) if detail_model else None
        label = field.verbose_name if field else COMPUTED_LABELS.get(key, key)
        detail_rows.append({"label": label, "value": _display(field, value)})

    table_models = [fs.model for step in (spec.steps if spec else []) for fs in step.formsets]
    tables = []
    for key, rows in data.items():
        if key == "detail" or not isinstance(rows, list) or not rows:
            continue
        columns = list(rows[0].keys())
        # The table's model is the one that has every column the rows carry.
        model = next((m for m in table_models if all(_field(m, c) for c in columns)), None)
        fields = [_field(model, c) if model else None for c in columns]
        tables.append(
            {
                "title": model._meta.verbose_name_plural if model else key,
                "headers": [f.verbose_name if f else c for f, c in zip(fields, columns, strict=True)],
                "rows": [[_display(f, row.get(c)) for f, c in zip(fields, columns, strict=True)] for row in rows],
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
def expert_score(request, pk: int):
    assignment = get_object_or_404(assignments_for_expert(request.user).select_related("filing__organisation"), pk=pk)
    filing = assignment.filing
    version = filing.versions.order_by("-number").first()
    sheet = services.score_sheet(filing.call)
    can_score = assignment.submitted_at is None and filing.state == State.EXPERT_REVIEW

    form = None
    if request.method == "POST":
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

    submitted_scores = [{"label": c["label"], "max": c["max"], "score": assignment.scores.get(c["key"])} for c in sheet]
    # The name as frozen in the version under review; the draft may have moved on.
    frozen_name = ((version.data or {}).get("detail") or {}).get("name") if version else None
    context = {
        "title": frozen_name or filing.title or str(filing),
        "assignment": assignment,
        "filing": filing,
        "version": version,
        "sections": version_sections(filing, version) if version else None,
        "materials": version_materials(filing, version) if version else [],
        "sheet": sheet,
        "sheet_max": sum(c["max"] for c in sheet),
        "form": form,
        "submitted_scores": submitted_scores,
    }
    return render(request, "review/experts/score.html", context)
