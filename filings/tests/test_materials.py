import hashlib
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import UserFactory
from filings import kinds
from filings.kinds import KindSpec, MaterialSpec
from filings.materials import (
    material_remove,
    material_upload,
    materials_for_filing,
    safe_display_name,
    sniff_content_type,
)
from filings.models import Filing, Material
from filings.states import State
from filings.tests import samples
from filings.tests.factories import CallFactory
from filings.tests.samples import JPEG, PDF, PNG

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"

STORED_NAME = re.compile(r"^materials/\d+/[0-9a-f]{32}\.(pdf|jpg|png)$")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def kind():
    """The ALLIANCE kind's materials: the real ones once registered, else a stand-in with the same shape."""
    existing = kinds.get("ALLIANCE")
    if existing is not None and {f"M{n}" for n in range(1, 7)} <= {m.code for m in existing.materials}:
        yield existing
        return
    absent = object()
    previous = kinds._registry.get("ALLIANCE", absent)
    spec = kinds.register(
        KindSpec(
            code="ALLIANCE",
            create_detail=lambda f: None,
            detail=lambda f: None,
            title=lambda f: "",
            number_prefix="TEST",
            materials=[
                MaterialSpec("M2", "联盟章程或合作协议", True),
                MaterialSpec("M6", "其他必要的信息资料", False, many=True),
            ],
        )
    )
    yield spec
    if previous is absent:
        del kinds._registry["ALLIANCE"]
    else:
        kinds._registry["ALLIANCE"] = previous


@pytest.fixture
def single(kind):
    """A required material that takes one file (M2, the charter)."""
    return next(m for m in kind.materials if m.required and not m.many)


@pytest.fixture
def optional_many(kind):
    return next(m for m in kind.materials if not m.required and m.many)


@pytest.fixture
def filing(kind, applicant):
    return Filing.objects.create(
        kind="ALLIANCE", call=CallFactory(), organisation=applicant.organisation, created_by=applicant
    )


def upload(name, content):
    # The browser's claimed type is deliberately wrong: only the content may count.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


# --- sniffing and names


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png"), (EXE, None), (ZIP, None), (HTML, None)],
)
def test_sniff_content_type_reads_magic_bytes(content, expected):
    assert sniff_content_type(upload("a.pdf", content)) == expected


def test_sniff_content_type_finds_pdf_header_after_leading_bytes():
    assert sniff_content_type(upload("scan.pdf", b"\x00\r\n junk " + PDF)) == "application/pdf"


def test_sniff_content_type_ignores_pdf_header_beyond_1024_bytes():
    assert sniff_content_type(upload("scan.pdf", b" " * 1024 + PDF)) is None


def test_sniff_content_type_rewinds_the_file():
    fileobj = upload("a.png", PNG)
    fileobj.seek(3)

    sniff_content_type(fileobj)

    assert fileobj.tell() == 3


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("C:\\Users\\张三\\Desktop\\营业执照.jpg", "营业执照.jpg"),
        ("pass\x00wd\x1b\x7f.pdf", "passwd.pdf"),
        ("a\tb\r\nc.pdf", "a b c.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("...hidden.pdf", "hidden.pdf"),
        ("  联盟\t章程   （2024 年）.pdf ", "联盟 章程 （2024 年）.pdf"),
        ('a<b>:c"d|e?f*.png', "a_b__c_d_e_f_.png"),
        ("", "未命名文件"),
        ("../..", "未命名文件"),
        ("\x00\x01", "未命名文件"),
    ],
)
def test_safe_display_name_cleans_the_given_name(given, expected):
    assert safe_display_name(given) == expected


def test_safe_display_name_long_name_keeps_the_extension():
    name = safe_display_name("章" * 300 + ".pdf")

    assert name == "章" * 96 + ".pdf"


# --- the upload service


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PDF, "application/pdf", ".pdf"), (JPEG, "image/jpeg", ".jpg"), (PNG, "image/png", ".png")],
)
def test_material_upload_good_file_is_stored_with_hash(
    filing, single, applicant, tmp_path, content, content_type, extension
):
    material = material_upload(
        filing=filing, code=single.code, uploaded_file=upload("联盟章程 终稿.pdf", content), actor=applicant
    )

    material.refresh_from_db()
    assert material.sha256 == hashlib.sha256(content).hexdigest()
    assert material.size == len(content)
    assert material.content_type == content_type
    assert material.original_name == "联盟章程 终稿.pdf"
    assert material.uploaded_by == applicant
    assert material.is_current is True
    assert STORED_NAME.match(material.file.name)
    assert material.file.name.endswith(extension)
    assert stored_files(tmp_path) == [tmp_path / material.file.name]
    assert (tmp_path / material.file.name).read_bytes() == content


@pytest.mark.parametrize("content", [EXE, ZIP, HTML], ids=["exe", "zip", "html"])
def test_material_upload_disguised_content_is_refused_and_nothing_stored(filing, single, applicant, tmp_path, content):
    with pytest.raises(ValidationError) as raised:
        material_upload(filing=filing, code=single.code, uploaded_file=upload("申请书.pdf", content), actor=applicant)

    assert raised.value.code == "bad_content"
    assert raised.value.messages[0].startswith("文件内容不是 PDF、JPG 或 PNG")
    assert not Material.objects.exists()
    assert stored_files(tmp_path) == []


def test_material_upload_over_the_cap_is_refused_before_storage(filing, single, applicant, tmp_path, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    # Bad content as well: the size is judged first, without reading the file.
    content = EXE + b"\x00" * 2048

    with pytest.raises(ValidationError) as raised:
        material_upload(filing=filing, code=single.code, uploaded_file=upload("大文件.pdf", content), actor=applicant)

    assert raised.value.code == "too_large"
    assert "MB" in raised.value.messages[0]
    assert not Material.objects.exists()
    assert stored_files(tmp_path) == []


def test_material_upload_over_the_cap_message_states_the_limit_in_mb(filing, single, applicant, settings):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024

    with pytest.raises(ValidationError) as raised:
        material_upload(
            filing=filing,
            code=single.code,
            uploaded_file=upload("scan.pdf", PDF + b"\x00" * (2 * 1024 * 1024)),
            actor=applicant,
        )

    assert raised.value.messages == ["文件超过 2 MB 的大小上限，请压缩或分成几个文件后再上传。"]


def test_material_upload_empty_file_is_refused(filing, single, applicant, tmp_path):
    with pytest.raises(ValidationError) as raised:
        material_upload(filing=filing, code=single.code, uploaded_file=upload("空.pdf", b""), actor=applicant)

    assert raised.value.code == "empty"
    assert stored_files(tmp_path) == []


def test_material_upload_unknown_code_is_refused(filing, applicant, tmp_path):
    with pytest.raises(ValidationError) as raised:
        material_upload(filing=filing, code="M99", uploaded_file=upload("a.pdf", PDF), actor=applicant)

    assert raised.value.code == "unknown_material"
    assert stored_files(tmp_path) == []


def test_material_upload_hostile_name_is_sanitised(filing, single, applicant):
    material = material_upload(
        filing=filing, code=single.code, uploaded_file=upload("../../etc/pass\x00wd\x1b.pdf", PDF), actor=applicant
    )

    assert material.original_name == "passwd.pdf"
    assert "passwd" not in material.file.name
    assert ".." not in material.file.name


def test_material_upload_replacing_single_file_keeps_old_row_not_current(filing, single, applicant, tmp_path):
    first = material_upload(filing=filing, code=single.code, uploaded_file=upload("v1.pdf", PDF), actor=applicant)
    second = material_upload(filing=filing, code=single.code, uploaded_file=upload("v2.png", PNG), actor=applicant)

    first.refresh_from_db()
    assert first.is_current is False
    assert second.is_current is True
    assert (tmp_path / first.file.name).read_bytes() == PDF
    assert list(materials_for_filing(filing)) == [second]


def test_material_upload_many_keeps_every_file_current(filing, optional_many, applicant):
    first = material_upload(filing=filing, code=optional_many.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)
    second = material_upload(
        filing=filing, code=optional_many.code, uploaded_file=upload("b.jpg", JPEG), actor=applicant
    )

    assert list(materials_for_filing(filing)) == [first, second]


def test_material_upload_submitted_filing_is_refused(filing, single, applicant, tmp_path):
    filing.state = State.SUBMITTED
    filing.save(update_fields=["state"])

    with pytest.raises(ValidationError) as raised:
        material_upload(filing=filing, code=single.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)

    assert raised.value.code == "not_editable"
    assert not Material.objects.exists()
    assert stored_files(tmp_path) == []


def test_material_upload_returned_filing_is_accepted(filing, single, applicant):
    filing.state = State.RETURNED
    filing.save(update_fields=["state"])

    material = material_upload(filing=filing, code=single.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)

    assert material.is_current is True


# --- removal and the selector


def test_material_remove_hides_the_file_and_keeps_it(filing, optional_many, applicant, tmp_path):
    material = material_upload(
        filing=filing, code=optional_many.code, uploaded_file=upload("a.pdf", PDF), actor=applicant
    )

    material_remove(material=material, actor=applicant)

    material.refresh_from_db()
    assert material.is_current is False
    assert (tmp_path / material.file.name).read_bytes() == PDF
    assert list(materials_for_filing(filing)) == []


def test_material_remove_submitted_filing_is_refused(filing, single, applicant):
    material = material_upload(filing=filing, code=single.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)
    filing.state = State.SUBMITTED
    filing.save(update_fields=["state"])

    with pytest.raises(ValidationError) as raised:
        material_remove(material=material, actor=applicant)

    assert raised.value.code == "not_editable"
    material.refresh_from_db()
    assert material.is_current is True


def test_materials_for_filing_orders_current_files_by_code_then_time(filing, single, optional_many, applicant):
    later = material_upload(filing=filing, code=optional_many.code, uploaded_file=upload("b.pdf", PDF), actor=applicant)
    charter = material_upload(filing=filing, code=single.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)
    other = Filing.objects.create(
        kind="ALLIANCE", call=filing.call, organisation=applicant.organisation, created_by=applicant
    )
    material_upload(filing=other, code=single.code, uploaded_file=upload("c.pdf", PDF), actor=applicant)

    assert list(materials_for_filing(filing)) == sorted([later, charter], key=lambda m: (m.code, m.uploaded_at))


# --- the materials page


def test_materials_page_shows_required_and_optional_labels(applicant_client, filing, kind):
    response = applicant_client.get(reverse("filings:materials", args=[filing.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "申报材料" in page
    assert page.count("必传") == sum(m.required for m in kind.materials)
    assert page.count("选传") == sum(not m.required for m in kind.materials)
    assert [slot["spec"].code for slot in response.context["slots"]] == [m.code for m in kind.materials]
    assert 'enctype="multipart/form-data"' in page
    assert "选择文件" in page
    assert reverse("filings:detail", args=[filing.pk]) in page


def test_materials_page_queries_do_not_grow_with_files(
    applicant_client, filing, single, optional_many, applicant, django_assert_num_queries
):
    for n in range(3):
        material_upload(filing=filing, code=optional_many.code, uploaded_file=upload(f"{n}.pdf", PDF), actor=applicant)
    material_upload(filing=filing, code=single.code, uploaded_file=upload("章程.pdf", PDF), actor=applicant)

    # user, filing with its organisation (the navbar's too), materials (the session comes from the cache)
    with django_assert_num_queries(3):
        response = applicant_client.get(reverse("filings:materials", args=[filing.pk]))

    assert sum(len(slot["files"]) for slot in response.context["slots"]) == 4


def test_materials_page_lists_current_files(applicant_client, filing, single, applicant):
    material = material_upload(
        filing=filing, code=single.code, uploaded_file=upload("联盟章程.pdf", PDF), actor=applicant
    )

    page = applicant_client.get(reverse("filings:materials", args=[filing.pk])).content.decode()

    assert "联盟章程.pdf" in page
    assert material.sha256[:12] in page
    assert reverse("filings:material-download", args=[filing.pk, material.pk]) in page
    assert reverse("filings:material-remove", args=[filing.pk, material.pk]) in page


def test_materials_page_good_upload_redirects_with_message(applicant_client, filing, single):
    url = reverse("filings:materials", args=[filing.pk])

    response = applicant_client.post(url, {"code": single.code, "file": upload("章程.pdf", PDF)}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "已上传“章程.pdf”" in response.content.decode()
    assert [m.original_name for m in materials_for_filing(filing)] == ["章程.pdf"]


def test_materials_page_bad_file_shows_error_at_the_field(applicant_client, filing, single, tmp_path):
    response = applicant_client.post(
        reverse("filings:materials", args=[filing.pk]), {"code": single.code, "file": upload("申请书.pdf", EXE)}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]
    assert "文件内容不是 PDF、JPG 或 PNG" in response.content.decode()
    assert stored_files(tmp_path) == []


def test_materials_page_oversized_file_shows_error_at_the_field(applicant_client, filing, single, settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 1024

    response = applicant_client.post(
        reverse("filings:materials", args=[filing.pk]),
        {"code": single.code, "file": upload("a.pdf", PDF + b" " * 2048)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("文件超过")
    assert stored_files(tmp_path) == []


def test_materials_page_missing_file_shows_error_at_the_field(applicant_client, filing, single):
    response = applicant_client.post(reverse("filings:materials", args=[filing.pk]), {"code": single.code})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["file"]


def test_materials_page_unknown_code_shows_error_at_the_field(applicant_client, filing):
    response = applicant_client.post(
        reverse("filings:materials", args=[filing.pk]), {"code": "M99", "file": upload("a.pdf", PDF)}
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["code"]


def test_materials_page_submitted_filing_offers_only_the_signed_scan(applicant_client, filing, single, applicant):
    material = material_upload(filing=filing, code=single.code, uploaded_file=upload("a.pdf", PDF), actor=applicant)
    filing.state = State.SUBMITTED
    filing.save(update_fields=["state"])

    response = applicant_client.get(reverse("filings:materials", args=[filing.pk]))

    page = response.content.decode()
    assert [code for code, _label in response.context["form"].fields["code"].choices] == ["M1"]
    assert reverse("filings:material-remove", args=[filing.pk, material.pk]) not in page
    assert reverse("filings:material-download", args=[filing.pk, material.pk]) in page


def test_materials_page_post_to_submitted_filing_is_refused_with_message(applicant_client, filing, single, tmp_path):
    filing.state = State.SUBMITTED
    filing.save(update_fields=["state"])
    url = reverse("filings:materials", args=[filing.pk])

    response = applicant_client.post(url, {"code": single.code, "file": upload("a.pdf", PDF)})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert stored_files(tmp_path) == []


def test_materials_page_other_organisation_is_404(client, filing):
    client.force_login(UserFactory())

    assert client.get(reverse("filings:materials", args=[filing.pk])).status_code == 404


def test_materials_page_anonymous_redirects_to_login(client, filing):
    response = client.get(reverse("filings:materials", args=[filing.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- download


@pytest.fixture
def material(filing, single, applicant):
    return material_upload(filing=filing, code=single.code, uploaded_file=upload("申请书.pdf", PDF), actor=applicant)


def download_url(material):
    return reverse("filings:material-download", args=[material.filing_id, material.pk])


def test_material_download_owner_gets_the_bytes_as_attachment(applicant_client, material):
    response = applicant_client.get(download_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("申请书.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_material_download_colleague_of_the_same_organisation_gets_the_file(client, material, applicant):
    client.force_login(UserFactory(organisation=applicant.organisation))

    response = client.get(download_url(material))

    assert response.status_code == 200
    response.close()


def test_material_download_other_organisation_is_404_like_a_missing_one(client, material):
    client.force_login(UserFactory())

    other = client.get(download_url(material))
    missing = client.get(reverse("filings:material-download", args=[material.filing_id, material.pk + 1000]))

    assert (other.status_code, missing.status_code) == (404, 404)
    assert [t.name for t in other.templates] == [t.name for t in missing.templates]


def test_material_download_under_another_filing_is_404(applicant_client, material, applicant):
    other = Filing.objects.create(
        kind="ALLIANCE", call=material.filing.call, organisation=applicant.organisation, created_by=applicant
    )

    response = applicant_client.get(reverse("filings:material-download", args=[other.pk, material.pk]))

    assert response.status_code == 404


def test_material_download_expert_is_404(client, material, expert):
    client.force_login(expert)

    assert client.get(download_url(material)).status_code == 404


def test_material_download_staff_gets_the_file(staff_client, material):
    response = staff_client.get(download_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    response.close()


def test_material_download_anonymous_redirects_to_login(client, material):
    response = client.get(download_url(material))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_material_download_replaced_file_is_still_served_to_staff(staff_client, material, single, applicant):
    # A submitted version may cite the replaced file; reviewers must still reach it.
    material_upload(filing=material.filing, code=single.code, uploaded_file=upload("v2.pdf", PDF), actor=applicant)

    response = staff_client.get(download_url(material))

    assert response.status_code == 200
    response.close()


def test_material_download_file_missing_from_storage_is_404(applicant_client, material, tmp_path):
    (tmp_path / material.file.name).unlink()

    assert applicant_client.get(download_url(material)).status_code == 404


# --- remove through the page


def test_material_remove_view_post_hides_the_file(applicant_client, material):
    url = reverse("filings:material-remove", args=[material.filing_id, material.pk])

    response = applicant_client.post(url, follow=True)

    material.refresh_from_db()
    assert response.redirect_chain == [(reverse("filings:materials", args=[material.filing_id]), 302)]
    assert material.is_current is False
    assert "已删除“申请书.pdf”" in response.content.decode()


def test_material_remove_view_get_is_not_allowed(applicant_client, material):
    response = applicant_client.get(reverse("filings:material-remove", args=[material.filing_id, material.pk]))

    assert response.status_code == 405
    material.refresh_from_db()
    assert material.is_current is True


def test_material_remove_view_other_organisation_is_404(client, material):
    client.force_login(UserFactory())

    response = client.post(reverse("filings:material-remove", args=[material.filing_id, material.pk]))

    assert response.status_code == 404
    material.refresh_from_db()
    assert material.is_current is True


def test_material_remove_view_submitted_filing_shows_message(applicant_client, material):
    Filing.objects.filter(pk=material.filing_id).update(state=State.SUBMITTED)

    response = applicant_client.post(
        reverse("filings:material-remove", args=[material.filing_id, material.pk]), follow=True
    )

    material.refresh_from_db()
    assert material.is_current is True
    assert "不能修改材料" in response.content.decode()


# --- content opened with a real parser (pypdf, Pillow)

HTML_WITH_PDF_COMMENT = b"<!doctype html><!-- %PDF-1.7 --><html><body><script>alert(1)</script></body></html>"
SVG_WITH_PDF_COMMENT = b'<svg xmlns="http://www.w3.org/2000/svg"><!-- %PDF-1.4 --><script>alert(1)</script></svg>'
JPEG_HEADER_THEN_HTML = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML
PNG_HEADER_THEN_ZIP = b"\x89PNG\r\n\x1a\n" + ZIP


def _pdf_with_attachment() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("payload.exe", EXE)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (HTML_WITH_PDF_COMMENT, "bad_content", "文件内容不是 PDF、JPG 或 PNG"),
        (SVG_WITH_PDF_COMMENT, "bad_content", "文件内容不是 PDF、JPG 或 PNG"),
        (JPEG_HEADER_THEN_HTML, "bad_content", "文件内容不是 PDF、JPG 或 PNG"),
        (PNG_HEADER_THEN_ZIP, "bad_content", "文件内容不是 PDF、JPG 或 PNG"),
        (PNG + ZIP, "bad_content", "文件内容不是 PDF、JPG 或 PNG"),
        (samples.pdf_bytes(javascript="app.alert(1)"), "active_content", "PDF 文件含有脚本、附件或自动执行的动作"),
        (_pdf_with_attachment(), "active_content", "PDF 文件含有脚本、附件或自动执行的动作"),
        (samples.pdf_bytes(password="secret"), "encrypted", "PDF 文件已加密或设有密码"),
    ],
    ids=[
        "html-pdf-comment",
        "svg-pdf-comment",
        "jpeg-header-html",
        "png-header-zip",
        "png-then-zip",
        "pdf-js",
        "pdf-attachment",
        "pdf-encrypted",
    ],
)
def test_material_upload_disguised_or_active_content_is_refused_before_storage(
    filing, single, applicant, tmp_path, content, code, message
):
    with pytest.raises(ValidationError) as refused:
        material_upload(filing=filing, code=single.code, uploaded_file=upload("申请书.pdf", content), actor=applicant)

    assert refused.value.code == code
    assert message in refused.value.messages[0]
    assert stored_files(tmp_path) == []
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("报告.html", PDF, "报告.pdf"),
        ("setup.exe", PNG, "setup.png"),
        ("扫描件", JPEG, "扫描件.jpg"),
        ("图.svg", PNG, "图.png"),
    ],
)
def test_material_download_name_carries_the_extension_of_the_checked_type(
    applicant_client, filing, single, applicant, name, content, expected
):
    material = material_upload(filing=filing, code=single.code, uploaded_file=upload(name, content), actor=applicant)

    response = applicant_client.get(download_url(material))

    assert response["Content-Disposition"] in {
        f'attachment; filename="{expected}"',
        "attachment; filename*=utf-8''" + quote(expected),
    }
    response.close()
