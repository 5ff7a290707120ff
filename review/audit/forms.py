"""The material audit's form: the checklist and the outcome."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.models import AuditRecord


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
