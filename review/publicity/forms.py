"""Forms of the publicity: a batch to publish, an objection, its decision."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.materials import upload_check, upload_limit_mb
from filings.models import Call, Filing
from filings.states import State
from filings.validators import clean_email, clean_phone
from review.models import Objection, PublicityEntry
from workdays.calendar import CalendarUnknown, working_days_after

# What the evidence upload offers in the file dialog; the content is checked regardless.
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# A 公示 longer than this is a typing error.
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
        help_text=gettext_lazy("按国务院公布的法定节假日和调休安排计算工作日。"),
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

    def clean(self):
        cleaned = super().clean()
        starts_on, days = cleaned.get("starts_on"), cleaned.get("working_days")
        if starts_on and days:
            try:
                cleaned["ends_on"] = working_days_after(starts_on, days)
            except CalendarUnknown as unknown:
                self.add_error("working_days", unknown)
        return cleaned

    def end_date(self):
        """The end date for what was typed so far, or None."""
        return getattr(self, "cleaned_data", {}).get("ends_on")


# --- staff: batches and objections ---------------------------------------------------


class ObjectionDecideForm(forms.Form):
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
        self.evidence_content_type = upload_check(evidence)
        return evidence
