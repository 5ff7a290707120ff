"""In Chromium: staff import a key-enterprise list, see its coverage and produce a 通报;
a district bureau sees its own area only."""

import io

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from accounts.tests.factories import DistrictUserFactory
from review.statistics.tests.programme import programme
from review.tests.test_review_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(["单位名称", "统一社会信用代码", "所在区", "目录清单"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_browser_staff_import_a_list_see_its_coverage_and_produce_a_bulletin(page):
    world = programme()
    organisations = world["organisations"]
    log_in(page, world["staff"], "审核工作台")

    page.get_by_role("link", name="统计", exact=True).click()
    expect(page.get_by_role("heading", name="备案与申报统计")).to_be_visible()
    # The vendored ECharts draws each chart (as SVG) beside its table.
    expect(page.locator('[data-chart="chart-district"] svg')).to_be_visible()
    expect(page.locator("#table-district")).to_contain_text("临港新片区（其中）")

    page.get_by_role("link", name="重点企业清单").click()
    page.get_by_label("清单名称").fill("国家知识产权优势示范企业")
    page.get_by_label("完成备案期限").fill("2022-12-31")
    page.get_by_role("button", name="建立清单").click()
    expect(page.get_by_role("heading", name="国家知识产权优势示范企业")).to_be_visible()

    page.get_by_role("link", name="返回目录清单").click()
    rows = [
        ["张江药谷有限公司", organisations["pudong"].uscc, "浦东新区", "国家知识产权优势示范企业"],
        ["徐汇智能有限公司", organisations["xuhui"].uscc, "徐汇区", "国家知识产权优势示范企业"],
    ]
    page.get_by_label("目录清单文件（.xlsx）").set_input_files(
        {"name": "list.xlsx", "mimeType": "application/octet-stream", "buffer": workbook(rows)}
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("alert").filter(has_text="已导入 2 家企业")).to_be_visible()
    demo_row = page.locator("#coverage-lists tr", has_text="国家知识产权优势示范企业")
    expect(demo_row).to_contain_text("已逾期")
    expect(demo_row.locator("td.text-end")).to_have_text(["2", "1", "0", "1", "50.0%"])

    page.get_by_role("link", name="统计", exact=True).click()
    page.get_by_role("link", name="通报", exact=True).click()
    page.get_by_label("起始日期").fill("2024-10-01")
    page.get_by_label("截止日期").fill("2024-11-30")
    page.get_by_role("button", name="生成通报").click()
    expect(page.locator("#bulletins")).to_contain_text("已生成")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_browser_a_district_bureau_sees_only_its_own_area(page):
    world = programme()
    log_in(page, DistrictUserFactory(area="徐汇区"), "备案与申报统计")

    expect(page.locator("#table-states")).to_contain_text("未通过")
    page.get_by_role("link", name="本区申报").first.click()
    expect(page.locator("table tbody tr")).to_have_count(2)
    expect(page.get_by_text("徐汇智能有限公司").first).to_be_visible()
    expect(page.get_by_text("张江药谷有限公司")).to_have_count(0)

    page.get_by_role("link", name="LM2024-001-0002").click()
    expect(page.get_by_role("heading", name="测试申报LM2024-001-0002")).to_be_visible()
    expect(page.get_by_role("button", name="提交审查结论")).to_have_count(0)

    response = page.goto(f"/review/district/{world['filings']['f3'].pk}/")
    assert response.status == 404


def test_browser_a_year_of_months_runs_left_to_right(page):
    from filings.models import FilingEvent
    from filings.states import State
    from review.statistics.tests.programme import at

    world = programme()
    filing = FilingEvent.objects.filter(action="submit").first().filing
    for month in range(1, 11):  # ten more months: more bars than stand up (static/js/statistics.js)
        FilingEvent.objects.create(filing=filing, actor=filing.created_by, action="submit",
                                   from_state=State.DRAFT, to_state=State.SUBMITTED, created_at=at(month, 3, 2023))  # fmt: skip
    log_in(page, world["staff"], "审核工作台")

    page.goto(page.url.split("/review/")[0] + "/review/statistics/")
    expect(page.locator('[data-chart="chart-monthly"] svg')).to_be_visible()

    def axes(chart: str) -> list[str]:
        return page.evaluate(
            """chart => {
                const option = echarts.getInstanceByDom(document.querySelector(`[data-chart="${chart}"]`)).getOption();
                return [option.xAxis[0].type, option.yAxis[0].type];
            }""",
            chart,
        )

    assert page.locator("#table-monthly tbody tr").count() > 8
    assert axes("chart-monthly") == ["category", "value"]
