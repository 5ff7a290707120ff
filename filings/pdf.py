"""The A4 申请书 (SPEC §5): one submitted version rendered by WeasyPrint.

Everything printed comes from the frozen `version.data` plus what identifies the
version (filing number, version number, call, submission date, verification
code). Live detail rows are never read: a version's paper must not change when the
draft is edited afterwards.

Rendering touches no network: the URL fetcher only lets through data: URIs and
files inside the project.
"""

import functools
import hashlib
import io
import logging
import mimetypes
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from filings import kinds, signing
from filings.models import Filing, FilingVersion, RegistrationDocument, VersionDocument

log = logging.getLogger(__name__)

DEFAULT_PORTAL_BASE_URL = "http://127.0.0.1:8000"
STYLESHEET_TEMPLATE = "pdf/base.css"

# Renders are serialised: Pango's font map is not thread-safe, and the embedded mode
# renders inside threaded request handling. A worker process renders one at a time anyway.
_render_lock = threading.Lock()


def project_root() -> Path:
    return Path(settings.BASE_DIR).resolve()


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read data: URIs and files under the project, and nothing else."""

    def __init__(self, root: Path):
        super().__init__(timeout=1, allowed_protocols={"data", "file"})
        self.root = root

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        raise ValueError(f"refused to fetch {url[:100]}: the 申请书 PDF only reads local files")


@functools.cache
def font_config() -> FontConfiguration:
    """One per process: fontconfig's and Pango's font caches stay warm between renders."""
    return FontConfiguration()


@functools.cache
def stylesheet() -> CSS:
    """The shared base stylesheet, parsed once per process."""
    origin = Path(get_template(STYLESHEET_TEMPLATE).origin.name)
    return CSS(
        string=origin.read_text(encoding="utf-8"),
        base_url=origin.as_uri(),
        url_fetcher=LocalOnlyFetcher(project_root()),
        font_config=font_config(),
    )


def portal_base_url() -> str:
    return (getattr(settings, "PORTAL_BASE_URL", DEFAULT_PORTAL_BASE_URL) or DEFAULT_PORTAL_BASE_URL).rstrip("/")


def verification_url(code: str, *, base_url: str | None = None) -> str:
    return (base_url or portal_base_url()).rstrip("/") + reverse("public:verify", args=[code])


def qr_data_uri(url: str) -> str:
    # Vector SVG: sharp at any print resolution and a few hundred bytes in the PDF.
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=0, dark="#000")


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def html_to_pdf(html: str, *, extra_stylesheets: Iterable[CSS] = ()) -> RenderedPdf:
    root = project_root()
    with _render_lock:
        source = HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=LocalOnlyFetcher(root))
        document = source.render(stylesheets=[stylesheet(), *extra_stylesheets], font_config=font_config())
        return RenderedPdf(document.write_pdf(finisher=compact_cid_fonts), len(document.pages))


def compact_cid_fonts(document, pdf) -> None:
    """Shrinks the embedded CJK fonts to the glyphs used, keeping their CIDs.

    WeasyPrint subsets with HarfBuzz's "retain GIDs" so that the glyph ids in the
    page content stay valid; for a CJK font with 65,000 glyphs that leaves tens of
    thousands of empty glyphs and their metrics, about 100–270 KiB per font. Noto
    CJK's CFF is CID-keyed with CID = GID, so the used glyphs can be packed and
    embedded as a bare CID-keyed CFF (FontFile3 /CIDFontType0C, the form PDF
    producers have always used for CJK): its charset maps each CID (the code in the
    content) to the packed glyph. A font that does not fit those conditions keeps
    WeasyPrint's embedding.
    """
    try:
        _compact_cid_fonts(document, pdf)
    except Exception:  # the PDF as WeasyPrint made it is correct, only larger
        log.warning("pdf: fonts left as WeasyPrint embedded them", exc_info=True)


def _compact_cid_fonts(document, pdf) -> None:
    descriptors = {
        obj["FontName"]: obj["FontFile3"]
        for obj in pdf.objects
        if isinstance(obj, dict) and obj.get("Type") == "/FontDescriptor" and "FontFile3" in obj
    }
    by_file: dict[str, list] = {}
    for font in document.fonts.values():
        by_file.setdefault(font.hash, []).append(font)
    for fonts in by_file.values():
        font = fonts[0]
        reference = descriptors.get(font.name)
        if reference is None or font.bitmap or any(f.missing for f in fonts):
            continue
        used = sorted({0}.union(*(f.to_unicode for f in fonts)))
        try:
            cff = _packed_cid_cff(font.hb_face, used)
        except Exception:  # the font WeasyPrint embedded is still correct, only larger
            log.warning("pdf: could not pack font %s", font.family, exc_info=True)
            continue
        if cff is None:
            continue
        stream = pdf.objects[int(reference.split()[0])]
        stream.stream = [cff]
        stream.extra["Subtype"] = "/CIDFontType0C"


def _packed_cid_cff(hb_face, glyph_ids: list[int]) -> bytes | None:
    """The CFF table of `hb_face` cut down to `glyph_ids`, or None if its CIDs are not its GIDs."""
    from fontTools.cffLib import CFFFontSet
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if harfbuzz_subset is None:
        return None
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy)
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(glyph_set, ffi.new("hb_codepoint_t[]", glyph_ids), len(glyph_ids))
    harfbuzz_subset.hb_subset_input_set_flags(
        subset_input,
        harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
        | harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
        | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE,
    )
    # Without the layout tables HarfBuzz adds no glyphs by substitution closure
    # (vertical and other alternates: hundreds for a CJK text); only the CFF is kept anyway.
    drop = harfbuzz_subset.hb_subset_input_set(subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in (b"GSUB", b"GPOS", b"GDEF", b"BASE", b"JSTF"))
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new("hb_codepoint_t[]", tags), len(tags))
    face = harfbuzz_subset.hb_subset_or_fail(hb_face, subset_input)
    if face == ffi.NULL:
        return None
    face = ffi.gc(face, harfbuzz.hb_face_destroy)
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        cff = ffi.unpack(data, length[0]) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)
    if not cff:
        return None
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(cff), None)
    top = fonts.topDictIndex[0]
    if not hasattr(top, "ROS"):
        return None
    # Every used glyph must be found under its own GID as CID, in GID order.
    cids = [0 if name == ".notdef" else int(name.removeprefix("cid")) for name in top.charset]
    if cids != sorted(set(cids)) or not set(glyph_ids) <= set(cids):
        return None
    return cff


def extra_stylesheet(css: str) -> CSS:
    """A stylesheet added after the base one (e.g. the benchmark's font substitution)."""
    return CSS(string=css, url_fetcher=LocalOnlyFetcher(project_root()), font_config=font_config())


def version_context(version: FilingVersion, *, base_url: str | None = None) -> dict:
    filing = version.filing
    call = filing.call
    url = verification_url(version.verification_code, base_url=base_url)
    spec = kinds.get(filing.kind)
    return {
        "data": version.data,
        # What the kind's template gets besides the common context.
        **(spec.pdf_context(version.data) if spec.pdf_context else {}),
        "filing_number": filing.number,
        "registry_number": filing.registry_number,
        "registered_on": timezone.localdate(filing.registered_at) if filing.registered_at else None,
        "version_number": version.number,
        "call_title": call.title,
        "notice_number": call.notice_number,
        "submitted_on": timezone.localdate(version.submitted_at),
        "verification_code": version.verification_code,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
    }


def render_version(
    version: FilingVersion, *, base_url: str | None = None, extra_stylesheets: Iterable[CSS] = ()
) -> RenderedPdf:
    """The 申请书 of one version, with its page count.

    `base_url` is the portal's absolute address printed in the QR code; it
    defaults to the PORTAL_BASE_URL setting.
    """
    spec = kinds.get(version.filing.kind)
    if spec is None or not spec.pdf_template:
        raise LookupError(f"no PDF template for filing kind {version.filing.kind!r}")
    html = render_to_string(spec.pdf_template, version_context(version, base_url=base_url))
    return html_to_pdf(html, extra_stylesheets=extra_stylesheets)


def render_version_pdf(
    version: FilingVersion, *, base_url: str | None = None, extra_stylesheets: Iterable[CSS] = ()
) -> bytes:
    """The 申请书 of one version as PDF bytes."""
    return render_version(version, base_url=base_url, extra_stylesheets=extra_stylesheets).data


# The draft preview on the submission page: marked on every page, never a document to sign.
DRAFT_MARK = "草稿　仅供核对　不能签章报送"
DRAFT_CSS = """
.draft-mark {
  position: fixed; top: 120mm; left: -20mm; right: -20mm;
  text-align: center; font-size: 30pt; font-weight: bold; letter-spacing: .15em; white-space: nowrap;
  color: rgba(176, 42, 55, .22); transform: rotate(-30deg);
}
"""
# No verification code exists before the submission: an empty square where the QR code goes.
BLANK_QR = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"


def draft_context(filing) -> dict:
    """What a version's template gets, from the live draft as it would be frozen now."""
    spec = kinds.get(filing.kind)
    data = spec.snapshot(filing)
    call = filing.call
    return {
        "data": data,
        **(spec.pdf_context(data) if spec.pdf_context else {}),
        "filing_number": filing.number or "（提交时分配）",
        "registry_number": filing.registry_number,
        "registered_on": None,
        "version_number": filing.version + 1,
        "call_title": call.title,
        "notice_number": call.notice_number,
        "submitted_on": timezone.localdate(),
        "verification_code": "（提交后生成）",
        "verification_url": "（提交后生成）",
        "qr_data_uri": BLANK_QR,
    }


def render_draft(filing) -> RenderedPdf:
    """The 申请书 as the draft would be submitted now, marked 草稿 on every page."""
    spec = kinds.get(filing.kind)
    if spec is None or not spec.pdf_template:
        raise LookupError(f"no PDF template for filing kind {filing.kind!r}")
    html = render_to_string(spec.pdf_template, draft_context(filing))
    html = html.replace("<body>", f'<body><div class="draft-mark">{DRAFT_MARK}</div>', 1)
    return html_to_pdf(html, extra_stylesheets=[extra_stylesheet(DRAFT_CSS)])


def warm_up() -> None:
    """Loads the CJK fonts once per process, so the first real render is not the slow one."""
    started = time.perf_counter()
    html_to_pdf('<html lang="zh-CN"><body><p>上海市产业知识产权联盟备案申请书 第 1 页 ☑☐ 𠀾</p></body></html>')
    log.info("pdf: fonts loaded in %.2f s", time.perf_counter() - started)


def document_path(version: FilingVersion) -> str:
    return f"documents/{version.filing_id}/{version.filing.number}-v{version.number}.pdf"


def version_document_issue(*, version_id: int) -> tuple[VersionDocument, bool]:
    """Renders and stores the 申请书 of a version once; returns (document, rendered now).

    Idempotent: a message may be delivered twice and two workers may race. The
    one-to-one row decides: the loser of the race deletes the file it stored.
    """
    existing = VersionDocument.objects.filter(version_id=version_id).first()
    if existing is not None:
        return existing, False
    version = FilingVersion.objects.select_related("filing__call").get(pk=version_id)
    started = time.perf_counter()
    rendered = signing.bureau_document_sign(version=version, rendered=render_version(version))
    seconds = time.perf_counter() - started
    name = default_storage.save(document_path(version), ContentFile(rendered.data))
    try:
        with transaction.atomic():
            document = VersionDocument.objects.create(
                version=version,
                file=name,
                sha256=rendered.sha256,
                size=len(rendered.data),
                pages=rendered.pages,
                render_seconds=round(seconds, 3),
            )
    except IntegrityError:
        default_storage.delete(name)
        return VersionDocument.objects.get(version_id=version_id), False
    return document, True


def registration_path(filing: Filing) -> str:
    return f"certificates/{filing.pk}/{filing.number}-registration.pdf"


def registration_context(filing: Filing, *, base_url: str | None = None) -> dict:
    """What a kind's registration document prints: the registered version, the registry number, and
    a QR code to the filing's entry in the public registry, where anyone can check the number."""
    version = filing.versions.order_by("-number").first()
    context = version_context(version, base_url=base_url)
    url = (base_url or portal_base_url()).rstrip("/") + reverse("public:registry-detail", args=[filing.pk])
    context.update(
        organisation=filing.organisation.name,
        title=filing.title,
        registry_url=url,
        registry_qr_data_uri=qr_data_uri(url),
        document_name=kinds.get(filing.kind).registration_document_name,
    )
    return context


def registration_document_issue(*, filing_id: int) -> tuple[RegistrationDocument, bool]:
    """Renders and stores a registered filing's 备案证明 / 立项通知 once; returns (document, rendered now).
    Idempotent like version_document_issue."""
    existing = RegistrationDocument.objects.filter(filing_id=filing_id).first()
    if existing is not None:
        return existing, False
    filing = Filing.objects.select_related("call", "organisation").get(pk=filing_id)
    spec = kinds.get(filing.kind)
    if not spec.registration_template or not filing.registry_number:
        raise LookupError(f"filing {filing_id} has no registration document to issue")
    rendered = signing.registration_document_sign(
        filing=filing,
        rendered=html_to_pdf(render_to_string(spec.registration_template, registration_context(filing))),
    )
    name = default_storage.save(registration_path(filing), ContentFile(rendered.data))
    try:
        with transaction.atomic():
            document = RegistrationDocument.objects.create(
                filing=filing, file=name, sha256=rendered.sha256, size=len(rendered.data), pages=rendered.pages
            )
    except IntegrityError:
        default_storage.delete(name)
        return RegistrationDocument.objects.get(filing_id=filing_id), False
    return document, True
