"""A list's filter form as plain data: each field's label, its value, its errors and, for a select,
its options, else the type of its input (a search box unless the widget says otherwise).

A busy list's page should cost its query and its rows, not a widget template per option; the
list's Jinja2 body draws the bar from this (jinja2/includes/filterbar.html).
"""

import copy

from django import forms
from django.utils.translation import get_language


class _SharedFields(dict):
    """A filter form's declared fields, which its instances share. Django deep-copies every field,
    with its widget and choices, for each form, so that a form may change its own: half of the
    cost of a list page's filter form. A filter form only reads them, but for `set_choices`."""

    def __deepcopy__(self, memo) -> dict:
        return dict(self)


# (id of a declared field, language): its label and options as texts (FilterBarMixin._texts).
# Declared fields live as long as the process.
_TEXTS: dict[tuple[int, str | None], tuple[str | None, list | None]] = {}


class FilterBarMixin:
    """For a GET filter form whose invalid values are ignored: `bar()` describes the fields named
    in `bar_fields` (every field when it is empty), in that order.

    Its fields are the class's own, not copies: change one only through `set_choices`."""

    bar_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        self.base_fields = _SharedFields(self.base_fields)
        super().__init__(*args, **kwargs)

    def set_choices(self, name: str, choices) -> None:
        """Gives field `name` of this form (a copy of the shared one, widget included) `choices`."""
        field = copy.copy(self.fields[name])
        field.widget = copy.copy(field.widget)
        field.choices = choices
        self.fields[name] = field

    def _texts(self, name: str, field) -> tuple[str | None, list | None]:
        """The field's label and, for a select, its options as (value, label) texts: for a field
        the class declares, translated once per language for the process, not per page."""

        def texts() -> tuple[str | None, list | None]:
            label = None if field.label is None else str(field.label)
            if not isinstance(field, forms.ChoiceField):
                return label, None
            return label, [(str(value), str(text)) for value, text in field.choices]

        if self.base_fields.get(name) is not field:  # choices of this form's own (set_choices)
            return texts()
        key = (id(field), get_language())
        if key not in _TEXTS:
            _TEXTS[key] = texts()
        return _TEXTS[key]

    def bar(self) -> list[dict]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})  # an unbound form has none
        chosen = {name: value for name, value in cleaned.items() if value not in ("", None)}
        fields = []
        for name in self.bar_fields or tuple(self.fields):
            field = self.fields[name]
            value = chosen.get(name, "")
            if isinstance(field, forms.DateField) and value and getattr(field.widget, "format", None):
                value = value.strftime(field.widget.format)
            elif name in self.errors:
                value = self.data.get(name, "")  # what was typed, with its error beside it
            value = str(value)
            label, choices = self._texts(name, field)
            options = None if choices is None else [(v, text, v == value) for v, text in choices]
            fields.append({
                "name": name,
                "label": label,
                "value": value,
                "options": options,
                # A text box is drawn as a search box; a date (type="month") as its widget says.
                "type": {"text": "search"}.get(field.widget.input_type, field.widget.input_type)
                if isinstance(field.widget, forms.widgets.Input)
                else "search",
                "errors": list(self.errors.get(name, [])),
            })  # fmt: skip
        return fields
