"""What changed between two submitted versions (SPEC §4: each submitted version is kept and diffable).

Pure functions of two frozen snapshots. A snapshot is a dict of sections: a section is a
dict of fields (the kind's detail row), a list of rows (members, pools, materials) or a
plain value. Rows carry no identity of their own, so they are aligned as sequences: a row
inserted in the middle of a table is one added row, not a change to every row after it.
"""

import json
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any


class ChangeKind(StrEnum):
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    section: str
    # The field in a dict section or in a row; empty for a whole row or a plain section value.
    field: str
    # 1-based position of the row: in the newer version, or in the older one for a removed row.
    row: int | None
    old: Any
    new: Any
    kind: ChangeKind = ChangeKind.CHANGED


_MISSING = object()


def _fingerprint(row: Any) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)


def _fields_diff(section: str, old: dict, new: dict, row: int | None = None) -> list[Change]:
    changes = []
    keys = list(old) + [key for key in new if key not in old]
    for key in keys:
        before, after = old.get(key, _MISSING), new.get(key, _MISSING)
        if before != after:
            changes.append(
                Change(
                    section,
                    key,
                    row,
                    None if before is _MISSING else before,
                    None if after is _MISSING else after,
                )
            )
    return changes


def _rows_diff(section: str, old: list, new: list) -> list[Change]:
    changes: list[Change] = []
    matcher = SequenceMatcher(a=[_fingerprint(r) for r in old], b=[_fingerprint(r) for r in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Within a replaced block, rows are paired by position: an edited row is a change of its
        # fields; what is left over on either side was added or removed.
        width = max(i2 - i1, j2 - j1)
        for k in range(width):
            i, j = i1 + k, j1 + k
            if i < i2 and j < j2:
                if isinstance(old[i], dict) and isinstance(new[j], dict):
                    changes.extend(_fields_diff(section, old[i], new[j], row=j + 1))
                else:
                    changes.append(Change(section, "", j + 1, old[i], new[j]))
            elif j < j2:
                changes.append(Change(section, "", j + 1, None, new[j], ChangeKind.ADDED))
            else:
                changes.append(Change(section, "", i + 1, old[i], None, ChangeKind.REMOVED))
    return changes


def snapshot_diff(old: dict, new: dict) -> list[Change]:
    """Every changed field and added, removed or changed row from `old` to `new`, in section order."""
    changes: list[Change] = []
    sections = list(old) + [key for key in new if key not in old]
    for section in sections:
        before, after = old.get(section), new.get(section)
        if before == after:
            continue
        # A section that only one version has compares with an empty one of the same shape.
        if before is None and isinstance(after, dict | list):
            before = type(after)()
        if after is None and isinstance(before, dict | list):
            after = type(before)()
        if isinstance(before, dict) and isinstance(after, dict):
            changes.extend(_fields_diff(section, before, after))
        elif isinstance(before, list) and isinstance(after, list):
            changes.extend(_rows_diff(section, before, after))
        else:
            changes.append(Change(section, "", None, before, after))
    return changes
