"""A table step's rows as the page opens them are drawn without a form per row (filings/steps.py
`_RowDrawer`): here every table of every kind is drawn both ways, from stored rows holding every
sort of value, and must come out the same to the character."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, models
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from filings import kinds
from filings.services import filing_findings
from filings.steps import table_row
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.cluster_factories import ClusterFilingFactory
from filings.tests.consortium_factories import ConsortiumFilingFactory
from filings.tests.product_factories import ProductFilingFactory
from filings.views import _build

FILINGS = {
    "ALLIANCE": AllianceFilingFactory,
    "CLUSTER": ClusterFilingFactory,
    "CONSORTIUM": ConsortiumFilingFactory,
    "PRODUCT": ProductFilingFactory,
}
TABLES = [
    (spec.code, step.slug, table.prefix)
    for spec in kinds.all_specs()
    if spec.code in FILINGS
    for step in spec.steps
    for table in step.formsets
]
TEXTS = ['上海"成员"<b>&amp;</b>单位', "", "O'Brien & 子", "  前后空格  ", "a" * 120]


def _value(model_field, n: int):
    """The n-th of a few values of every sort a stored row may hold in this column."""
    if model_field.choices:
        values = [key for key, _label in model_field.flatchoices] + ["", "not-a-choice<>"]
        return values[n % len(values)]
    if isinstance(model_field, models.BooleanField):
        return n % 2 == 0
    if isinstance(model_field, models.DecimalField):
        return [Decimal("1200.50"), Decimal("0"), None, Decimal("-3.1")][n % 4]
    if isinstance(model_field, models.IntegerField):
        return [0, 7, None, 123456][n % 4]
    if isinstance(model_field, models.DateField):
        return [date(2024, 2, 29), None][n % 2]
    if isinstance(model_field, (models.CharField, models.TextField)):
        text = TEXTS[n % len(TEXTS)]
        return text[: model_field.max_length] if model_field.max_length else text
    raise AssertionError(f"a table column of a sort this test does not fill: {model_field!r}")


def _store_rows(filing, table, count: int) -> None:
    model = table.model
    fields = table.form._meta.fields
    rows = []
    for n in range(count):
        row = model(filing=filing, position=n + 1)
        for name in fields:
            model_field = model._meta.get_field(name)
            if model_field.is_relation:  # the filing (Django adds it to the form's fields)
                continue
            value = _value(model_field, n)
            if value is None and not model_field.null:
                value = _value(model_field, n + 1)
            setattr(row, model_field.attname, value)
        for lookup, value in {**table.defaults, **table.filter}.items():
            if lookup.endswith("__in"):  # the table's rows are of one of several categories
                setattr(row, lookup.removesuffix("__in"), value[n % len(value)])
            else:
                setattr(row, lookup, value)
        rows.append(row)
    model.objects.bulk_create(rows)


def _both_drawings(filing, slug: str, prefix: str, query: str = ""):
    spec = kinds.get(filing.kind)
    step = spec.step(slug)
    request = RequestFactory().get(f"/?{query}")
    _form, formsets, _read = _build(step, filing, spec.detail(filing), request)
    formset = next(formset for formset in formsets if formset.prefix == prefix)
    return formset.rows(), [table_row(form) for form in formset.forms]


@pytest.mark.parametrize(("kind", "slug", "prefix"), TABLES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_stored_rows_are_drawn_as_their_forms_draw_them(db, kind, slug, prefix, language):
    filing = FILINGS[kind]()
    table = next(t for t in kinds.get(kind).step(slug).formsets if t.prefix == prefix)
    _store_rows(filing, table, 12)

    with translation.override(language):
        drawn, from_forms = _both_drawings(filing, slug, prefix, f"extra-{prefix}=2")

    assert len(drawn) == 14
    assert drawn == from_forms
    # What the comparison compares: each row's own names, and its values escaped once.
    page = "".join(html for row in drawn for html, _errors in row.cells)
    assert f'name="{prefix}-13-' in page and f'name="{prefix}-14-' not in page
    assert "<b>" not in page and "&amp;lt;" not in page


@pytest.mark.parametrize(("kind", "slug", "prefix"), TABLES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_row_to_copy_and_the_header_are_those_of_the_empty_form(db, kind, slug, prefix, language):
    filing = FILINGS[kind]()
    spec = kinds.get(kind)

    with translation.override(language):
        _form, formsets, _read = _build(spec.step(slug), filing, spec.detail(filing), RequestFactory().get("/"))
        formset = next(formset for formset in formsets if formset.prefix == prefix)
        blank, columns = formset.blank_row(), formset.columns()
        empty = formset.empty_form
        expected = table_row(empty), [bf.label for bf in empty.visible_fields() if bf.name != "DELETE"]

    assert (blank, columns) == expected
    assert 'name="' + prefix + "-__prefix__-" in blank.cells[0][0]


@pytest.mark.parametrize(("kind", "slug", "prefix"), TABLES)
def test_an_empty_table_opens_with_the_same_blank_rows(db, kind, slug, prefix):
    filing = FILINGS[kind]()

    drawn, from_forms = _both_drawings(filing, slug, prefix)

    assert drawn == from_forms
    assert len(drawn) == next(t for t in kinds.get(kind).step(slug).formsets if t.prefix == prefix).min_extra


def test_tables_of_one_model_are_read_together_and_each_gets_its_own_rows(db, django_assert_num_queries):
    """The members step's three tables (members by category) read their rows in one query."""
    filing = FILINGS["ALLIANCE"]()
    spec = kinds.get("ALLIANCE")
    step = spec.step("members")
    for table in step.formsets:
        _store_rows(filing, table, 5)
    detail = spec.detail(filing)

    with django_assert_num_queries(1):
        _form, formsets, _read = _build(step, filing, detail, RequestFactory().get("/"))
        for formset in formsets:
            formset.rows()

    for formset, table in zip(formsets, step.formsets, strict=True):
        own = list(table.model.objects.filter(filing=filing, **table.filter))
        assert formset.get_queryset() == own and len(own) == 5


def test_the_rules_take_the_rows_the_tables_read_and_find_the_same(db):
    """What the rules find from the rows the step page read is what they find reading their own."""
    filing = FILINGS["ALLIANCE"]()
    spec = kinds.get("ALLIANCE")
    step = spec.step("members")
    for table in step.formsets:
        _store_rows(filing, table, 4)
    _form, _formsets, read = _build(step, filing, spec.detail(filing), RequestFactory().get("/"))
    members = step.formsets[0].model._meta.db_table

    with CaptureQueriesContext(connection) as reading:
        own = filing_findings(filing)
    with CaptureQueriesContext(connection) as given_rows:
        given = filing_findings(filing, read=read)

    assert [f.as_dict() for f in given] == [f.as_dict() for f in own]
    assert len(read[step.formsets[0].model]) == 12
    assert [q for q in reading.captured_queries if members in q["sql"]] != []
    assert [q for q in given_rows.captured_queries if members in q["sql"]] == []
    assert len(given_rows) == len(reading) - 1
