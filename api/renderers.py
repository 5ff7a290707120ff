"""CSV beside JSON: the same rows, one per record, nested objects flattened to `call.title`."""

import csv
import io

from rest_framework.renderers import BaseRenderer

# Excel would run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(_cell(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _flat(record, prefix: str = "") -> dict[str, str]:
    if not isinstance(record, dict):
        return {prefix or "detail": _cell(record)}
    row: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(_flat(value, f"{name}."))
        else:
            row[name] = _cell(value)
    return row


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        paginated = isinstance(data, dict) and isinstance(data.get("results"), list)
        records = data["results"] if paginated else [data]
        rows = [_flat(record) for record in records]
        columns: list[str] = []
        for row in rows:
            columns.extend(name for name in row if name not in columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        # The byte-order mark tells Excel the file is UTF-8, so Chinese opens correctly.
        return ("\ufeff" + out.getvalue()).encode("utf-8")
