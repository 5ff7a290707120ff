"""CSV beside JSON: the same rows, one per record, nested objects flattened to `call.title`."""

import csv
import io

from rest_framework.renderers import BaseRenderer

# Excel would run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if type(value) is not str:  # most cells are text: one check, then the formula guard
        if value is None:
            return ""
        value = "; ".join(_cell(item) for item in value) if isinstance(value, list) else str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _flat(record, prefix: str = "", row: dict | None = None) -> dict[str, str]:
    row = {} if row is None else row
    if not isinstance(record, dict):
        row[prefix or "detail"] = _cell(record)
        return row
    for key, value in record.items():
        if isinstance(value, dict):
            _flat(value, f"{prefix}{key}.", row)
        else:
            row[prefix + key] = _cell(value)
    return row


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        paginated = isinstance(data, dict) and isinstance(data.get("results"), list)
        records = data["results"] if paginated else [data]
        rows = [_flat(record) for record in records]
        # Every record's columns, in the order they first appear; a record without one leaves it empty.
        columns = list(dict.fromkeys(name for row in rows for name in row))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows([row.get(name, "") for name in columns] for row in rows)
        # The byte-order mark tells Excel the file is UTF-8, so Chinese opens correctly.
        return ("\ufeff" + out.getvalue()).encode("utf-8")
