"""The verification page's forms: a code, and a file to compare."""

import re

from django import forms
from django.utils.translation import gettext_lazy

# The alphabet of filings.models.new_verification_code; lower case and separators are forgiven.
CODE = re.compile(r"^[2-9A-HJ-NP-Z]{16}$")


def normalise_code(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=40, strip=True)


class CompareForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("选择您持有的申请书PDF文件"))
