"""A list's filter form as plain data: each field's label, its value and, for a select, its options.

A busy list's page should cost its query and its rows, not a widget template per option; the
list's Jinja2 body draws the bar from this (jinja2/includes/filterbar.html).
"""

from django import forms


class FilterBarMixin:
    """For a GET filter form whose invalid values are ignored: `bar()` describes the fields named
    in `bar_fields` (every field when it is empty), in that order."""

    bar_fields: tuple[str, ...] = ()

    def bar(self) -> list[dict]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})  # an unbound form has none
        chosen = {name: value for name, value in cleaned.items() if value not in ("", None)}
        fields = []
        for name in self.bar_fields or tuple(self.fields):
            field = self.fields[name]
            value = str(chosen.get(name, ""))
            options = None
            if isinstance(field, forms.ChoiceField):
                options = [(str(v), label, str(v) == value) for v, label in field.choices]
            fields.append({"name": name, "label": field.label, "value": value, "options": options})
        return fields
