"""Form steps: what a kind declares, and the generic machinery that serves them.

A step edits part of the kind's detail row (one ModelForm) and/or rows of related
tables (inline formsets). Drafts save step by step; nothing is required until the
completeness rule runs at submission.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        self._label_cells(form, _("第%(n)s行") % {"n": i + 1})
        return form

    @property
    def empty_form(self):
        form = limit_text_fields(super().empty_form)
        self._label_cells(form, _("新增行"))
        return form

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
        return {f"{form.add_prefix(pk_name)}": "" if form.instance.pk is None else str(form.instance.pk) for form in self.forms}


def snapshot_rows(queryset, fields: list[str]) -> list[dict]:
    return [jsonable(model_to_dict(obj, fields=fields)) for obj in queryset]


def jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
