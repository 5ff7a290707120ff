"""One ceiling on every free text of the portal's forms, enforced at the field.

The notices' 字数 rules (e.g. "不超过1000字") stay findings with their clause; this is
the generous bound beyond them that keeps a 500,000-character paste out of the
database and out of the 申请书 render (settings.TEXT_MAX_CHARS). Applied to forms,
not models: the columns stay TextField and no migration is needed.
"""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


def limit_text_fields(form: forms.BaseForm) -> forms.BaseForm:
    """Gives every text field of the form a maximum length (its own, when that is smaller)."""
    limit = settings.TEXT_MAX_CHARS
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or (field.max_length is not None and field.max_length <= limit):
            continue
        field.max_length = limit
        field.validators.append(
            MaxLengthValidator(
                limit, message=_("内容过长：最多 %(limit_value)s 字，当前 %(show_value)s 字。请精简后再保存。")
            )
        )
        field.widget.attrs["maxlength"] = str(limit)
    return form


class TextLimitMixin:
    """For forms built outside the filing steps: every text field gets the ceiling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_text_fields(self)
