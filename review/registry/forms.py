"""The public registry's filters."""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District
from filings import kinds
from filings.models import Filing
from filings.states import State


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或编号"), required=False, max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), required=False)
    year = forms.TypedChoiceField(label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None)
    industry = forms.ChoiceField(label=gettext_lazy("产业领域"), required=False)
    district = forms.ChoiceField(label=gettext_lazy("所在区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        entries = Filing.objects.filter(state=State.REGISTERED)
        years = sorted({d.year for d in entries.datetimes("registered_at", "year")}, reverse=True)
        industries = entries.exclude(industry="").order_by("industry").values_list("industry", flat=True).distinct()
        self.fields["kind"].choices = everything + kinds.choices()
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["industry"].choices = everything + [(i, i) for i in industries]
        self.fields["district"].choices = everything + list(District.choices)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm" if isinstance(field, forms.ChoiceField) else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filter(self, entries: QuerySet[Filing]) -> QuerySet[Filing]:
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"].strip()
            entries = entries.filter(Q(title__icontains=q) | Q(registry_number__icontains=q))
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("year"):
            entries = entries.filter(registered_at__year=data["year"])
        if data.get("industry"):
            entries = entries.filter(industry=data["industry"])
        if data.get("district"):
            entries = entries.filter(organisation__district=data["district"])
        return entries
