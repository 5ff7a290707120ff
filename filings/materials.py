"""Materials (申报材料) of a filing: what may be uploaded, and how it is kept.

seed 000 二 lists the materials; SPEC §2.2 and §7: PDF/JPEG/PNG checked by content,
size-limited, refused before storage, a SHA-256 recorded, served only to those allowed.
"""

import re
import unicodedata
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.roles import is_applicant, is_bureau, is_expert
from filings import kinds, scan, signing
from filings.models import Filing, Material, ScanState, sha256_of

# Acrobat accepts a PDF header anywhere in the first 1024 bytes, and real scanners'
# files sometimes start with a few bytes of junk before it.
PDF_WINDOW = 1024
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

DISPLAY_NAME_MAX = 100
# Stored data, not interface text: the same in every language.
UNNAMED = "未命名文件"
# Besides separators, the characters Windows refuses in a file name; the name goes back
# to the user's disk as the download's file name.
_FORBIDDEN_IN_NAME = re.compile(r'[<>:"|?*]')
# Cc control, Cf format (e.g. U+202E right-to-left override, which disguises "exe.pdf"),
# Cs surrogates, Co private use.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_MAX_EXTENSION = 10


class MaterialError(StrEnum):
    NOT_EDITABLE = "not_editable"
    UNKNOWN_CODE = "unknown_material"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    BAD_CONTENT = "bad_content"
    ENCRYPTED = "encrypted"
    ACTIVE_CONTENT = "active_content"


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Keys and actions that make a PDF do something when opened or clicked (scripts, attached
# files, launching programs, forms that post elsewhere): nothing a scanned material needs.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/SubmitForm", "/RichMediaExecute"})
# Enough for any real material; a file with more objects than this is not a scan.
_MAX_PDF_OBJECTS = 200_000


def sniff_content_type(fileobj) -> str | None:
    """The type by the file's first bytes, never by its name or the browser's claim."""
    position = fileobj.tell()
    try:
        fileobj.seek(0)
        head = fileobj.read(PDF_WINDOW)
    finally:
        fileobj.seek(position)
    if head.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if head.startswith(PNG_MAGIC):
        return "image/png"
    if PDF_MAGIC in head:
        return "application/pdf"
    return None


def _bad_content() -> ValidationError:
    return ValidationError(
        _("文件内容不是 PDF、JPG 或 PNG，请上传扫描件的 PDF 文件或图片（改扩展名无效）。"),
        code=MaterialError.BAD_CONTENT,
    )


def _pdf_objects(reader):
    """Every object of the file: those in the cross-reference table and those packed in object streams."""
    numbers = {number for generation in reader.xref.values() for number in generation}
    numbers |= set(reader.xref_objStm)
    for number in sorted(numbers)[:_MAX_PDF_OBJECTS]:
        try:
            yield reader.get_object(number)
        except Exception:  # a damaged object is no content: the page check decides
            continue


def _is_active(value, depth: int = 0) -> bool:
    from pypdf.generic import ArrayObject, DictionaryObject

    if depth > 50:
        return False
    if isinstance(value, DictionaryObject):
        if _ACTIVE_KEYS.intersection(value.keys()) or value.get("/S") in _ACTIVE_ACTIONS:
            return True
        # Indirect references are visited as objects of their own (_pdf_objects).
        return any(_is_active(item, depth + 1) for item in value.values())
    if isinstance(value, ArrayObject):
        return any(_is_active(item, depth + 1) for item in value)
    return False


def _check_pdf(fileobj) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("PDF 文件已加密或设有密码，请上传未加密的 PDF。"),
                code=MaterialError.ENCRYPTED,
            )
        if len(reader.pages) < 1:
            raise _bad_content()
        active = any(_is_active(obj) for obj in _pdf_objects(reader))
    except ValidationError:
        raise
    except Exception as error:  # pypdf's many ways of saying "this is not a PDF"
        raise _bad_content() from error
    if active:
        raise ValidationError(
            _("PDF 文件含有脚本、附件或自动执行的动作，不能接收。请“打印为 PDF”或重新扫描后再上传。"),
            code=MaterialError.ACTIVE_CONTENT,
        )


def _check_image(fileobj, content_type: str) -> None:
    from PIL import Image

    try:
        with Image.open(fileobj) as image:
            if image.format != _PILLOW_FORMATS[content_type]:
                raise _bad_content()
            image.load()  # decodes every pixel: a header followed by anything else fails here
    except ValidationError:
        raise
    except Exception as error:
        raise _bad_content() from error
    if content_type == "image/png":
        # Nothing after the image's end (a PNG followed by a ZIP is two files in one).
        fileobj.seek(0)
        data = fileobj.read()
        end = data.rfind(b"IEND")
        if end < 0 or len(data) - (end + 8) > 0:
            raise _bad_content()


def upload_check(uploaded_file) -> str:
    """The one check of every upload in the portal: size, then the content opened with a real
    parser (pypdf, Pillow), never the name or the browser's claim. Returns the content type."""
    if uploaded_file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("文件超过 %(limit)s MB 的大小上限，请压缩或分成几个文件后再上传。") % {"limit": upload_limit_mb()},
            code=MaterialError.TOO_LARGE,
        )
    if not uploaded_file.size:
        raise ValidationError(_("文件是空的，请重新选择文件。"), code=MaterialError.EMPTY)
    content_type = sniff_content_type(uploaded_file)
    if content_type is None:
        raise _bad_content()
    position = uploaded_file.tell()
    try:
        uploaded_file.seek(0)
        if content_type == "application/pdf":
            _check_pdf(uploaded_file)
        else:
            _check_image(uploaded_file, content_type)
    finally:
        uploaded_file.seek(position)
    return content_type


def download_name(name: str, content_type: str) -> str:
    """The name a file is offered under: the user's, with the extension of its checked type
    (an upload named "x.html" or "x.exe" that passed as a PDF downloads as "x.pdf")."""
    extension = EXTENSIONS.get(content_type, "")
    stem, dot, old_extension = name.rpartition(".")
    if dot and stem and len(old_extension) <= _MAX_EXTENSION:
        name = stem
    return f"{name}{extension}"


def safe_display_name(name: str) -> str:
    """The name the user gave, made harmless to show and to offer back as a download name."""
    name = unicodedata.normalize("NFC", name or "")
    # Whitespace first (tabs and newlines are control characters too), then the rest.
    name = " ".join(name.split())
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    parts = [part for part in re.split(r"[/\\]", name) if part.strip()]
    name = parts[-1] if parts else ""
    name = _FORBIDDEN_IN_NAME.sub("_", name)
    name = " ".join(name.split()).lstrip(". ").rstrip(". ")
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= _MAX_EXTENSION:
            suffix = "." + extension
            name = name[: DISPLAY_NAME_MAX - len(suffix)].rstrip(". ") + suffix
        else:
            name = name[:DISPLAY_NAME_MAX].rstrip(". ")
    return name or UNNAMED


def upload_limit_mb() -> str:
    """settings.UPLOAD_MAX_BYTES as people read it: "20", "2.5"."""
    return f"{settings.UPLOAD_MAX_BYTES / (1024 * 1024):.3g}"


def _locked(filing: Filing) -> Filing:
    # The filing's state is read under the lock, so a submission running at the same
    # moment cannot slip a file into (or out of) a version being frozen.
    return Filing.objects.select_for_update().get(pk=filing.pk)


def _refuse_unless_editable(filing: Filing, material_spec=None) -> None:
    allowed = material_spec.accepts_upload(filing) if material_spec else filing.is_editable
    if not allowed:
        raise ValidationError(
            _("申报当前状态为“%(state)s”，不能修改材料。") % {"state": filing.get_state_display()},
            code=MaterialError.NOT_EDITABLE,
        )


@transaction.atomic
def material_upload(*, filing: Filing, code: str, uploaded_file, actor) -> Material:
    """Stores one file as material `code` of the filing; every refusal comes before storage."""
    filing = _locked(filing)
    spec = kinds.get(filing.kind)
    material_spec = spec.material(code) if spec else None
    if material_spec is None:
        _refuse_unless_editable(filing)
        raise ValidationError(_("该类申报没有这一类材料，请重新选择材料类别。"), code=MaterialError.UNKNOWN_CODE)
    _refuse_unless_editable(filing, material_spec)
    content_type = upload_check(uploaded_file)
    if material_spec.after_submission and content_type == "application/pdf":
        # A digitally signed 申请书 instead of the sealed scan: the submitted version, intact.
        signing.signed_application_check(filing=filing, uploaded_file=uploaded_file)

    if not material_spec.many:
        # The earlier file stays: a submitted version may refer to it.
        for previous in Material.objects.filter(filing=filing, code=code, is_current=True):
            previous.is_current = False
            previous.save(update_fields=["is_current"])

    # content_type before the file is saved: material_path takes the extension from it.
    material = Material(
        filing=filing,
        code=code,
        original_name=safe_display_name(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        sha256=sha256_of(uploaded_file),
        uploaded_by=actor,
    )
    scan.upload_hold(material)
    material.full_clean(exclude=["file"])
    material.file.save(f"upload{material.extension}", uploaded_file, save=False)
    try:
        material.save()
    except Exception:
        material.file.delete(save=False)
        raise
    scan.upload_scan_queue(material)
    return material


@transaction.atomic
def material_remove(*, material: Material, actor) -> None:
    """Hides the file from the draft; the row and the file stay for the versions that cite them."""
    filing = _locked(material.filing)
    spec = kinds.get(filing.kind)
    _refuse_unless_editable(filing, spec.material(material.code) if spec else None)
    if material.is_current:
        material.is_current = False
        material.save(update_fields=["is_current"])


def materials_for_filing(filing: Filing) -> QuerySet[Material]:
    return Material.objects.filter(filing=filing, is_current=True).order_by("code", "uploaded_at")


def materials_for_user(user) -> QuerySet[Material]:
    """The files a user may download: bureau staff all, applicants their organisation's,
    experts those of the filings assigned to them (through review's reverse accessor, no import)."""
    # Only what the virus scan passed (with scanning off, everything) is ever served.
    clean = Material.objects.filter(scan_state=ScanState.CLEAN)
    if is_bureau(user):
        return clean
    if is_applicant(user):
        return clean.filter(filing__organisation_id=user.organisation_id)
    if is_expert(user):
        return clean.filter(filing__expert_assignments__expert=user)
    return Material.objects.none()
