"""The A4 申请书 PDF (SPEC §5): rendered once per version off the request path, verifiable in public."""

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import UserFactory
from filings import checks, outbox, pdf, services, tasks
from filings.kinds.alliance.models import AllianceDetail
from filings.models import OutboxMessage, VersionDocument
from filings.tests.alliance_factories import complete_alliance_filing

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NOT_FOUND = "验证码无效：未找到对应的申请书"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(filing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.filing_submit(filing=filing, actor=filing.created_by)
    version.refresh_from_db()
    return version


@pytest.fixture
def version(django_capture_on_commit_callbacks):
    return submit(complete_alliance_filing(), django_capture_on_commit_callbacks)


def pdf_text(data: bytes) -> str:
    """All text of a PDF with white space removed (extraction spaces CJK unpredictably)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            # "/ABCDEF+Noto-Serif-CJK-SC": drop the subset tag.
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def stored_bytes(document: VersionDocument) -> bytes:
    with document.file.open("rb") as stream:
        return stream.read()


def test_submission_renders_the_version_document(version):
    document = VersionDocument.objects.get(version=version)
    data = stored_bytes(document)
    filing = version.filing

    assert document.file.name == f"documents/{filing.pk}/{filing.number}-v1.pdf"
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.pages == len(PdfReader(io.BytesIO(data)).pages)
    assert document.render_seconds > 0
    text = pdf_text(data)
    for expected in (
        "上海车规芯片产业知识产权联盟",
        "上海晶圆制造有限公司",
        "上海某大学",
        "上海某银行",
        filing.number,
        "第1版",
        version.verification_code,
        "上海市产业知识产权联盟备案申请书",
        "四、申请书各栏目不得空缺，无内容时填“无”。",
        "本单位保证所提供资料的真实有效，并承担因虚报材料可能引起的一切后果。",
    ):
        assert expected in text


def test_the_document_is_a4_and_numbers_its_pages(version):
    data = stored_bytes(version.document)
    reader = PdfReader(io.BytesIO(data))

    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=1)
    assert f"第2页共{len(reader.pages)}页" in re.sub(r"\s+", "", reader.pages[1].extract_text())


def test_the_document_prints_the_frozen_version_not_the_live_draft(version):
    AllianceDetail.objects.filter(pk=version.filing_id).update(name="改名后的联盟")

    text = pdf_text(pdf.render_version_pdf(version))

    assert "上海车规芯片产业知识产权联盟" in text
    assert "改名后的联盟" not in text


def test_the_qr_code_points_at_the_public_verification_page(version, settings):
    settings.PORTAL_BASE_URL = "https://ip.example.gov.cn/"

    context = pdf.version_context(version)

    expected = f"https://ip.example.gov.cn/public/verify/{version.verification_code}/"
    assert context["verification_url"] == expected
    assert context["qr_data_uri"].startswith("data:image/svg+xml")
    assert expected in pdf_text(pdf.render_version_pdf(version))


def test_rendering_again_renders_nothing_new(version, monkeypatch):
    document = VersionDocument.objects.get(version=version)
    path = Path(document.file.path)
    written = path.stat().st_mtime_ns

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered a version that already has its document")

    monkeypatch.setattr(pdf, "render_version", must_not_render)
    result = tasks.render_version_document.apply(kwargs={"version_id": version.pk}).get()

    assert result == {"document_id": document.pk, "rendered": False, "sha256": document.sha256}
    assert list(VersionDocument.objects.filter(version=version).values_list("pk", "sha256")) == [
        (document.pk, document.sha256)
    ]
    assert path.stat().st_mtime_ns == written


def test_a_worker_that_loses_the_race_deletes_its_file(version, monkeypatch, tmp_path):
    winner = VersionDocument.objects.get(version=version)
    winner_bytes = stored_bytes(winner)
    render = pdf.render_version
    # The other worker's row is not there yet when this one looks, and is there when it saves.
    saved = VersionDocument.objects.filter(pk=winner.pk).values().get()
    winner.delete()

    def render_while_another_worker_finishes(version, **kwargs):
        data = render(version, **kwargs)
        VersionDocument.objects.create(**saved)
        return data

    monkeypatch.setattr(pdf, "render_version", render_while_another_worker_finishes)
    document, rendered = pdf.version_document_issue(version_id=version.pk)

    assert (document.pk, rendered) == (saved["id"], False)
    assert [p.name for p in (tmp_path / "documents" / str(version.filing_id)).iterdir()] == [Path(saved["file"]).name]
    assert stored_bytes(document) == winner_bytes


def test_a_rare_character_is_printed_from_a_fallback_font(django_capture_on_commit_callbacks):
    # 䶮 (Ext. A) and 𠀾 (Ext. B) are in Noto Serif CJK; 鿭 (U+9FED) is only in Noto Sans CJK.
    rare = submit(complete_alliance_filing(name="上海䶮𠀾鿭产业知识产权联盟"), django_capture_on_commit_callbacks)
    plain = submit(complete_alliance_filing(), django_capture_on_commit_callbacks)

    rare_pdf, plain_pdf = stored_bytes(rare.document), stored_bytes(plain.document)

    assert "上海䶮𠀾鿭产业知识产权联盟" in pdf_text(rare_pdf)
    assert "Noto-Sans-CJK-SC" in embedded_fonts(rare_pdf)
    assert "Noto-Sans-CJK-SC" not in embedded_fonts(plain_pdf)
    assert "Noto-Serif-CJK-SC" in embedded_fonts(plain_pdf)


def test_cjk_fonts_are_embedded_packed(version):
    reader = PdfReader(io.BytesIO(stored_bytes(version.document)))
    programs = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if "/FontFile3" in descriptor:
                stream = descriptor["/FontFile3"].get_object()
                programs[str(font.get_object()["/BaseFont"])] = (stream["/Subtype"], len(stream.get_data()))

    assert programs
    for subtype, size in programs.values():
        # A bare CID-keyed CFF of the used glyphs, not a 65,000-glyph shell.
        assert subtype == "/CIDFontType0C"
        assert size < 150_000


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")
def test_packed_fonts_draw_the_same_glyphs(monkeypatch, tmp_path):
    html = (
        '<html lang="zh-CN"><body><h2>申请单位意见</h2>'
        "<p>上海市产业知识产权联盟备案申请书：䶮𠀾鿭，本单位保证所提供资料的真实有效。ABC 123 ☑</p></body></html>"
    )
    packed = pdf.html_to_pdf(html).data
    monkeypatch.setattr(pdf, "compact_cid_fonts", lambda document, pdf: None)
    as_weasyprint_embeds = pdf.html_to_pdf(html).data

    def raster(data: bytes, name: str) -> bytes:
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "72", "-gray", "-singlefile", tmp_path / f"{name}.pdf", tmp_path / name], check=True
        )
        return (tmp_path / f"{name}.pgm").read_bytes()

    assert len(packed) < len(as_weasyprint_embeds) / 3
    assert raster(packed, "packed") == raster(as_weasyprint_embeds, "reference")


# --- the applicant's and staff's endpoints


def test_status_says_ready_and_the_download_is_the_recorded_pdf(version, client):
    document = version.document
    client.force_login(version.filing.created_by)

    status = client.get(reverse("filings:document-status", args=[version.filing_id, 1]))
    download = client.get(reverse("filings:document", args=[version.filing_id, 1]))

    assert status.status_code == 200
    assert status.json() == {
        "state": "ready",
        "url": reverse("filings:document", args=[version.filing_id, 1]),
        "sha256": document.sha256,
        "pages": document.pages,
        "size": document.size,
    }
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == document.sha256
    name = f"{version.filing.number}-第1版-申请书.pdf"
    assert download["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"


def test_status_is_pending_until_the_document_exists(client):
    filing = complete_alliance_filing()
    # Submitted, but the queued render has not run (the worker is busy).
    version = services.filing_submit(filing=filing, actor=filing.created_by)
    client.force_login(filing.created_by)

    status = client.get(reverse("filings:document-status", args=[filing.pk, version.number]))
    download = client.get(reverse("filings:document", args=[filing.pk, version.number]))

    assert status.json() == {"state": "queued", "message": "申请书PDF排队等待生成…"}
    assert download.status_code == 404


def test_bureau_staff_may_download(version, staff_client):
    response = staff_client.get(reverse("filings:document", args=[version.filing_id, 1]))

    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == version.document.sha256


@pytest.mark.parametrize("name", ["filings:document", "filings:document-status"])
def test_another_organisation_gets_404(version, client, name):
    client.force_login(UserFactory())

    assert client.get(reverse(name, args=[version.filing_id, 1])).status_code == 404


@pytest.mark.parametrize("name", ["filings:document", "filings:document-status"])
def test_an_expert_gets_404(version, client, expert, name):
    client.force_login(expert)

    assert client.get(reverse(name, args=[version.filing_id, 1])).status_code == 404


@pytest.mark.parametrize("name", ["filings:document", "filings:document-status"])
def test_an_anonymous_visitor_is_sent_to_login(version, client, name):
    response = client.get(reverse(name, args=[version.filing_id, 1]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_unknown_version_is_404(version, client):
    client.force_login(version.filing.created_by)

    assert client.get(reverse("filings:document-status", args=[version.filing_id, 2])).status_code == 404


def test_the_documents_list_shows_link_or_pending_element(version):
    filing = version.filing
    other = complete_alliance_filing()
    # Submitted, but the queued render has not run.
    pending = services.filing_submit(filing=other, actor=other.created_by)

    ready_html = render_to_string(
        "filings/_documents.html",
        {"filing": filing, "versions": filing.versions.select_related("document").order_by("-number")},
    )
    pending_html = render_to_string(
        "filings/_documents.html",
        {"filing": pending.filing, "versions": pending.filing.versions.select_related("document")},
    )

    assert reverse("filings:document", args=[filing.pk, 1]) in ready_html
    assert version.document.sha256 in ready_html
    assert "data-document-status-url" not in ready_html
    status_url = reverse("filings:document-status", args=[pending.filing_id, 1])
    assert f'data-document-status-url="{status_url}"' in pending_html
    assert "正在生成申请书PDF…" in pending_html


# --- the public verification page


def test_verification_shows_the_filing_and_the_recorded_hash(version, client):
    response = client.get(reverse("public:verify", args=[version.verification_code]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "上海车规芯片产业知识产权联盟" in content
    assert version.filing.number in content
    assert version.document.sha256 in content
    assert "sha256sum" in content
    # No personal data: contact names, phones, e-mail addresses.
    for private in ("李联系", "张理事", "陈秘书", "13800138000", "021-23170417", "lianxi@example.com"):
        assert private not in content


def test_verification_forgives_case_and_separators(version, client):
    code = version.verification_code.lower()
    response = client.get(reverse("public:verify", args=[f"{code[:4]}-{code[4:]}"]))

    assert response.status_code == 200


@pytest.mark.parametrize("code", ["ZZZZZZZZZZZZZZZZ", "abc!", "0" * 16])
def test_an_unknown_code_is_a_plain_404(client, code):
    response = client.get(reverse("public:verify", args=[code]))

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


def test_the_form_sends_the_typed_code_to_its_page(client):
    response = client.get(reverse("public:verify-form"), {"code": " abcd efgh "})

    assert response.status_code == 302
    assert response["Location"] == reverse("public:verify", args=["ABCDEFGH"])


@pytest.mark.parametrize("tampered", [False, True])
def test_an_uploaded_pdf_is_compared_with_the_issued_one(version, client, tampered):
    data = stored_bytes(version.document)
    if tampered:
        data = data.replace(b"%%EOF", b"%%EOF\n% changed")

    response = client.post(
        reverse("public:verify", args=[version.verification_code]),
        {"file": SimpleUploadedFile("scan.pdf", data, content_type="application/pdf")},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert ("一致：该文件与平台出具的申请书PDF完全相同" in content) is not tampered
    assert ("不一致" in content) is tampered


# --- the machine: system checks and the network


def test_the_pdf_checks_pass_here():
    assert [message for message in checks.pdf_rendering_check(None) if message.is_serious()] == []


def test_a_missing_subsetter_is_an_error_in_production(monkeypatch, settings):
    from weasyprint.text import ffi

    settings.PRODUCTION = True
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)

    errors = [message for message in checks.pdf_rendering_check(None) if message.is_serious()]

    assert [error.id for error in errors] == ["filings.E001"]
    assert "libharfbuzz-subset0" in errors[0].hint


def test_a_missing_subsetter_only_warns_in_development(monkeypatch, settings):
    from weasyprint.text import ffi

    settings.PRODUCTION = False
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)

    messages = checks.pdf_rendering_check(None)

    assert [(m.id, m.is_serious()) for m in messages] == [("filings.W002", False)]
    assert "libharfbuzz-subset0" in messages[0].hint


def test_an_old_harfbuzz_is_an_error_in_production(monkeypatch, settings):
    from weasyprint.text import ffi

    settings.PRODUCTION = True
    class OldHarfBuzz:
        @staticmethod
        def hb_version_atleast(major, minor, micro):
            return (major, minor, micro) <= (4, 0, 0)

    monkeypatch.setattr(ffi, "harfbuzz", OldHarfBuzz)

    assert [m.id for m in checks.pdf_rendering_check(None)] == ["filings.E001"]


def test_no_chinese_serif_font_is_a_warning(monkeypatch):
    def fc_list(*args, **kwargs):
        return subprocess.CompletedProcess(args, 0, stdout="Noto Sans CJK SC,Noto Sans CJK\nNoto Sans Mono CJK SC\n")

    monkeypatch.setattr(checks.subprocess, "run", fc_list)

    assert [m.id for m in checks.pdf_rendering_check(None)] == ["filings.W001"]


def test_a_missing_fc_list_is_no_crash(monkeypatch):
    def no_fc_list(*args, **kwargs):
        raise FileNotFoundError("fc-list")

    monkeypatch.setattr(checks.subprocess, "run", no_fc_list)

    assert checks.pdf_rendering_check(None) == []


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/x.png", "https://example.com/x.css", "file:///etc/passwd", "ftp://example.com/x"]
)
def test_the_renderer_fetches_nothing_outside_the_project(url):
    with pytest.raises(ValueError, match="refused"):
        pdf.LocalOnlyFetcher(pdf.project_root()).fetch(url)


def test_the_renderer_reads_data_uris_and_project_files():
    fetcher = pdf.LocalOnlyFetcher(pdf.project_root())

    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert b"@page" in fetcher.fetch((pdf.project_root() / "templates/pdf/base.css").as_uri()).read()


# --- the outbox and the broker


def _reset_broker_connections(app) -> None:
    # The app caches its connection and producer pools for the URL it first used;
    # dropping them makes the next publish use the current broker_url.
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_outage_at_submission_costs_nothing(client, django_capture_on_commit_callbacks, monkeypatch):
    from portal.celery import app

    filing = complete_alliance_filing()
    client.force_login(filing.created_by)
    closed_port = "redis://127.0.0.1:1/0"  # nothing listens there
    previous_url = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = closed_port
    # Celery reads the environment variable before its own setting.
    monkeypatch.setenv("CELERY_BROKER_URL", closed_port)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    _reset_broker_connections(app)
    started = time.monotonic()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("filings:submit", args=[filing.pk]))
    finally:
        monkeypatch.undo()
        app.conf.broker_url = previous_url
        app.conf.task_always_eager = True
        _reset_broker_connections(app)

    assert response.status_code == 302
    assert time.monotonic() - started < 5
    version = filing.versions.get()
    message = OutboxMessage.objects.get(key=f"pdf:{version.pk}")
    assert message.dispatched_at is None
    assert message.last_error
    assert not VersionDocument.objects.filter(version=version).exists()

    outbox.outbox_relay(older_than_seconds=0)

    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert VersionDocument.objects.filter(version=version).exists()


def test_a_web_process_knows_the_render_task_by_name():
    # Without a broker the outbox runs tasks in-process, looked up by name; a fresh
    # process that never imported filings.tasks must still find it.
    code = (
        "import django; django.setup(); from celery import current_app; "
        "print('filings.tasks.render_version_document' in current_app.tasks)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.strip() == "True"


def _database_url_for_a_worker() -> str | None:
    """The test database as a DATABASE_URL another process can open, or None (in-memory SQLite)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name or name.startswith("file:memorydb"):
            return None
        return f"sqlite:///{name}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{credentials}@" if credentials else ""
        return f"postgres://{host}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    return None


@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_document(settings, tmp_path):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real broker); CI sets it")
    database_url = _database_url_for_a_worker()
    if database_url is None:
        pytest.skip("the worker process cannot open an in-memory test database")
    from portal.celery import app

    # A queue of its own, so that no other worker on the same broker takes the task.
    queue = f"test-pdf-{os.getpid()}-{time.monotonic_ns()}"
    previous_routes = app.conf.task_routes
    app.conf.task_routes = {"filings.tasks.render_version_document": {"queue": queue}}
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo", "--concurrency=1"),
            *("--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("-Q", queue, "-n", f"{queue}@%h"),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        filing = complete_alliance_filing()
        version = services.filing_submit(filing=filing, actor=filing.created_by)  # commits: dispatches
        assert OutboxMessage.objects.get(key=f"pdf:{version.pk}").dispatched_at is not None

        deadline = time.monotonic() + 60
        document = None
        while document is None and time.monotonic() < deadline and worker.poll() is None:
            document = VersionDocument.objects.filter(version=version).first()
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=15)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
        app.conf.task_routes = previous_routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)

    assert document is not None, f"no document within 60 s; worker said:\n{output[-3000:]}"
    data = (tmp_path / document.file.name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert "上海车规芯片产业知识产权联盟" in pdf_text(data)


# --- what the printout shows


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def test_the_declaration_prints_the_typed_responsible_person(django_capture_on_commit_callbacks):
    version = submit(complete_alliance_filing(declarant_name="王建国"), django_capture_on_commit_callbacks)

    text = pdf_text(stored_bytes(version.document))

    assert "负责人（签名）：王建国" in text


def test_a_text_box_that_fits_on_a_page_is_not_split(django_capture_on_commit_callbacks):
    # Three boxes of about two thirds of a page each: without the rule the second would straddle a page break.
    texts = {
        name: f"{mark}始" + "围绕产业链关键环节开展专利布局与联合运营，推动成员间交叉许可。" * 22 + f"{mark}终"
        for name, mark in (("tasks_text", "甲"), ("operation_text", "乙"), ("pool_text", "丙"))
    }
    version = submit(complete_alliance_filing(**texts), django_capture_on_commit_callbacks)

    pages = page_texts(stored_bytes(version.document))

    for mark in "甲乙丙":
        starts = [i for i, page in enumerate(pages) if f"{mark}始" in page]
        ends = [i for i, page in enumerate(pages) if f"{mark}终" in page]
        assert starts == ends and len(starts) == 1, (mark, starts, ends)
