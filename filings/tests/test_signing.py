"""PAdES signatures: the bureau's 备案证明 is signed on registration and verifies; a changed
byte breaks it; the applicant's 申请书 is not the bureau's to sign; the verification page
reports intact, altered and untrusted signatures."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import StaffFactory
from filings import kinds, services, signing
from filings.models import VersionDocument
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.product_factories import complete_product_filing
from review.audit.services import audit_record

pytestmark = pytest.mark.django_db

PASSPHRASE = "test-passphrase"


@pytest.fixture(scope="session")
def demo_ca(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signing")
    p12, ca = signing.signing_demo_create(folder, PASSPHRASE)
    return folder, p12, ca


@pytest.fixture
def bureau_key(settings, demo_ca):
    folder, p12, ca = demo_ca
    settings.SIGNING_DIR = folder
    settings.SIGNING_PKCS12 = str(p12)
    settings.SIGNING_PASSPHRASE = PASSPHRASE
    settings.SIGNING_TRUST_ROOTS = [str(ca)]
    return p12


def registered_product_document(capture) -> VersionDocument:
    filing = complete_product_filing()
    with capture(execute=True):
        version = services.filing_submit(filing=filing, actor=filing.created_by)
    checklist = {key: True for key, _label in kinds.get("PRODUCT").audit_checklist}
    with capture(execute=True):
        audit_record(filing=filing, actor=StaffFactory(), outcome="pass", checklist=checklist)
    return VersionDocument.objects.get(version=version)


def test_the_registered_products_certificate_is_signed_by_the_bureau(bureau_key, django_capture_on_commit_callbacks):
    document = registered_product_document(django_capture_on_commit_callbacks)
    data = document.file.open("rb").read()

    [check] = signing.signatures_of(data)

    assert (check.intact, check.valid, check.trusted, check.covers_whole_file) == (True, True, True, True)
    assert check.signer_name == "上海市知识产权局（演示）"
    assert "演示用测试证书" in check.signer
    # The hash the verification page shows is the signed file's.
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    # A visible signature box on the (last) page, in the seal area.
    reader = PdfReader(io.BytesIO(data))
    [widget] = [a.get_object() for a in reader.pages[-1]["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    assert widget["/T"] == signing.FIELD_NAME
    assert [round(float(v)) for v in widget["/Rect"]] == list(signing.SIGNATURE_BOX)


def test_a_changed_byte_in_a_signed_certificate_breaks_its_signature(bureau_key, django_capture_on_commit_callbacks):
    data = registered_product_document(django_capture_on_commit_callbacks).file.open("rb").read()
    # The page text is compressed; the document information dictionary is plain to change.
    tampered = data.replace(b"/Producer", b"/Producex", 1)
    assert tampered != data

    [check] = signing.signatures_of(tampered)

    assert (check.intact, check.sound) == (False, False)


def test_the_applicants_application_is_not_signed_by_the_bureau(bureau_key, django_capture_on_commit_callbacks):
    filing = complete_alliance_filing()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.filing_submit(filing=filing, actor=filing.created_by)

    document = VersionDocument.objects.get(version=version)

    assert signing.signatures_of(document.file.open("rb").read()) == []


def test_without_a_configured_key_the_certificate_is_issued_unsigned(settings, django_capture_on_commit_callbacks):
    settings.SIGNING_PKCS12 = ""

    document = registered_product_document(django_capture_on_commit_callbacks)

    assert signing.signatures_of(document.file.open("rb").read()) == []


def test_a_signature_from_an_unknown_ca_is_intact_but_not_trusted(bureau_key, settings, tmp_path):
    data = signing.sign_pdf(_blank_pdf(), reason="测试")
    _other_p12, other_ca = signing.signing_demo_create(tmp_path, "x")
    settings.SIGNING_TRUST_ROOTS = [str(other_ca)]

    [check] = signing.signatures_of(data)

    assert (check.sound, check.trusted) == (True, False)


def test_signing_demo_makes_the_test_ca_once(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path
    settings.SIGNING_PASSPHRASE = "demo-only"

    call_command("signing_demo", stdout=io.StringIO())
    first = (tmp_path / "demo-bureau.p12").read_bytes()
    call_command("signing_demo", stdout=io.StringIO())

    assert (tmp_path / "demo-bureau.p12").read_bytes() == first
    assert Path(tmp_path / "demo-ca.pem").read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


# --- the public verification page


def _blank_pdf() -> bytes:
    from filings.pdf import html_to_pdf

    return html_to_pdf('<html lang="zh-CN"><body><p>专利产品备案证明</p></body></html>').data


def _upload(client, document, data: bytes) -> str:
    url = reverse("public:verify", args=[document.version.verification_code])
    response = client.post(url, {"file": SimpleUploadedFile("证明.pdf", data, "application/pdf")})
    assert response.status_code == 200
    return response.content.decode()


def test_verification_page_confirms_a_signed_certificate(bureau_key, client, django_capture_on_commit_callbacks):
    document = registered_product_document(django_capture_on_commit_callbacks)

    page = _upload(client, document, document.file.open("rb").read())

    assert "一致：该文件与平台出具的申请书PDF完全相同。" in page
    assert "签名完好：文件自签名以来未被改动。" in page
    assert "上海市知识产权局（演示）" in page
    assert "可信：证书链至本平台配置的信任根。" in page


def test_verification_page_refuses_a_tampered_certificate(bureau_key, client, django_capture_on_commit_callbacks):
    document = registered_product_document(django_capture_on_commit_callbacks)
    data = document.file.open("rb").read().replace(b"/Producer", b"/Producex", 1)

    page = _upload(client, document, data)

    assert "不一致" in page
    assert "签名无效：文件在签名后已被改动，或签名已损坏。" in page
    assert "签名完好" not in page


def test_verification_page_says_when_a_pdf_has_no_signature(client, django_capture_on_commit_callbacks):
    filing = complete_alliance_filing()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.filing_submit(filing=filing, actor=filing.created_by)

    page = _upload(client, version.document, b"%PDF-1.4 not really a pdf")

    assert "该文件已损坏或不是有效的 PDF，无法检查数字签名。" in page


# --- the applicant's digitally signed 申请书 as M1


@pytest.fixture(scope="session")
def applicant_key(tmp_path_factory):
    p12, _ca = signing.signing_demo_create(tmp_path_factory.mktemp("applicant"), "a", holder="上海测试科技有限公司")
    return p12


def applicant_signs(data: bytes, p12) -> bytes:
    """What the applicant's own signing tool does: a PAdES signature added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"a")
    meta = signers.PdfSignatureMetadata(field_name="Applicant", subfilter=fields.SigSeedSubFilter.PADES)
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data), strict=False), meta, signer=signer, output=out)
    return out.getvalue()


def filing_with_two_versions():
    """A submitted filing with the 申请书 PDF of each of its two versions."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from filings.pdf import html_to_pdf
    from review.tests.desk import queued

    filing = queued(versions=2)
    documents = {}
    for version in filing.versions.all():
        rendered = html_to_pdf(f'<html lang="zh-CN"><body><p>申请书 第{version.number}版</p></body></html>')
        name = default_storage.save(f"documents/{version.pk}.pdf", ContentFile(rendered.data))
        documents[version.number] = rendered.data
        VersionDocument.objects.create(
            version=version, file=name, sha256=rendered.sha256, size=len(rendered.data), pages=1
        )
    return filing, documents


def upload_m1(filing, data: bytes):
    from filings.materials import material_upload

    return material_upload(
        filing=filing,
        code="M1",
        uploaded_file=SimpleUploadedFile("申请书-签名.pdf", data, "application/pdf"),
        actor=filing.created_by,
    )


def test_a_digitally_signed_application_of_the_current_version_is_accepted_as_m1(applicant_key, client):
    filing, documents = filing_with_two_versions()

    material = upload_m1(filing, applicant_signs(documents[2], applicant_key))

    assert (material.code, material.is_current) == ("M1", True)
    client.force_login(StaffFactory())
    page = client.get(reverse("review:material-signature", args=[filing.pk, material.pk])).content.decode()
    assert "平台生成的第 2 版申请书PDF，未经改动" in page
    assert "签名完好：文件自签名以来未被改动。" in page
    assert "上海测试科技有限公司（演示）" in page
    filing_page = client.get(reverse("review:filing", args=[filing.pk])).content.decode()
    assert reverse("review:material-signature", args=[filing.pk, material.pk]) in filing_page


def test_a_signature_over_another_version_is_refused_as_m1(applicant_key):
    from django.core.exceptions import ValidationError

    from filings.models import Material

    filing, documents = filing_with_two_versions()

    with pytest.raises(ValidationError) as refused:
        upload_m1(filing, applicant_signs(documents[1], applicant_key))

    assert refused.value.messages == ["签名的是第 1 版申请书，不是当前提交的第 2 版。请对第 2 版申请书签名后上传。"]
    assert not Material.objects.filter(filing=filing).exists()


def test_a_signed_file_changed_after_signing_or_another_document_is_refused(applicant_key):
    from django.core.exceptions import ValidationError

    filing, documents = filing_with_two_versions()
    changed = applicant_signs(documents[2], applicant_key).replace(b"/Producer", b"/Producex", 1)
    other = applicant_signs(_blank_pdf(), applicant_key)

    with pytest.raises(ValidationError) as broken:
        upload_m1(filing, changed)
    with pytest.raises(ValidationError) as unrelated:
        upload_m1(filing, other)

    assert broken.value.code == "signature_invalid"
    assert "数字签名无效" in broken.value.messages[0]
    assert unrelated.value.code == "signature_other_document"


def test_an_unsigned_scan_is_still_accepted_as_m1():
    filing, documents = filing_with_two_versions()

    assert upload_m1(filing, documents[1]).code == "M1"
