"""The staff screens' forms. They check what a person typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from filings import kinds
from filings.models import Call
from review import selectors
from review.models import AuditRecord


class QueueFilterForm(forms.Form):
    """The queue's GET parameters. A value that does not validate is ignored, never an error page."""

    q = forms.CharField(label=_("名称、编号或统一社会信用代码"), required=False, max_length=100)
    call = forms.ModelChoiceField(label=_("申报批次"), queryset=Call.objects.order_by("-closes_at"), required=False)
    kind = forms.ChoiceField(label=_("申报类型"), choices=lambda: [("", _("全部类型")), *kinds.choices()], required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *((s.value, s.label) for s in selectors.QUEUE_STATES)],
        required=False,
    )
    district = forms.ChoiceField(label=_("所在区"), choices=[("", _("全部区")), *District.choices], required=False)
    # Badge codes are what kinds declare (filings.rules.Badge.code); each badge in the list links here.
    badge = forms.RegexField(label=_("优先情形"), regex=r"^[a-z0-9_]{1,40}$", required=False)
    sort = forms.ChoiceField(
        choices=[(f"{d}{key}", key) for key in selectors.QUEUE_SORTS for d in ("", "-")], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].empty_label = _("全部批次")
        for name, form_field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(form_field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            form_field.widget.attrs["class"] = css
            if name == "q":
                form_field.widget.attrs["placeholder"] = _("申报名称、单位名称、编号或信用代码")

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


class AuditForm(forms.Form):
    """形式审查: the kind's checklist, an outcome and the comment (what to fix, one item a line)."""

    CHECK_PREFIX = "check_"

    outcome = forms.ChoiceField(
        label=_("审核结论"),
        choices=AuditRecord.Outcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("退回补正时每行写一项需修改的内容；不予通过时写明理由。"),
    )

    def __init__(self, *args, checklist: tuple[tuple[str, str], ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for key, label in checklist:
            self.fields[self.CHECK_PREFIX + key] = forms.BooleanField(
                label=label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )

    def check_fields(self):
        return [self[self.CHECK_PREFIX + key] for key, _label in self.checklist]

    def checklist_result(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(self.CHECK_PREFIX + key)) for key, _label in self.checklist}

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == AuditRecord.Outcome.RETURN and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("退回补正须列明需修改的内容，每行一项。"))
        elif outcome == AuditRecord.Outcome.REJECT and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("不予通过须写明理由。"))
        return cleaned


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        where = obj.expert_organisation_name or _("未填写工作单位")
        field = f" · {obj.expert_field}" if obj.expert_field else ""
        return f"{obj.name}（{where}{field}）"


class AssignForm(forms.Form):
    expert = ExpertChoiceField(label=_("评审专家"), queryset=None, empty_label=_("请选择专家"))

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts
        self.fields["expert"].widget.attrs["class"] = "form-select"


class DecideForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("评审结论"),
        choices=[(APPROVE, _("评审通过")), (REJECT, _("不予通过"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("不予通过须写明理由。"))
        return cleaned
