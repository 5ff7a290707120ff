"""PAdES signatures (pyHanko): the bureau signs the documents it issues, and anyone's signed
PDF can be checked (intact or altered, who signed, when, trusted or not).

The signing key and certificate come from a PKCS#12 file (SIGNING_PKCS12, its passphrase in
SIGNING_PASSPHRASE); signatures are trusted when their certificate chains to one of the PEM
files in SIGNING_TRUST_ROOTS. `signing_demo_create` makes a test CA and a bureau certificate
for the demo; their names say "演示", and so does the visible signature box.

What a signature proves: the file is byte for byte what the key holder signed, and who holds
the certificate according to its issuer. A PAdES signature with a bureau certificate is not a
national-CA electronic seal (电子印章); SM2 seals need a CA's own toolkit.
"""

import asyncio
import concurrent.futures
import datetime
import functools
import hashlib
import io
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

FIELD_NAME = "BureauSignature"
DEMO_MARK = "演示"
# The visible box, in PDF points from the lower left of the last A4 page: right, under the
# issuer and date where a seal goes, above the verification footer.
SIGNATURE_BOX = (290, 230, 538, 310)


class SignatureError(Exception):
    pass


# --- The bureau's key and certificate ---------------------------------------------------------


def signing_configured() -> bool:
    path = settings.SIGNING_PKCS12
    return bool(path) and Path(path).is_file()


@functools.cache
def _signer(path: str, passphrase: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise SignatureError(f"cannot read the signing key from {path} (wrong passphrase?)")
    return signer


def bureau_signer():
    return _signer(str(settings.SIGNING_PKCS12), settings.SIGNING_PASSPHRASE)


@functools.cache
def _trust_roots(paths: tuple[str, ...]) -> list:
    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots += [asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


def trust_roots() -> list:
    return _trust_roots(tuple(str(p) for p in settings.SIGNING_TRUST_ROOTS if Path(p).is_file()))


@functools.cache
def _stamp_font(source: str, cache: str) -> str:
    """pyHanko embeds OpenType fonts, not collections: the Simplified Chinese face, extracted once."""
    target = Path(cache)
    if not target.is_file():
        from fontTools.ttLib import TTCollection, TTFont

        if source.lower().endswith((".ttc", ".otc")):
            faces = TTCollection(source).fonts
            font = next((f for f in faces if " SC" in (f["name"].getDebugName(4) or "")), faces[0])
        else:
            font = TTFont(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        font.save(partial)
        partial.replace(target)
    return str(target)


def stamp_font() -> str:
    return _stamp_font(str(settings.SIGNING_STAMP_FONT), str(Path(settings.SIGNING_DIR) / "stamp-font.otf"))


def _subject_text(name: asn1_x509.Name, field: str) -> str:
    value = name.native.get(field, "")
    return ", ".join(value) if isinstance(value, list) else str(value)


def _outside_any_event_loop(function):
    """pyHanko's synchronous calls run their own asyncio loop, which cannot start inside a running
    one (a process that also drives an asynchronous client, e.g. a browser in the tests, or an
    ASGI server): there, the call runs in a thread of its own."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return function(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(function, *args, **kwargs).result()

    return run


@_outside_any_event_loop
def sign_pdf(data: bytes, *, reason: str) -> bytes:
    """`data` with the bureau's PAdES signature appended, shown in a box on the last page."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = bureau_signer()
    subject = signer.signing_cert.subject
    lines = [_("数字签名：%(name)s") % {"name": _subject_text(subject, "common_name")}, _("时间：%(ts)s")]
    if DEMO_MARK in _subject_text(subject, "organizational_unit_name"):
        lines.append(_("演示用测试证书签名，不具法律效力"))
    style = TextStampStyle(
        stamp_text="\n".join(lines),
        text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(stamp_font(), font_size=8)),
        border_width=1,
        timestamp_format="%Y-%m-%d %H:%M:%S %Z",
    )
    last_page = len(PdfFileReader(io.BytesIO(data)).root["/Pages"]["/Kids"]) - 1
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=_("上海"),
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=last_page, box=SIGNATURE_BOX),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), output=out)
    return out.getvalue()


def bureau_document_sign(*, version, rendered):
    """The document as issued: signed by the bureau when it is the bureau's (a kind's
    certificate issued on registration), as rendered otherwise (the applicant's 申请书)."""
    from filings import kinds

    spec = kinds.get(version.filing.kind)
    if spec is None or not spec.document_on_registration or not version.filing.registry_number:
        return rendered
    if not signing_configured():
        log.warning("signing: no key configured (SIGNING_PKCS12); version %s issued unsigned", version.pk)
        return rendered
    signed = sign_pdf(
        rendered.data, reason=_("上海市知识产权局出具：%(number)s") % {"number": version.filing.registry_number}
    )
    return replace(rendered, data=signed)


def bureau_pdf_sign(*, rendered, reason: str):
    """A document the bureau issues (备案证明, 立项通知, 通报) as issued: signed with the bureau's key,
    or as rendered, with a warning in the log, where no key is configured."""
    if not signing_configured():
        log.warning("signing: no key configured (SIGNING_PKCS12); %s issued unsigned", reason)
        return rendered
    return replace(rendered, data=sign_pdf(rendered.data, reason=reason))


def registration_document_sign(*, filing, rendered):
    """A kind's 备案证明 / 立项通知 (filings.pdf.registration_document_issue) as issued."""
    return bureau_pdf_sign(
        rendered=rendered, reason=_("上海市知识产权局出具：%(number)s") % {"number": filing.registry_number}
    )


# --- Checking signatures ----------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of a PDF as a reader needs it."""

    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptography holds (intact and the signature verifies)
    trusted: bool  # the certificate chains to a configured trust root
    covers_whole_file: bool  # nothing was added or changed after signing
    signer: str  # the certificate's subject, as people read it
    signer_name: str  # its common name
    issuer: str
    serial: str
    signed_at: datetime.datetime | None
    revision_end: int  # the length of the file as it was signed

    @property
    def sound(self) -> bool:
        return self.intact and self.valid and self.covers_whole_file


@_outside_any_event_loop
def signatures_of(data: bytes) -> list[SignatureCheck]:
    """Every signature in a PDF, checked; [] for a PDF without any. Raises SignatureError for
    a file that is not a readable PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as error:
        raise SignatureError(str(error)) from error
    checks = []
    for signature in embedded:
        context = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
        try:
            status = validate_pdf_signature(signature, context)
        except Exception as error:  # a broken or hostile signature dictionary: not a valid signature
            log.info("signature could not be validated: %s", error)
            checks.append(SignatureCheck(False, False, False, False, "", "", "", "", None, _signed_length(signature)))
            continue
        cert = status.signing_cert
        checks.append(
            SignatureCheck(
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                signer=cert.subject.human_friendly,
                signer_name=str(cert.subject.native.get("common_name", "")),
                issuer=cert.issuer.human_friendly,
                serial=format(cert.serial_number, "X"),
                signed_at=status.signer_reported_dt,
                revision_end=_signed_length(signature),
            )
        )
    return checks


def _signed_length(signature) -> int:
    try:
        _start, _length, offset_2, length_2 = signature.byte_range
        return offset_2 + length_2
    except (TypeError, ValueError):
        return 0


# --- The applicant's digitally signed 申请书 (M1) --------------------------------------------


def signed_version_number(*, filing, data: bytes) -> int | None:
    """The version whose 申请书 PDF the file is, as it was before being signed: signing adds an
    incremental update, so the issued bytes stay the file's beginning, unchanged."""
    from filings.models import VersionDocument

    for document in VersionDocument.objects.filter(version__filing=filing).select_related("version"):
        if len(data) > document.size and hashlib.sha256(data[: document.size]).hexdigest() == document.sha256:
            return document.version.number
    return None


def signed_application_check(*, filing, uploaded_file) -> list[SignatureCheck]:
    """[] for a PDF without signatures (a scan of the sealed paper). A signed PDF is accepted
    only if every signature is intact and covers the whole file, and the file is the 申请书 of
    the filing's current version; otherwise a ValidationError says why."""
    position = uploaded_file.tell()
    uploaded_file.seek(0)
    data = uploaded_file.read()
    uploaded_file.seek(position)
    try:
        checks = signatures_of(data)
    except SignatureError:
        # Not a PDF pyHanko can read, so no signature to check: judged like any other upload.
        return []
    if not checks:
        return []
    if not all(check.sound for check in checks):
        raise ValidationError(
            _(
                "文件中的数字签名无效：文件在签名后被改动，或签名已损坏，不能作为签章的申请书。"
                "请对平台生成的申请书PDF重新签名后上传，或上传签字盖章后的扫描件。"
            ),
            code="signature_invalid",
        )
    number = signed_version_number(filing=filing, data=data)
    if number is None:
        raise ValidationError(
            _(
                "签名的文件不是本申报的申请书PDF（内容不一致）。请下载第 %(current)s 版申请书PDF，"
                "不作任何修改，用数字证书签名后上传。"
            )
            % {"current": filing.version},
            code="signature_other_document",
        )
    if number != filing.version:
        raise ValidationError(
            _(
                "签名的是第 %(signed)s 版申请书，不是当前提交的第 %(current)s 版。请对第 %(current)s 版申请书签名后上传。"
            )
            % {"signed": number, "current": filing.version},
            code="signature_other_version",
        )
    return checks


# --- The demo's test CA ----------------------------------------------------------------------


def _name(**parts: str) -> x509.Name:
    oids = {"C": NameOID.COUNTRY_NAME, "O": NameOID.ORGANIZATION_NAME}
    oids |= {"OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    return x509.Name([x509.NameAttribute(oids[key], value) for key, value in parts.items()])


def signing_demo_create(directory: Path, passphrase: str, *, holder: str = "上海市知识产权局") -> tuple[Path, Path]:
    """A test CA and a bureau certificate issued by it, for the demo: (PKCS#12, CA PEM).

    Both say "演示" in their names; the bureau's sits in the visible signature box.
    """
    directory.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(C="CN", O="演示测试CA", CN="备案申报平台演示用测试根证书")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(C="CN", O=holder, OU="演示用测试证书", CN=f"{holder}（演示）"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    p12 = directory / "demo-bureau.p12"
    ca_pem = directory / "demo-ca.pem"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"bureau", key, cert, [ca], encryption))
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    _signer.cache_clear()
    _trust_roots.cache_clear()
    return p12, ca_pem


def _key_usage(**allowed: bool) -> x509.KeyUsage:
    names = ["digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement"]
    names += ["key_cert_sign", "crl_sign", "encipher_only", "decipher_only"]
    return x509.KeyUsage(**{name: allowed.get(name, False) for name in names})
