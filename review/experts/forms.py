"""Forms of the expert review: assignment, the decision and the expert's score sheet."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from review.models import ExpertAssignment


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


class DeclineForm(forms.Form):
    DECLINE, CONFLICT = "decline", "conflict"

    what = forms.ChoiceField(
        label=_("无法评审的原因类型"),
        choices=[(DECLINE, _("谢绝评审")), (CONFLICT, _("申明回避（存在利害关系）"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择谢绝评审或申明回避。")},
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写原因。"), "max_length": _("原因最多 1000 字。")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=500,
        error_messages={"required": _("请填写撤回原因。"), "max_length": _("撤回原因最多 500 字。")},
    )
