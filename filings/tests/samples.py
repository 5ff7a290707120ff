"""Small real files for upload tests: each opens in pypdf or Pillow, as the upload check requires."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf_bytes(*, javascript: str | None = None, password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if javascript:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
    if password:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(format_name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format_name)
    return buffer.getvalue()


PDF = pdf_bytes()
JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")
