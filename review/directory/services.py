"""Writes of the key-enterprise directory: lists, entries, imports and reminders."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Area
from filings.outbox import outbox_enqueue
from filings.validators import clean_uscc, uscc_is_shanghai
from review.directory import selectors
from review.directory.models import KeyEntry, KeyList
from review.directory.workbook import Row, read_rows


@dataclass(frozen=True)
class RowError:
    number: int
    message: str


class ImportRefused(ValidationError):
    """The import wrote nothing: `rows` says which rows are wrong and why."""

    def __init__(self, rows: list[RowError]):
        super().__init__(_("有 %(n)d 行有误，整个文件未导入。") % {"n": len(rows)}, code="bad_rows")
        self.rows = rows


@transaction.atomic
def key_list_create(*, name: str, deadline, note: str = "", actor) -> KeyList:
    key_list = KeyList(name=name.strip(), deadline=deadline, note=note.strip(), created_by=actor)
    key_list.full_clean()
    key_list.save()
    return key_list


def _entry_error(*, name: str, uscc: str, area: str) -> str | None:
    """Why an entry cannot be listed, or None."""
    if not name:
        return _("单位名称为空。")
    if len(name) > 200:
        return _("单位名称超过200字。")
    if not uscc:
        return _("统一社会信用代码为空。")
    try:
        code = clean_uscc(uscc)
    except ValidationError as error:
        return " ".join(error.messages)
    if not uscc_is_shanghai(code):
        return _("统一社会信用代码 %(code)s 不是上海市登记的单位（第3、4位应为31）。") % {"code": code}
    if area not in Area.values:
        return _("所在区“%(area)s”不是上海市的区或临港新片区。") % {"area": area[:20]}
    return None


@transaction.atomic
def key_entry_add(*, key_list: KeyList, name: str, uscc: str, area: str) -> KeyEntry:
    name, uscc = name.strip(), uscc.strip().upper()
    error = _entry_error(name=name, uscc=uscc, area=area)
    if error:
        raise ValidationError(error, code="bad_entry")
    if KeyEntry.objects.filter(key_list=key_list, uscc=uscc).exists():
        raise ValidationError(_("该统一社会信用代码已在本清单中。"), code="duplicate")
    return KeyEntry.objects.create(key_list=key_list, name=name, uscc=uscc, area=area)


@transaction.atomic
def key_entries_import(*, upload) -> int:
    """All or nothing: every row is checked first, and one bad row keeps the whole file out."""
    rows: list[Row] = read_rows(upload)
    lists = {key_list.name: key_list for key_list in KeyList.objects.select_for_update()}
    listed = set(KeyEntry.objects.filter(key_list__in=lists.values()).values_list("key_list_id", "uscc"))
    seen: dict[tuple[int, str], int] = {}
    errors, entries = [], []
    for row in rows:
        key_list = lists.get(row.list_name)
        error = _entry_error(name=row.name, uscc=row.uscc, area=row.area)
        if error is None and key_list is None:
            error = _("目录清单“%(name)s”不存在，请先在平台上建立该清单。") % {"name": row.list_name[:100]}
        if error is None and (key_list.pk, row.uscc) in seen:
            error = _("与第 %(other)d 行重复（同一清单、同一统一社会信用代码）。") % {
                "other": seen[key_list.pk, row.uscc]
            }
        if error is None and (key_list.pk, row.uscc) in listed:
            error = _("该单位已在清单“%(name)s”中。") % {"name": key_list.name}
        if error:
            errors.append(RowError(row.number, error))
            continue
        seen[key_list.pk, row.uscc] = row.number
        entries.append(KeyEntry(key_list=key_list, name=row.name, uscc=row.uscc, area=row.area))
    if errors:
        raise ImportRefused(errors)
    KeyEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


@transaction.atomic
def key_list_remind(*, key_list: KeyList, actor) -> int:
    """Queues one reminder e-mail per listed enterprise with an account and no product record
    (through the outbox: sent after commit, or later by the relay if the broker is down)."""
    today = timezone.localdate().isoformat()
    entry_ids = list(selectors.entries_to_remind(key_list=key_list).values_list("pk", flat=True))
    for entry_id in entry_ids:
        outbox_enqueue(
            task="review.directory.tasks.remind_key_enterprise",
            key=f"directory-remind:{entry_id}:{today}",
            entry_id=entry_id,
        )
    KeyEntry.objects.filter(pk__in=entry_ids).update(reminded_at=timezone.now())
    return len(entry_ids)
