"""A list's filter form as plain data: each field's label, its value, its errors and, for a select,
its options, else the type of its input (a search box unless the widget says otherwise).

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
            value = chosen.get(name, "")
            if isinstance(field, forms.DateField) and value and getattr(field.widget, "format", None):
                value = value.strftime(field.widget.format)
            elif name in self.errors:
                value = self.data.get(name, "")  # what was typed, with its error beside it
            value = str(value)
            options = None
            if isinstance(field, forms.ChoiceField):
                options = [(str(v), label, str(v) == value) for v, label in field.choices]
            fields.append({
                "name": name,
                "label": field.label,
                "value": value,
                "options": options,
                # A text box is drawn as a search box; a date (type="month") as its widget says.
                "type": {"text": "search"}.get(field.widget.input_type, field.widget.input_type)
                if isinstance(field.widget, forms.widgets.Input)
                else "search",
                "errors": list(self.errors.get(name, [])),
            })  # fmt: skip
        return fields
