"""How staff read a frozen version: its snapshot laid out with the form's labels, its findings summarised.

Kind-agnostic: the labels come from the models and forms the kind registers as its steps
(filings.kinds), so a new kind is readable here without a line of code in review/.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.rules import BADGE_VERDICT, Verdict, citation
from review.queue.diff import ChangeKind, snapshot_diff

# A frozen version's material list is written by the shared submit service, not by a kind.
MATERIAL_LABELS = {
    "id": gettext_lazy("文件编号"),
    "code": gettext_lazy("材料类别"),
    "name": gettext_lazy("文件名"),
    "sha256": gettext_lazy("SHA-256"),
    "size": gettext_lazy("大小（字节）"),
}
# Longer values are shown as a paragraph of their own, not in the two-column list.
LONG_VALUE = 60


# --- findings ------------------------------------------------------------------------


def findings_for_display(findings: list[dict] | None) -> list[dict]:
    """The frozen findings (badges aside), each with its verdict's label and the notice it cites."""
    labels = {verdict.value: verdict.label for verdict in Verdict}
    return [
        {
            **f,
            "verdict_label": labels.get(f.get("verdict"), f.get("verdict")),
            "citation": citation(f.get("source", "")),
        }
        for f in findings or []
        if f.get("verdict") != BADGE_VERDICT
    ]


# --- labels ----------------------------------------------------------------------------


def _kind_models(spec) -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for step in spec.steps:
        meta = getattr(step.form, "_meta", None)
        candidates = [getattr(meta, "model", None), *(formset.model for formset in step.formsets)]
        found.extend(model for model in candidates if model is not None and model not in found)
    return found


def _model_for(keys, kind_models) -> type[models.Model] | None:
    """The kind's model whose fields cover most of the keys (a detail dict, or a table's rows)."""
    best, best_hits = None, 0
    for model in kind_models:
        names = {f.name for f in model._meta.concrete_fields}
        hits = len(set(keys) & names)
        if hits > best_hits:
            best, best_hits = model, hits
    return best


def _model_field(model, key):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:  # a snapshot key that is not a field, e.g. a computed total
        return None


def _form_labels(spec, model) -> dict[str, str]:
    """The labels the applicant saw: the step forms' own wording where they override the model's."""
    labels: dict[str, str] = {}
    for step in spec.steps if spec is not None else []:
        meta = getattr(step.form, "_meta", None)
        if meta is not None and meta.model is model:
            labels.update({name: str(f.label) for name, f in step.form.base_fields.items() if f.label})
    return labels


def _label(model, key: str, labels: dict | None = None) -> str:
    if labels and key in labels:
        return str(labels[key])
    model_field = _model_field(model, key)
    return str(model_field.verbose_name) if model_field is not None else key


def display(value: Any, model_field=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if model_field is not None and getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class SectionMeta:
    title: str
    model: type[models.Model] | None
    labels: dict


def _row_keys(rows: list) -> list[str]:
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in (row if isinstance(row, dict) else {}) if k not in keys)
    return keys


def _section_meta(spec, key: str, shape) -> SectionMeta:
    """Title, model and labels of one snapshot section, found among the kind's models."""
    kind_models = _kind_models(spec) if spec is not None else []
    if isinstance(shape, dict):
        model = _model_for(shape.keys(), kind_models)
        if model is not None:
            return SectionMeta(str(model._meta.verbose_name), model, _form_labels(spec, model))
    elif isinstance(shape, list):
        model = _model_for(_row_keys(shape), kind_models)
        if model is not None:
            return SectionMeta(str(model._meta.verbose_name_plural), model, {})
    return SectionMeta(key, None, {})


MATERIALS_META = SectionMeta(gettext_lazy("申报材料"), None, MATERIAL_LABELS)


# --- the snapshot, readable ------------------------------------------------------------


@dataclass
class Item:
    key: str
    label: str
    value: str
    long: bool = False
    # False for a snapshot value no model or form names (e.g. a computed total): a per-kind
    # template labels it, the generic one shows its key.
    labelled: bool = True


@dataclass
class Group:
    title: str
    items: list[Item] = field(default_factory=list)

    @property
    def has_labelled(self) -> bool:
        return any(item.labelled for item in self.items)


@dataclass
class Section:
    key: str
    title: str
    groups: list[Group] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    value: str | None = None

    @property
    def is_table(self) -> bool:
        return bool(self.columns)

    @property
    def values(self) -> dict[str, str]:
        """Each field's readable value by its key, for per-kind templates."""
        return {item.key: item.value for group in self.groups for item in group.items}


def _item(meta: SectionMeta, key: str, value) -> Item:
    text = display(value, _model_field(meta.model, key))
    label = _label(meta.model, key, meta.labels)
    return Item(key, label, text, long=len(text) > LONG_VALUE or "\n" in text, labelled=label != key)


def _fields_section(spec, key: str, data: dict) -> Section:
    meta = _section_meta(spec, key, data)
    # Submission requires every field that applies (the completeness rule), so an empty one in a
    # submitted version is one that does not apply, e.g. another 联盟类型's contact block.
    data = {name: value for name, value in data.items() if value not in ("", None)}
    section = Section(key, str(meta.title))
    placed: set[str] = set()
    # Grouped as the applicant filled them in: one group per form step.
    for step in spec.steps:
        form_meta = getattr(step.form, "_meta", None)
        if meta.model is None or form_meta is None or form_meta.model is not meta.model:
            continue
        names = [name for name in step.form.base_fields if name in data and name not in placed]
        if names:
            section.groups.append(Group(str(step.title), [_item(meta, n, data[n]) for n in names]))
            placed.update(names)
    rest = [name for name in data if name not in placed]
    if rest:
        section.groups.append(Group("", [_item(meta, n, data[n]) for n in rest]))
    return section


def _table_section(key: str, rows: list, meta: SectionMeta) -> Section:
    keys = _row_keys(rows)
    return Section(
        key,
        str(meta.title),
        columns=[_label(meta.model, k, meta.labels) for k in keys],
        rows=[
            [display(row.get(k), _model_field(meta.model, k)) for k in keys] for row in rows if isinstance(row, dict)
        ],
    )


def version_sections(spec, data: dict) -> list[Section]:
    """The frozen snapshot as sections of labelled fields and tables."""
    sections = []
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            sections.append(_fields_section(spec, key, value))
        elif isinstance(value, list):
            sections.append(_table_section(key, value, _section_meta(spec, key, value)))
        else:
            sections.append(Section(key, key, value=display(value)))
    return sections


def materials_section(materials: list[dict]) -> Section:
    return _table_section("materials", materials or [], MATERIALS_META)


# --- differences, readable ------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    section: str
    row: int | None
    row_name: str
    field: str
    old: str
    new: str
    kind: ChangeKind


def _row_name(rows, row: int | None) -> str:
    if row is None or not isinstance(rows, list) or not 0 < row <= len(rows) or not isinstance(rows[row - 1], dict):
        return ""
    return str(rows[row - 1].get("name") or "")


def _whole_row(row: Any, meta: SectionMeta) -> str:
    if row is None:  # the side of an added or removed row that has none
        return ""
    if not isinstance(row, dict):
        return display(row)
    return "；".join(
        f"{_label(meta.model, k, meta.labels)}：{display(v, _model_field(meta.model, k))}"
        for k, v in row.items()
        if v not in ("", None)
    )


def _labelled(old: dict, new: dict, meta_for) -> list[ChangeRow]:
    result = []
    for change in snapshot_diff(old, new):
        before, after = old.get(change.section), new.get(change.section)
        meta = meta_for(change.section, after if after is not None else before)
        if change.field:
            model_field = _model_field(meta.model, change.field)
            label = _label(meta.model, change.field, meta.labels)
            old_text, new_text = display(change.old, model_field), display(change.new, model_field)
        else:
            label = ""
            old_text, new_text = _whole_row(change.old, meta), _whole_row(change.new, meta)
        rows = before if change.kind == ChangeKind.REMOVED else after
        result.append(
            ChangeRow(str(meta.title), change.row, _row_name(rows, change.row), label, old_text, new_text, change.kind)
        )
    return result


def version_changes(spec, old: dict, new: dict) -> list[ChangeRow]:
    """`snapshot_diff` of two versions' content, with the form's labels and readable values."""
    return _labelled(old or {}, new or {}, lambda key, shape: _section_meta(spec, key, shape))


def _file_text(material: dict) -> str:
    # A name and the hash's first characters (enough to tell two uploads of one name apart); never ids.
    sha = str(material.get("sha256") or "")
    return f"{material.get('name') or ''}（{sha[:8]}）" if sha else str(material.get("name") or "")


def materials_changes(old: list, new: list, spec=None) -> list[ChangeRow]:
    """What changed in the materials frozen with two versions, matched by material kind and file hash
    (not by position): per kind, a file replaced (one out, one in), added or removed."""
    section = str(MATERIALS_META.title)
    by_code_old, by_code_new = {}, {}
    for material in old or []:
        by_code_old.setdefault(material.get("code"), []).append(material)
    for material in new or []:
        by_code_new.setdefault(material.get("code"), []).append(material)
    order = [m.code for m in spec.materials] if spec else []
    codes = [c for c in order if c in by_code_old or c in by_code_new]
    codes += sorted((set(by_code_old) | set(by_code_new)) - set(codes), key=str)
    rows = []
    for code in codes:
        material_spec = spec.material(code) if spec else None
        name = f"{code} {material_spec.label}" if material_spec else str(code)
        before = {m.get("sha256"): m for m in by_code_old.get(code, [])}
        after = {m.get("sha256"): m for m in by_code_new.get(code, [])}
        removed = [m for sha, m in before.items() if sha not in after]
        added = [m for sha, m in after.items() if sha not in before]
        if len(removed) == 1 and len(added) == 1:
            rows.append(
                ChangeRow(
                    section, None, name, _("替换"), _file_text(removed[0]), _file_text(added[0]), ChangeKind.CHANGED
                )
            )
            continue
        rows += [ChangeRow(section, None, name, "", _file_text(m), "", ChangeKind.REMOVED) for m in removed]
        rows += [ChangeRow(section, None, name, "", "", _file_text(m), ChangeKind.ADDED) for m in added]
    return rows
