"""The list filter forms share their fields between requests: one request's choices must never
become another's."""

import pytest

from review.queue.forms import QueueFilterForm
from review.registry.forms import RegistryFilterForm

pytestmark = pytest.mark.django_db


def test_a_forms_choices_stay_its_own():
    first = QueueFilterForm({"call": "1"})
    first.set_choices("call", [("", "全部批次"), (1, "只属于这一张表单的批次")])

    second = QueueFilterForm({})

    assert ("1", "只属于这一张表单的批次", False) not in next(f for f in second.bar() if f["name"] == "call")["options"]
    assert list(QueueFilterForm.base_fields["call"].choices) == []
    assert QueueFilterForm.base_fields["call"].widget.choices == []


def test_a_bad_value_is_its_own_forms_error_only():
    bad = RegistryFilterForm({"year": "abc"}, facets=[])
    good = RegistryFilterForm({"year": ""}, facets=[])

    assert next(f for f in bad.bar() if f["name"] == "year")["errors"]
    assert next(f for f in good.bar() if f["name"] == "year")["errors"] == []


def test_the_options_texts_are_shared_but_each_form_marks_its_own_choice():
    def chosen(form):
        district = next(f for f in form.bar() if f["name"] == "district")
        return [value for value, _text, selected in district["options"] if selected], district["label"]

    assert chosen(QueueFilterForm({"district": "黄浦区"})) == (["黄浦区"], "所在区")
    assert chosen(QueueFilterForm({"district": "浦东新区"})) == (["浦东新区"], "所在区")
    assert chosen(QueueFilterForm({})) == ([""], "所在区")
