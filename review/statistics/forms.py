"""The dashboard's filters: call, kind, period and area (a district bureau's area is fixed)."""

import calendar
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Area
from filings import kinds
from filings.selectors import call_choices
from portal.filterbar import FilterBarMixin


class StatisticsFilterForm(FilterBarMixin, forms.Form):
    """GET parameters; a value that does not validate is dropped, never an error page. The
    dashboard draws the fields from `bar()` (portal/filterbar.py), not by the widgets."""

    # The call's id; its choices are kept (filings.selectors.call_choices), not read per page.
    call = forms.TypedChoiceField(label=_("申报批次"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label=_("申报类型"), choices=lambda: [("", _("全部类型")), *kinds.choices()], required=False
    )
    # Whole months, which the database keeps counted (review.statistics.selectors.kept_answers); a
    # day (YYYY-MM-DD) is still understood, and counted from the filings.
    date_from = forms.DateField(
        label=_("起始月份"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    date_to = forms.DateField(
        label=_("截止月份"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("含该月最后一日。"),
    )
    area = forms.ChoiceField(label=_("区域"), choices=[("", _("全市")), *Area.choices], required=False)

    def __init__(self, *args, area: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_area = area
        if area is not None:
            del self.fields["area"]
        self.set_choices("call", [("", _("全部批次")), *call_choices()])

    def clean_date_to(self):
        end = self.cleaned_data.get("date_to")
        if end and len(self.data.get("date_to", "").strip()) == len("2024-01"):
            end = date(end.year, end.month, calendar.monthrange(end.year, end.month)[1])  # the month's last day
        return end

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned

    def filters(self) -> dict:
        self.is_valid()
        filters = {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        if "date_to" in self.errors:
            filters.pop("date_from", None)
        if self.fixed_area is not None:
            filters["area"] = self.fixed_area
        return filters


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("通报标题"), max_length=100, initial=_("专利产品备案工作情况通报"))
    date_from = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            form_field.widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned
