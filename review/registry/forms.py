"""The public registry's filters."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District
from filings import kinds
from filings.models import Filing
from portal.filterbar import FilterBarMixin
from review.registry.selectors import registry_choices, registry_search


class RegistryFilterForm(FilterBarMixin, forms.Form):
    """The registry's GET filters; the page draws them from `bar()` (portal/filterbar.py)."""

    q = forms.CharField(label=gettext_lazy("名称、编号、单位或信用代码"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("类型"), choices=lambda: [("", gettext_lazy("全部")), *kinds.choices()], required=False
    )
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(label=gettext_lazy("产业领域"), required=False)
    district = forms.ChoiceField(
        label=gettext_lazy("所在区"), choices=[("", gettext_lazy("全部")), *District.choices], required=False
    )

    def __init__(self, *args, facets: list[tuple] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        choices = registry_choices(facets)
        self.set_choices("year", everything + [(y, str(y)) for y in choices["years"]])
        self.set_choices("industry", everything + [(i, i) for i in choices["industries"]])

    def filter(self, entries: QuerySet[Filing]) -> QuerySet[Filing]:
        data = self.cleaned_data
        if data.get("q"):
            entries = registry_search(entries, data["q"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("year"):
            # A range, not __year, so that the registry's index on registered_at serves it.
            tz = timezone.get_current_timezone()
            start = datetime.datetime(data["year"], 1, 1, tzinfo=tz)
            entries = entries.filter(registered_at__gte=start, registered_at__lt=start.replace(year=data["year"] + 1))
        if data.get("industry"):
            entries = entries.filter(industry=data["industry"])
        if data.get("district"):
            entries = entries.filter(district=data["district"])
        return entries
