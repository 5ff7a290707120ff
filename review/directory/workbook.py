"""The directory's .xlsx: the template staff fill in, and reading a filled one safely (openpyxl).

A file is refused whole, with one Chinese message, when it is not a real .xlsx (another format
renamed, macro-enabled, a zip bomb) or holds formulas; otherwise its rows are returned for the
import service to check one by one.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from accounts.models import Area

COLUMNS = ("单位名称", "统一社会信用代码", "所在区", "目录清单")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A workbook of 20,000 short rows unpacks to a few MB; far beyond that is a zip bomb.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclass(frozen=True)
class Row:
    number: int  # the row number Excel shows
    name: str
    uscc: str
    area: str
    list_name: str


def template_workbook(list_names: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "目录清单"
    sheet.append(COLUMNS)
    sheet.append(["上海示例科技有限公司", "91310115MA1H7XXXXX", Area.PUDONG.value, list_names[0] if list_names else ""])
    for column, width in zip("ABCD", (36, 24, 14, 30), strict=True):
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("填写说明")
    notes.append(["第一行为表头，请勿修改；示例行请删除后再导入。"])
    notes.append(["所在区：" + "、".join(Area.values)])
    notes.append(["目录清单：" + ("、".join(list_names) or "请先在平台上建立清单")])
    notes.append(["单元格请填写文字，不要使用公式；每个文件为一次导入，任一行有误则整个文件不导入。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _refuse(message: str):
    raise ValidationError(message, code="bad_workbook")


def _check_container(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），请使用本页提供的模板。"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），请使用本页提供的模板。"))
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            _refuse(_("文件含有宏（.xlsm），不予导入。请另存为普通的 Excel 工作簿（.xlsx）后再导入。"))
        unpacked = sum(info.file_size for info in archive.infolist())
        packed = max(1, sum(info.compress_size for info in archive.infolist()))
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
            _refuse(_("文件解压后过大，不予导入。请只保留目录清单的四列数据后再导入。"))
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        if XLSX_MAIN not in content_types:
            _refuse(_("文件不是普通的 Excel 工作簿（.xlsx，可能是含宏或模板文件），请另存为 .xlsx 后再导入。"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(upload) -> list[Row]:
    """The rows of the first sheet, or a ValidationError that refuses the file whole."""
    if upload.size > MAX_UPLOAD_BYTES:
        _refuse(_("文件不能超过 5 MB。"))
    data = upload.read()
    _check_container(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a damaged file
        _refuse(_("文件已损坏或不是有效的 Excel 工作簿（.xlsx），无法读取。"))
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        header = [_text(cell.value) for cell in next(rows, ())]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            _refuse(_("表头缺少以下列：%(columns)s。请使用本页提供的模板。") % {"columns": "、".join(missing)})
        index = {column: header.index(column) for column in COLUMNS}
        result = []
        for number, cells in enumerate(rows, start=2):
            if any(getattr(cell, "data_type", None) == "f" for cell in cells):
                _refuse(_("第 %(row)d 行含有公式，不予导入。请把公式转换为文字后再导入。") % {"row": number})
            values = [_text(cell.value) for cell in cells]
            if not any(values):
                continue
            if len(result) >= MAX_ROWS:
                _refuse(_("一次最多导入 %(n)d 行，请分批导入。") % {"n": MAX_ROWS})
            values += [""] * (len(header) - len(values))
            result.append(
                Row(
                    number=number,
                    name=values[index["单位名称"]],
                    uscc=values[index["统一社会信用代码"]].upper(),
                    area=values[index["所在区"]],
                    list_name=values[index["目录清单"]],
                )
            )
    finally:
        book.close()
    if not result:
        _refuse(_("文件中没有数据行。"))
    return result
