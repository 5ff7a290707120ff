"""A unit with a 立项 consortium files its first yearly report in the browser; staff return it,
the unit corrects and resubmits, staff accept it, and the growth table shows the targets met."""

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import StaffFactory
from review.reports.models import ReportState, YearlyReport
from review.reports.tests.factories import CONSORTIUM_YEAR1, PDF, registered_consortium
from review.tests.test_review_browser import alert, log_in, open_session  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = {
    "deals": "专利许可、转让、作价入股次数（次）",
    "patents": "专利数量（件）",
    "value": "成交金额（万元）",
    "received": "实际到账金额（万元）",
    "pledge_projects": "专利质押融资登记项目数（项）",
    "pledge_amount": "专利质押融资登记金额（万元）",
    "sme_count": "受益中小微企业数量（家）",
    "sme_revenue": "受益中小微企业营业收入（万元）",
    "sme_employees": "受益中小微企业就业人数（人）",
}
REASON = "专利数量与台账不一致，请核对后重新报送。"


def growth_row(page: Page, label: str):
    return page.locator("table.growth-table tr").filter(has=page.get_by_role("rowheader", name=label))


def test_first_yearly_report_returned_corrected_and_accepted(open_session):  # noqa: F811
    filing = registered_consortium()
    year = filing.registered_at.year
    staff_user = StaffFactory(name="陈审核")

    # --- 1. The unit opens its yearly reports and starts the first year's.
    unit = open_session()
    log_in(unit, filing.created_by, "我的申报")
    unit.get_by_role("navigation", name="主导航").get_by_role("link", name="年度报告").click()
    unit.get_by_role("button", name=f"填报 {year} 年度报告").click()
    expect(unit.get_by_role("heading", level=1)).to_have_text(f"{year} 年度绩效报告")

    # --- 2. A typo is refused at its field; the rest is kept. Then the figures, the upload, 报送.
    for code, label in LABELS.items():
        unit.get_by_label(label, exact=True).fill(CONSORTIUM_YEAR1[code])
    unit.get_by_label(LABELS["patents"], exact=True).fill("一百二十")
    unit.get_by_role("button", name="保存草稿").click()
    expect(unit.get_by_text("请填写数字（整数），不要填写文字或单位。")).to_be_visible()
    expect(unit.get_by_label(LABELS["deals"], exact=True)).to_have_value("130")
    unit.get_by_label(LABELS["patents"], exact=True).fill("120")
    unit.get_by_role("button", name="保存草稿").click()
    expect(alert(unit, "草稿已保存。")).to_be_visible()
    unit.get_by_label("材料类别").select_option(label="年度工作报告")
    unit.get_by_label("选择文件").set_input_files(
        files=[{"name": "年度工作报告.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    unit.get_by_role("button", name="上传", exact=True).click()
    expect(alert(unit, "文件已上传。")).to_be_visible()
    unit.get_by_role("button", name="报送", exact=True).click()
    expect(alert(unit, f"{year} 年度报告已报送（第 1 版）。")).to_be_visible()

    # --- 3. Staff see the shortfall with its clause and return the report with the reason.
    staff = open_session()
    log_in(staff, staff_user, "审核工作台")
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="年度绩效报告").click()
    staff.get_by_role("link", name="查看").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"{year} 年度绩效报告")
    expect(growth_row(staff, LABELS["deals"]).locator("td.verdict")).to_have_text("达标")
    patents = growth_row(staff, LABELS["patents"])
    expect(patents.locator("td.verdict")).to_have_text("未达标")
    expect(patents).to_contain_text("130 未达到")
    expect(patents).to_contain_text("seed 001 工作目标")
    staff.get_by_label("审核意见").fill(REASON)
    staff.get_by_role("button", name="退回修改").click()
    expect(alert(staff, "已退回修改。")).to_be_visible()

    # --- 4. The unit reads the reason, corrects the figure and resubmits.
    unit.reload()
    expect(alert(unit, REASON)).to_be_visible()
    unit.get_by_label(LABELS["patents"], exact=True).fill("130")
    unit.get_by_role("button", name="修改后重新报送").click()
    expect(alert(unit, f"{year} 年度报告已报送（第 2 版）。")).to_be_visible()

    # --- 5. Staff accept it; every target of the year is met.
    staff.reload()
    expect(growth_row(staff, LABELS["patents"]).locator("td.verdict")).to_have_text("达标")
    staff.get_by_role("button", name="审核通过").click()
    expect(alert(staff, "已审核通过。")).to_be_visible()
    expect(staff.locator(".report-state")).to_have_text("已通过")
    for label in ("专利许可、转让、作价入股次数（次）", "专利数量（件）", "成交金额（万元）", "实际到账金额（万元）"):
        expect(growth_row(staff, label).locator("td.verdict")).to_have_text("达标")
    expect(staff.locator("table.growth-table tr.table-danger")).to_have_count(0)

    report = YearlyReport.objects.get(filing=filing, year=year)
    assert (report.state, report.version) == (ReportState.ACCEPTED, 2)
    assert list(report.events.values_list("action", flat=True)) == ["submit", "return", "resubmit", "accept"]
