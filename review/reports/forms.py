from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.materials import upload_limit_mb

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MAX_DIGITS = 14
NOTES_MAX = 2000
QUERY_MAX = 100


def _figure_field(metric) -> forms.DecimalField:
    whole = _("整数") if metric.decimals == 0 else _("最多两位小数的数字")
    messages = {
        "invalid": _("请填写数字（%(whole)s），不要填写文字或单位。") % {"whole": whole},
        "min_value": _("不能为负数。"),
        "max_value": _("不能超过 %(limit_value)s。"),
        "max_decimal_places": _("请填写整数。") if metric.decimals == 0 else _("最多保留两位小数。"),
        "max_digits": _("数字过大，请核对。"),
        "max_whole_digits": _("数字过大，请核对。"),
    }
    return forms.DecimalField(
        label=f"{metric.label}（{metric.unit}）",
        required=False,
        min_value=Decimal("0"),
        max_value=metric.maximum,
        max_digits=MAX_DIGITS,
        decimal_places=metric.decimals,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal" if metric.decimals else "numeric", "maxlength": 20}),
        help_text=metric.clause,
    )


class ReportForm(forms.Form):
    """The 数据统计报告's figures of the kind, and a note; every field may stay blank in a draft."""

    notes = forms.CharField(
        label=gettext_lazy("情况说明"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTES_MAX}),
        help_text=gettext_lazy("可说明数据来源、未达到目标的原因等，2000字以内。"),
        error_messages={"max_length": gettext_lazy("情况说明不能超过 %(limit_value)d 字。")},
    )

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = metrics
        for metric in metrics:
            self.fields[metric.code] = _figure_field(metric)
        # Figures first, as the notice lists them; the note last.
        self.order_fields([m.code for m in metrics] + ["notes"])

    def valid_figures(self) -> dict:
        """The figures that passed their checks (call after is_valid): saved even when others failed."""
        return {m.code: self.cleaned_data[m.code] for m in self.metrics if m.code in self.cleaned_data}


class ReportUploadForm(forms.Form):
    code = forms.ChoiceField(label=gettext_lazy("材料类别"))
    file = forms.FileField(label=gettext_lazy("选择文件"), widget=forms.FileInput(attrs={"accept": ACCEPT}))

    def __init__(self, *args, materials, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(m.code, m.label) for m in materials]
        self.fields["file"].help_text = _("PDF、JPG 或 PNG，单个文件不超过 %(limit)s MB。") % {
            "limit": upload_limit_mb()
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX}),
        help_text=gettext_lazy("退回修改时必填，请写明需要修改的内容。"),
    )


STATUS_CHOICES = (
    ("", gettext_lazy("全部")),
    ("overdue", gettext_lazy("已逾期")),
    ("due", gettext_lazy("待报送")),
    ("submitted", gettext_lazy("待审核")),
    ("accepted", gettext_lazy("已通过")),
)


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=QUERY_MAX)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=STATUS_CHOICES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
