"""The widgets drawn in Python come out character for character as Django's Jinja2 templates draw them."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy

from filings import kinds
from portal.renderers import DRAWERS, FormRenderer

TRICKY = "上海<b>&\"'成员</b>"


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=20, help_text="说明", widget=forms.TextInput(attrs={"placeholder": TRICKY}))
    flagged = forms.CharField(required=False, widget=forms.TextInput(attrs={"data-on": True, "data-off": False}))
    disabled = forms.CharField(disabled=True, required=False)
    number = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "0.01"}))
    count = forms.IntegerField(min_value=0)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mail = forms.EmailField(required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    words = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", TRICKY), ("b", gettext_lazy("企业")), (3, "三")])
    grouped = forms.ChoiceField(required=False, choices=[("组", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(required=False, choices=[("a", "A"), ("b", "B")])
    maybe = forms.NullBooleanField(required=False)
    upload = forms.FileField(required=False)


BOUND = {
    "text": TRICKY,
    "flagged": "",
    "number": "1200.50",
    "count": "x",
    "day": "2026-02-13",
    "mail": "a@b.cn",
    "link": "https://example.org/?a=1&b=2",
    "secret": "p&w",
    "hidden": TRICKY,
    "tick": "on",
    "words": TRICKY,
    "kind": "a",
    "grouped": "y",
    "many": ["a", "b"],
    "maybe": "true",
}
INITIAL = {
    "text": TRICKY,
    "number": Decimal("1200.50"),
    "count": 3,
    "day": datetime.date(2026, 2, 13),
    "kind": 3,
    "words": "",
}


def contexts(form):
    """What BoundField.as_widget gives its renderer, for every field of the form."""
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({}, widget)
        if bound.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", bound.auto_id)
        yield bound.name, widget.template_name, widget.get_context(bound.html_name, bound.value(), attrs)


def forms_of_every_kind():
    for spec in kinds.all_specs():
        for step in spec.steps:
            if step.form is not None:
                yield step.form()
            for table in step.formsets:
                yield table.form(prefix="rows-0")
                yield table.form({f"rows-0-{name}": TRICKY for name in table.form.base_fields}, prefix="rows-0")


@pytest.mark.parametrize(
    "form",
    [EveryWidget(), EveryWidget(initial=INITIAL), EveryWidget(BOUND), EveryWidget({})],
    ids=["blank", "initial", "bound", "bound-empty"],
)
def test_every_drawn_widget_reads_as_the_template_draws_it(form):
    renderer = FormRenderer()
    form.is_valid()
    drawn = 0
    for name, template_name, context in contexts(form):
        expected = Jinja2.render(renderer, template_name, context)
        assert renderer.render(template_name, context) == expected, name
        drawn += template_name in DRAWERS
    assert drawn >= 14


@pytest.mark.django_db
def test_the_filing_forms_widgets_read_as_the_templates_draw_them():
    renderer = FormRenderer()
    compared = 0
    for form in forms_of_every_kind():
        form.is_bound and form.is_valid()
        for name, template_name, context in contexts(form):
            assert renderer.render(template_name, context) == Jinja2.render(renderer, template_name, context), name
            compared += 1
    assert compared > 100


def test_a_select_with_groups_is_left_to_its_template():
    form = EveryWidget({"grouped": "y"})
    _name, template_name, context = next(c for c in contexts(form) if c[0] == "grouped")

    assert DRAWERS[template_name](context["widget"]) is None
    assert '<optgroup label="组">' in FormRenderer().render(template_name, context)
