"""The expert's pages (SPEC §4 expert review): their own assignments and the score sheet.

Every read is scoped to the signed-in expert: another expert's assignment looks exactly
like one that does not exist.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import expert_required
from filings import kinds
from filings.models import Filing, FilingVersion
from filings.states import State
from review import services
from review.models import ExpertAssignment


def assignments_for_expert(expert) -> QuerySet[ExpertAssignment]:
    """The expert's own assignments, open ones first (soonest due first), then the submitted ones."""
    return (
        ExpertAssignment.objects.filter(expert=expert)
        .select_related("filing__call")
        .annotate(
            done=Case(When(submitted_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("done", "due_at", "id")
    )


def score_field_name(criterion: dict) -> str:
    return f"score_{criterion['key']}"


class ScoreForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("评审建议"),
        choices=ExpertAssignment.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择评审建议。")},
    )
    comment = forms.CharField(
        label=gettext_lazy("评审意见"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": gettext_lazy("请填写评审意见。")},
    )

    def __init__(self, *args, sheet: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for criterion in sheet:
            out_of_range = _("“%(label)s”应为 0 到 %(max)s 分。") % {
                "label": criterion["label"],
                "max": criterion["max"],
            }
            self.fields[score_field_name(criterion)] = forms.DecimalField(
                label=_("%(label)s（满分 %(max)s 分）") % {"label": criterion["label"], "max": criterion["max"]},
                min_value=Decimal(0),
                max_value=Decimal(str(criterion["max"])),
                max_digits=6,
                decimal_places=1,
                error_messages={
                    "required": _("请为“%(label)s”打分。") % {"label": criterion["label"]},
                    "invalid": _("请输入数字分值。"),
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "max_decimal_places": _("分值最多保留一位小数。"),
                    "max_digits": out_of_range,
                    "max_whole_digits": out_of_range,
                },
            )
        self.order_fields([score_field_name(c) for c in sheet] + ["recommendation", "comment"])

    def scores(self) -> dict:
        return {c["key"]: self.cleaned_data[score_field_name(c)] for c in self.sheet}


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
    return render(request, "review/expert_home.html", {"page": page})


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
    return render(request, "review/expert_score.html", context)
