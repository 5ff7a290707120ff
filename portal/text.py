"""Control characters never enter the portal through a form.

Carriage returns and line feeds in a one-line field would reach e-mail headers and
table cells; the right-to-left override and the other bidi and format controls make a
public page show a name other than the one stored. Every form's text fields pass through
`strip_controls`, installed once for all forms (ours, the kinds' and the admin's) by
`install()` from the portal's AppConfig.ready().
"""

import unicodedata

from django import forms

# Kept in multi-line text: the line breaks and tabs a person typed.
_MULTILINE_KEEP = {"\n", "\r", "\t"}


def strip_controls(value: str, *, multiline: bool) -> str:
    """Drops Unicode control (Cc) and format (Cf) characters; line breaks survive only in multi-line text."""
    keep = _MULTILINE_KEEP if multiline else set()
    return "".join(char for char in value if char in keep or unicodedata.category(char) not in ("Cc", "Cf"))


def _is_secret(field: forms.Field) -> bool:
    # A password is compared, never shown or sent: it stays exactly as typed.
    return isinstance(field.widget, forms.PasswordInput)


def install() -> None:
    if getattr(forms.CharField.to_python, "strips_controls", False):
        return
    original = forms.CharField.to_python

    def to_python(self, value):
        value = original(self, value)
        if isinstance(value, str) and value and not _is_secret(self):
            value = strip_controls(value, multiline=isinstance(self.widget, forms.Textarea))
            if self.strip:
                value = value.strip()
            if value == "":
                return self.empty_value
        return value

    to_python.strips_controls = True
    forms.CharField.to_python = to_python
