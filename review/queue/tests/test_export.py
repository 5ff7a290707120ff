"""The queue's filtered list as .xlsx: every matching row, text never a formula."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import District
from accounts.tests.factories import DistrictUserFactory, OrganisationFactory, StaffFactory
from filings.states import State
from review.tests.desk import queued

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_export_holds_every_filtered_filing_not_only_the_page(client, django_assert_num_queries):
    xuhui = OrganisationFactory(district=District.XUHUI)
    for _n in range(30):
        queued(organisation=xuhui)
    queued(organisation=xuhui, state=State.RETURNED)
    queued()  # 浦东新区
    client.force_login(StaffFactory())

    with django_assert_num_queries(2):  # the calls the filter may name, the rows (the user is cached)
        response = client.get(reverse("review:queue-export"), {"district": "徐汇区", "state": "submitted"})

    rows = sheet_rows(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0][:3] == ("编号", "名称", "申报类型")
    assert len(rows) == 1 + 30
    assert {row[5] for row in rows[1:]} == {"徐汇区"}
    assert {row[7] for row in rows[1:]} == {"待形式审查"}


def test_export_writes_formula_like_text_as_text(client):
    queued(title='=HYPERLINK("http://evil.example","点击")')
    client.force_login(StaffFactory())

    response = client.get(reverse("review:queue-export"))

    cell = load_workbook(io.BytesIO(response.content)).active["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example","点击")', "s")


def test_the_queue_links_its_export_with_the_current_filter(client):
    queued()
    client.force_login(StaffFactory())

    html = client.get(reverse("review:queue"), {"district": "浦东新区"}).content.decode()

    assert reverse("review:queue-export") + "?district=%E6%B5%A6%E4%B8%9C%E6%96%B0%E5%8C%BA" in html


def test_a_district_bureau_cannot_export_the_citys_queue(client):
    client.force_login(DistrictUserFactory())

    assert client.get(reverse("review:queue-export")).status_code == 403
