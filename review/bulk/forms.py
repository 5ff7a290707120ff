"""The bulk action's forms: what the queue sends, and the confirmation after the preview."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.bulk.services import MAX_FILINGS
from review.models import BulkRun


class IdsField(forms.Field):
    """Checkbox values, as a list of ids (at most MAX_FILINGS)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            ids = list(dict.fromkeys(int(v) for v in values))
        except (TypeError, ValueError):
            raise forms.ValidationError(_("所选申报无效，请返回工作台重新选择。"), code="invalid") from None
        if len(ids) > MAX_FILINGS:
            raise forms.ValidationError(_("一次最多处理 %(n)s 件申报。") % {"n": MAX_FILINGS}, code="too_many")
        return ids


class BulkChooseForm(forms.Form):
    action = forms.ChoiceField(
        label=_("批量操作"),
        choices=BulkRun.Action.choices,
        error_messages={"required": _("请选择批量操作。"), "invalid_choice": _("请选择批量操作。")},
    )
    filings = IdsField(error_messages={"required": _("请先勾选要处理的申报。")})


class ExpertsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        where = obj.expert_organisation_name or _("未填写工作单位")
        return _("%(name)s（%(where)s）· 在评 %(load)s 件") % {"name": obj.name, "where": where, "load": obj.load}


class BulkConfirmForm(BulkChooseForm):
    experts = ExpertsField(
        label=_("评审专家"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("每件申报依次分配所选专家，直至满额；须回避的专家跳过并在结果中说明。"),
    )
    starts_on = forms.DateField(
        label=_("公示开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("公示标题"), max_length=200, required=False)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = experts
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == BulkRun.Action.ASSIGN and not cleaned.get("experts"):
            self.add_error("experts", _("请选择至少一位评审专家。"))
        if cleaned.get("action") == BulkRun.Action.PUBLISH:
            starts_on = cleaned.get("starts_on")
            if starts_on is None:
                self.add_error("starts_on", _("请填写公示开始日期。"))
            elif starts_on < timezone.localdate():
                self.add_error("starts_on", _("公示开始日期不能早于今天。"))
        return cleaned

    def params(self) -> dict:
        action = self.cleaned_data["action"]
        if action == BulkRun.Action.ASSIGN:
            return {"experts": [e.pk for e in self.cleaned_data["experts"]]}
        if action == BulkRun.Action.PUBLISH:
            return {"starts_on": self.cleaned_data["starts_on"].isoformat(), "title": self.cleaned_data["title"]}
        return {}
