"""A company records a 专利产品 (seed 003 附件 二) in the browser, by its Chinese labels.

The whole process as people go through it: the subject's real-name details and 诚信承诺书 first,
approved by staff on their list; then the product, its economic data, the patents it uses (one
licensed, with the licence-contract filing number) and the proofs; the submission; and the staff
audit, whose pass is 备案成功 with the call's registry number.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.roles import requires_second_factor
from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from accounts.tests.otp import page_second_factor_complete
from filings import kinds
from filings.models import Filing
from filings.states import State
from filings.tests.product_factories import ProductCallFactory, make_patent
from filings.tests.test_alliance_browser import fill_row, minimal_pdf, save_and_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_TITLE = "2024年专利产品备案"
COMPANY = "上海某智能终端有限公司"


def log_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    user = User.objects.get(email=email)
    if requires_second_factor(user):
        page_second_factor_complete(page, user)


def test_company_records_a_patented_product_and_staff_register_it(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProductCallFactory(title=CALL_TITLE, year=2024)
    user = UserFactory(organisation__name=COMPANY, email="ip@terminal.example.com", name="赵专利")
    staff = StaffFactory(email="audit@sipa.example.gov.cn")
    scans = tmp_path / "scans"
    scans.mkdir()

    log_in(page, user.email)
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    page.goto("/public/")
    page.locator("article", has_text=CALL_TITLE).get_by_role("button", name="开始填报").click()

    # --- 备案主体: the first step leads to the organisation's subject page.
    expect(page.get_by_role("heading", name="专利产品备案主体")).to_be_visible()
    page.get_by_label("主体类型").select_option(label="企业")
    page.get_by_label("法定代表人").fill("钱法人")
    page.get_by_label("联系人").fill("赵专利")
    page.get_by_label("手机").fill("13912345678")
    page.get_by_label("电子邮箱").fill("ip@terminal.example.com")
    pledge = scans / "pledge.pdf"
    pledge.write_bytes(minimal_pdf("pledge"))
    page.get_by_label("诚信承诺书").set_input_files(pledge)
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("审核状态：待审核")).to_be_visible()

    # --- Staff approve the subject on their list.
    log_in(page, staff.email)
    page.goto("/review/product-subjects/")
    row = page.get_by_role("row").filter(has_text=COMPANY)
    row.get_by_role("button", name="通过").click()
    expect(page.get_by_role("alert").filter(has_text=f"备案主体“{COMPANY}”已通过。")).to_be_visible()

    # --- Back to the product.
    log_in(page, user.email)
    filing = Filing.objects.get()
    page.goto(f"/filings/{filing.pk}/step/subject/")
    expect(page.get_by_text("审核状态：已通过")).to_be_visible()
    page.get_by_role("link", name="继续填报备案产品").click()

    expect(page.get_by_role("heading", name="备案产品基本信息", exact=True)).to_be_visible()
    page.get_by_label("产品名称").fill("智能手机")
    page.get_by_label("型号/品种").fill("X30")
    page.get_by_label("同一型号下的颜色、大小、配置等").fill("星空黑、冰川白\n8GB+256GB")
    page.get_by_label("所属产业").fill("新一代信息技术产业")
    save_and_continue(page, "经济数据")

    page.get_by_label("上年度销售额（万元）").fill("12000")
    page.get_by_label("上年度出口额（万元）").fill("3000")
    page.get_by_label("上年度利润（万元）").fill("1500")
    page.get_by_label("上年度知识产权投入（万元）").fill("300")
    save_and_continue(page, "所使用专利")

    held, licensed = make_patent(101), make_patent(102, type_digit="2")
    table = page.get_by_role("group", name="所使用专利", exact=True)
    page.get_by_role("button", name="添加一行（所使用专利）").click()
    rows = table.locator("tbody tr.formset-row")
    expect(rows).to_have_count(2)
    fill_row(rows.nth(0), 专利号=f"ZL{held}", 备案主体身份="专利权人", 许可合同备案号="无")
    fill_row(rows.nth(1), 专利号=licensed, 备案主体身份="被许可人", 许可合同备案号="2023310000123")
    for index in range(2):
        rows.nth(index).get_by_label("声明该专利不存在权属纠纷").check()
    save_and_continue(page, "申报材料")

    for code, material in (("M1", "专利证书或专利登记簿副本"), ("M2", "经济数据证明")):
        path = scans / f"{code}.pdf"
        path.write_bytes(minimal_pdf(f"{code} scan"))
        page.get_by_label("材料类别").select_option(label=f"{code} {material}")
        page.get_by_label("选择文件").set_input_files(path)
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.get_by_role("alert").filter(has_text=f"已上传“{code}.pdf”")).to_be_visible()

    page.get_by_role("link", name="返回申报").click()
    page.get_by_role("link", name="核对并提交").click()
    expect(page.get_by_text("尚有“不符合”的事项，提交将被拒绝。")).to_have_count(0)
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_role("alert").filter(has_text="已提交")).to_have_text(
        re.compile(r"已提交（第 1 版），编号 ZLCP2024-\d{3,}-0001。")
    )

    # --- Staff audit: passing it is 备案成功.
    log_in(page, staff.email)
    page.goto(f"/review/filing/{filing.pk}/")
    for _key, label in kinds.get("PRODUCT").audit_checklist:
        page.get_by_label(label).check()
    page.get_by_label("通过", exact=True).check()
    page.get_by_role("button", name="提交审查结论").click()
    expect(page.get_by_role("alert").filter(has_text="已记录形式审查结论：通过。")).to_be_visible()

    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.REGISTERED, "沪知产品备〔2024〕第00001号")
    version = filing.versions.get()
    assert [(p["number"], p["role"]) for p in version.data["patents"]] == [(held, "holder"), (licensed, "licensee")]
