"""Form steps: what a kind declares, and the generic machinery that serves them.

A step edits part of the kind's detail row (one ModelForm) and/or rows of related
tables (inline formsets). Drafts save step by step; nothing is required until the
completeness rule runs at submission.
"""

import json
import secrets
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import model_to_dict
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from markupsafe import Markup, escape

from filings.form_limits import limit_text_fields


@dataclass(frozen=True)
class FormsetSpec:
    prefix: str
    title: str
    model: type[models.Model]
    form: type[ModelForm]
    # Rows of this table: e.g. the members of one category.
    filter: dict = field(default_factory=dict)
    # Set on rows added through this table (e.g. the category of the enterprise table).
    defaults: dict = field(default_factory=dict)
    help_text: str = ""
    min_extra: int = 1


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[ModelForm] | None = None
    formsets: tuple[FormsetSpec, ...] = ()
    intro: str = ""
    # A step with no form of its own links elsewhere (materials, submission).
    url_name: str = ""
    # How the step's form is laid out; kinds give their own where the notice's form needs it.
    template: str = "filings/_step_form.html"


class OrderedInlineFormSet(BaseInlineFormSet):
    """Keeps rows in the order shown and stamps the table's defaults on new rows.

    A row's id must be one of this table's own rows. A row saved by an autosave keeps
    the id it was given, wherever it sits in the table; an id of any other row (another
    filing's, another table's, a deleted one) is refused, never taken as a new row.
    """

    spec: FormsetSpec
    default_error_messages = {
        **BaseInlineFormSet.default_error_messages,
        "too_many_forms": gettext_lazy("此表最多填写 %(num)d 行，请删去多余的行后再保存。"),
    }

    def __init__(self, *args, stored: list | None = None, **kwargs):
        # The table's stored rows when the caller read them already (with other tables of the
        # same model); else the formset reads its queryset.
        self.stored = stored
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        return self.stored if self.stored is not None else super().get_queryset()

    def _posted_pk(self, i: int):
        if not self.is_bound:
            return None
        value = self.data.get(f"{self.add_prefix(i)}-{self.model._meta.pk.name}")
        return value if value not in (None, "") else None

    def _construct_form(self, i, **kwargs):
        if i >= self.initial_form_count() and (posted := self._posted_pk(i)) is not None:
            try:
                existing = self._existing_object(self._get_to_python(self.model._meta.pk)(posted))
            except ValidationError:
                existing = None
            if existing is not None:
                kwargs["instance"] = existing
        form = limit_text_fields(super()._construct_form(i, **kwargs))
        self._label_cells(form, row_label(i))
        return form

    @property
    def empty_form(self):
        form = limit_text_fields(super().empty_form)
        self._label_cells(form, _("新增行"))
        return form

    @cached_property
    def _drawer(self) -> "_RowDrawer | None":
        return _RowDrawer(self) if _RowDrawer.can_draw(self) else None

    def rows(self) -> list["TableRow"]:
        """The table's rows as the page draws them. A table not posted (the page as opened) is
        drawn from its stored rows by `_RowDrawer`, without a form per row: forty rows' forms cost
        most of a step page. A posted table, with its errors, is drawn from its forms."""
        if self.is_bound or self._drawer is None:
            return [table_row(form) for form in self.forms]
        return self._drawer.rows()

    def columns(self) -> list[str]:
        """The labels of the columns but the deletion box, for the table's header."""
        form = self._drawer.form if self._drawer is not None else self.empty_form
        return [bf.label for bf in form.visible_fields() if bf.name != DELETION_FIELD_NAME]

    def blank_row(self) -> "TableRow":
        """The row the page copies when a row is added (the formset's empty form)."""
        if self._drawer is None:
            return table_row(self.empty_form)
        return self._drawer.row("__prefix__", escape(_("新增行")), {})

    def _label_cells(self, form, row: str) -> None:
        # Table cells carry no visible label: name each input for screen readers by table, row and column.
        # The table's title and the columns' labels are translated once per table, not once per cell.
        labels = self.__dict__.setdefault("_column_labels", {})
        for name, form_field in form.fields.items():
            widget = form_field.widget
            if widget.is_hidden:
                continue
            css = "form-select form-select-sm" if widget.input_type == "select" else "form-control form-control-sm"
            if widget.input_type == "checkbox":
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
            if name not in labels:
                labels[name] = (str(self.spec.title), str(form_field.label))
            title, label = labels[name]
            widget.attrs["aria-label"] = f"{title} {row} {label}"

    def clean(self):
        super().clean()
        for i, form in enumerate(self.forms):
            posted = self._posted_pk(i)
            if posted is not None and str(form.instance.pk) != str(posted):
                raise ValidationError(
                    _("表格“%(title)s”第%(row)s行不是本申报中的行（页面可能已过期）。请刷新页面后重新填写该行。")
                    % {"title": self.spec.title, "row": i + 1},
                    code="foreign_row",
                )

    def save(self, commit: bool = True):
        saved = []
        for position, form in enumerate(self.ordered_forms if self.can_order else self.forms, start=1):
            obj = form.instance
            if form in self.deleted_forms:
                if obj.pk is not None and not obj._state.adding:
                    obj.delete()
                    obj.pk = None
                continue
            if not form.has_changed() and obj.pk is None:
                continue
            obj = form.save(commit=False)
            for name, value in self.spec.defaults.items():
                if not getattr(obj, name, None):
                    setattr(obj, name, value)
            obj.position = position
            obj.save()
            saved.append(obj)
        return saved

    def row_ids(self) -> dict[str, str]:
        """After a save: each row's id field and the id it now has ("" for a deleted or empty row),
        so that a page saving again in the background updates the same rows."""
        pk_name = self.model._meta.pk.name
        return {
            f"{form.add_prefix(pk_name)}": "" if form.instance.pk is None else str(form.instance.pk)
            for form in self.forms
        }


@dataclass(frozen=True)
class TableRow:
    # Per visible column but the deletion box: the cell's widget and its errors.
    cells: list[tuple[str, list]]
    hidden: str
    # The deletion box's name and id (empty when the row has none), and whether it is ticked.
    delete_name: str
    delete_id: str
    deleted: bool
    errors: list


def table_row(form) -> TableRow:
    delete = form[DELETION_FIELD_NAME] if DELETION_FIELD_NAME in form.fields else None
    return TableRow(
        cells=[(str(bf), bf.errors) for bf in form.visible_fields() if bf.name != DELETION_FIELD_NAME],
        hidden=Markup("".join(str(bf) for bf in form.hidden_fields())),
        delete_name=delete.html_name if delete else "",
        delete_id=delete.auto_id if delete else "",
        deleted=bool(delete and delete.value()),
        errors=list(form.non_field_errors()),
    )


# Words no stored row holds, unique to the process: a cell is drawn once by its widget with these
# in place of the row's index (in names and ids), its label for screen readers, and its value.
_INDEX = "portalrow" + secrets.token_hex(8)
_LABEL = "portallabel" + secrets.token_hex(8)
_VALUE = "portalvalue" + secrets.token_hex(8)
# Widgets whose value appears once in what they draw, escaped (the value attribute, or a text
# area's content) and nowhere when it is empty: exactly these classes, not their subclasses.
_TEXT_WIDGETS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.HiddenInput,
    forms.Textarea,
)


class _RowDrawer:
    """Draws an unbound table's rows to the same characters as their forms would, from one form.

    Each column is drawn by its widget with placeholder words for the row's index, label and
    value; each row then fills its own in. A text cell's value goes where the placeholder was,
    escaped as the widget escapes it; any other widget (a select, a checkbox) is drawn once for
    each distinct value in the table. A row's value for a column is what its form would give the
    widget: the row's field values (`model_to_dict`) through the form's own `get_initial_for_field`
    and the field's `prepare_value`. filings/tests/test_table_rows.py compares both drawings for
    every table of every kind.
    """

    @staticmethod
    def can_draw(formset) -> bool:
        # A form that builds its fields itself might shape them by the row, and a row's order or
        # deletion box can differ by its index: such tables get a form per row.
        return (
            formset.form.__init__ is forms.BaseModelForm.__init__
            and not formset.can_order
            and (formset.can_delete_extra or not formset.can_delete)
        )

    def __init__(self, formset: OrderedInlineFormSet):
        self.formset = formset
        # The form of a row at index _INDEX, built as the formset builds its blank row.
        form = formset.form(
            auto_id=formset.auto_id,
            prefix=formset.add_prefix(_INDEX),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=formset.form_renderer,
            **formset.get_form_kwargs(None),
        )
        formset.add_fields(form, None)
        limit_text_fields(form)
        formset._label_cells(form, _LABEL)
        self.form = form
        bound = [form[name] for name in form.fields]
        self.visible = [bf.name for bf in bound if not bf.is_hidden and bf.name != DELETION_FIELD_NAME]
        self.hidden = [bf.name for bf in bound if bf.is_hidden]
        self.delete = form[DELETION_FIELD_NAME] if DELETION_FIELD_NAME in form.fields else None
        self.text = {name for name, field in form.fields.items() if type(field.widget) in _TEXT_WIDGETS}
        # What each column was drawn as: a text column empty or with the value's placeholder (split
        # there), another column for each value.
        self.drawn: dict = {}

    def _draw(self, name: str, initial) -> str:
        """The column's widget for the initial value `initial`, drawn by Django, placeholders in."""
        self.form.initial = {name: initial}
        return str(self.form.fields[name].get_bound_field(self.form, name))

    def _cell(self, name: str, initial: dict, index: str, label: str) -> str:
        # The row's index and label are filled in the widget's own text, around the value, never in the value.
        field = self.form.fields[name]
        self.form.initial = initial
        raw = self.form.get_initial_for_field(field, name)
        if name in self.text:
            shown = field.widget.format_value(field.prepare_value(raw))
            key = (name, shown is None)
            if key not in self.drawn:
                self.drawn[key] = self._draw(name, None if shown is None else _VALUE).split(_VALUE)
            parts = self.drawn[key]
            if shown is None and len(parts) == 1:
                return parts[0].replace(_INDEX, index).replace(_LABEL, label)
            if shown is not None and len(parts) == 2:
                before, after = parts
                return (
                    f"{before.replace(_INDEX, index).replace(_LABEL, label)}{escape(shown)}"
                    f"{after.replace(_INDEX, index).replace(_LABEL, label)}"
                )
        key = (name, type(raw), repr(raw))
        if key not in self.drawn:
            self.drawn[key] = self._draw(name, raw)
        return self.drawn[key].replace(_INDEX, index).replace(_LABEL, label)

    def rows(self) -> list[TableRow]:
        formset = self.formset
        stored = formset.get_queryset()
        initial_count = formset.initial_form_count()
        # A blank row's form has no instance, so no initial values but its fields' own.
        blank: dict = {}
        return [
            self.row(str(i), escape(row_label(i)), self._initial(stored[i]) if i < initial_count else blank)
            for i in range(formset.total_form_count())
        ]

    def row(self, index: str, label: str, initial: dict) -> TableRow:
        """The row at `index` (a number, or the blank row's placeholder), named `label` for screen
        readers, holding `initial`."""
        return TableRow(
            cells=[(Markup(self._cell(name, initial, index, label)), []) for name in self.visible],
            hidden=Markup("".join(self._cell(name, initial, index, label) for name in self.hidden)),
            delete_name=self.delete.html_name.replace(_INDEX, index) if self.delete else "",
            delete_id=self.delete.auto_id.replace(_INDEX, index) if self.delete else "",
            deleted=False,
            errors=[],
        )

    def _initial(self, instance) -> dict:
        # As a ModelForm reads its instance; the formset gives a stored row's id field its id.
        meta = self.form._meta
        return {**model_to_dict(instance, meta.fields, meta.exclude), self.formset.model._meta.pk.name: instance.pk}


def row_label(i: int) -> str:
    """A table row's name for screen readers: the first row is 第1行."""
    return _("第%(n)s行") % {"n": i + 1}


def snapshot_rows(queryset, fields: list[str]) -> list[dict]:
    return [jsonable(model_to_dict(obj, fields=fields)) for obj in queryset]


def jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
