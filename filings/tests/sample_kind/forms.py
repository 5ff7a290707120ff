from django import forms

from filings.tests.sample_kind.models import SampleDetail


class SampleForm(forms.ModelForm):
    class Meta:
        model = SampleDetail
        fields = ["name", "industry", "declaration_accepted"]
