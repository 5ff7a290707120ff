"""The 通报: rendered off the request path, its numbers read back from the PDF and the workbook."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.tests.factories import DistrictUserFactory, StaffFactory
from filings.models import OutboxMessage
from review.directory.models import KeyEntry, KeyList
from review.statistics.models import Bulletin
from review.statistics.tests.programme import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = programme()
    key_list = KeyList.objects.create(name="国家知识产权优势示范企业", deadline=date(2022, 12, 31),
                                      created_by=world["staff"])  # fmt: skip
    organisations = world["organisations"]
    KeyEntry.objects.create(key_list=key_list, name="张江", uscc=organisations["pudong"].uscc, area="浦东新区")
    KeyEntry.objects.create(key_list=key_list, name="徐汇", uscc=organisations["xuhui"].uscc, area="徐汇区")
    return world


def request_bulletin(client, captured, **fields):
    data = {"title": "2024年10-11月专利产品备案工作情况通报", "date_from": "2024-10-01", "date_to": "2024-11-30"}
    with captured(execute=True):
        return client.post(reverse("review:bulletins"), {**data, **fields})


def test_the_bulletin_is_rendered_by_the_outbox_and_its_pdf_reads_back_the_figures(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["staff"])

    response = request_bulletin(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert OutboxMessage.objects.get(key=f"bulletin:{bulletin.pk}").dispatched_at is not None
    pdf = client.get(reverse("review:bulletin-pdf", args=[bulletin.pk]))
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    text = re.sub(r"\s+", " ", "".join(page.extract_text() for page in reader.pages))
    flat = text.replace(" ", "")
    assert "上海市知识产权局" in flat
    assert "统计期间：2024年10月1日至2024年11月30日" in flat
    # F2, F3 and F4 were first submitted in the period: 1 registered, 1 rejected, 1 withdrawn.
    assert "首次提交的申报共3件，其中已入库/立项/备案1件，办理中0件，未通过1件，已撤回1件" in flat
    assert "徐汇区 2 0 0 1 1" in text
    assert "浦东新区 1 1 0 0 0" in text
    # Coverage: 张江 holds a registered record, 徐汇's was withdrawn.
    assert "国家知识产权优势示范企业 2022-12-31 2 1 0 1 50.0%" in text
    # Charts are drawn as vectors: no raster image on any page.
    assert all(not page.images for page in reader.pages)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_the_bulletin_workbook_holds_the_same_figures(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["staff"])
    request_bulletin(client, django_capture_on_commit_callbacks)

    response = client.get(reverse("review:bulletin-xlsx", args=[Bulletin.objects.get().pk]))

    book = load_workbook(io.BytesIO(response.content))
    assert list(book["按区"].iter_rows(values_only=True)) == [
        ("所在区", "申报", "已入库/立项", "办理中", "未通过", "已撤回"),
        ("徐汇区", 2, 0, 0, 1, 1),
        ("浦东新区", 1, 1, 0, 0, 0),
    ]
    assert list(book["重点企业覆盖"].iter_rows(values_only=True))[1] == (
        "国家知识产权优势示范企业", "2022-12-31", 2, 1, 0, 1, 50.0,
    )  # fmt: skip


def test_a_period_that_ends_before_it_starts_is_refused_at_the_field(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["staff"])

    response = request_bulletin(client, django_capture_on_commit_callbacks, date_to="2024-09-01")

    assert response.status_code == 400
    assert response.context["form"].errors["date_to"] == ["截止日期不能早于起始日期。"]
    assert not Bulletin.objects.exists()


def test_the_dashboard_exports_what_it_shows(client, world):
    client.force_login(StaffFactory())

    response = client.get(reverse("review:statistics-xlsx"), {"kind": "PRODUCT"})

    rows = list(load_workbook(io.BytesIO(response.content))["按区"].iter_rows(values_only=True))
    assert rows[1:] == [("徐汇区", 1, 0, 0, 0, 1), ("浦东新区", 1, 1, 0, 0, 0)]


def test_bulletins_are_the_city_bureaus(client, world):
    client.force_login(DistrictUserFactory())

    assert client.get(reverse("review:bulletins")).status_code == 403


def test_the_bulletin_is_signed_by_the_bureau(client, world, settings, tmp_path, django_capture_on_commit_callbacks):
    from filings import signing

    p12, ca = signing.signing_demo_create(tmp_path, "test-only")
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE, settings.SIGNING_TRUST_ROOTS = (
        str(p12),
        "test-only",
        [str(ca)],
    )
    client.force_login(world["staff"])

    request_bulletin(client, django_capture_on_commit_callbacks)

    pdf = client.get(reverse("review:bulletin-pdf", args=[Bulletin.objects.get().pk]))
    [check] = signing.signatures_of(b"".join(pdf.streaming_content))
    assert (check.intact, check.trusted, check.covers_whole_file) == (True, True, True)


def test_a_failed_render_is_shown_as_failed_and_staff_render_it_again(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["staff"])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("review:bulletins"), {"title": "通报", "date_from": "2024-10-01", "date_to": "2024-11-30"})
    bulletin = Bulletin.objects.get()
    # What the outbox leaves when the render gave up (a time limit, or too many attempts).
    OutboxMessage.objects.filter(key=f"bulletin:{bulletin.pk}").update(
        dispatched_at=timezone.now(), dead_at=timezone.now(), last_error="SoftTimeLimitExceeded()"
    )

    page = client.get(reverse("review:bulletins")).content.decode()
    assert "生成失败" in page and "生成中" not in page
    assert reverse("review:bulletin-retry", args=[bulletin.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:bulletin-retry", args=[bulletin.pk]))

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.pages > 0
    page = client.get(reverse("review:bulletins")).content.decode()
    assert "生成失败" not in page and "已生成" in page
