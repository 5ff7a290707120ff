"""A park fills a whole 知识产权运营服务集聚区 申报书 (seed 004) in the browser, by its Chinese labels.

One walk through every step, as a person would: the park and its enterprise counts, the IP
work base, the four partner tables (rows added in the page), the credit declaration, the work
plan against 工作任务 (一)–(八), the targets table, the declaration and the materials; then the
submission, with the 试点示范园区 priority badge shown.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, UserFactory, make_uscc
from filings.kinds.cluster.models import TARGET_COLUMNS, TARGET_METRICS, TASKS
from filings.models import Filing
from filings.states import State
from filings.tests.cluster_factories import ClusterCallFactory
from filings.tests.test_alliance_browser import autosave_after, fill_row, minimal_pdf, save_and_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_TITLE = "2024年上海市知识产权运营服务集聚区项目申报"
MANAGER = "上海漕河泾开发区经济技术发展有限公司"
PARTNERS = {
    "知识产权交易机构": [("上海技术交易所", make_uscc(800001, "310000"))],
    "商业银行": [("某银行上海分行", make_uscc(800002, "310000")), ("另一银行上海分行", make_uscc(800003, "310000"))],
    "保险机构": [("某保险上海分公司", make_uscc(800004, "310000"))],
    "知识产权服务机构": [
        ("上海某专利代理事务所", make_uscc(800005, "310104")),
        ("上海某知识产权服务公司", make_uscc(800006, "310104")),
    ],
}


def test_applicant_fills_and_submits_a_cluster_filing(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ClusterCallFactory(title=CALL_TITLE)
    user = UserFactory(organisation__name=MANAGER, email="ip@caohejing.example.com", name="王园区")

    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    page.goto("/public/")
    page.locator("article", has_text=CALL_TITLE).get_by_role("button", name="开始填报").click()

    # --- 园区基本情况: the management body is prefilled from the account.
    expect(page.get_by_role("heading", name="园区基本情况（申报对象、科技创新主体集中）", exact=True)).to_be_visible()
    expect(page.get_by_label("园区管理主体")).to_have_value(MANAGER)
    page.get_by_label("园区名称", exact=True).fill("漕河泾新兴技术开发区")
    page.get_by_label("所在区").select_option(label="徐汇区")
    page.get_by_label("园区认定级别").select_option(label="国家级经济技术开发区")
    page.get_by_label("认定文件名称及文号").fill("国函〔1988〕142号")
    page.get_by_label("市级以上知识产权试点示范园区").check()
    page.get_by_label("主导产业", exact=True).fill("电子信息、生物医药")
    page.get_by_label("高新技术企业数量（家）").fill("19")
    # 徐汇区 is 中心城区: 19 高新技术企业 is one too few, shown live.
    sme = page.get_by_label("中小微企业数量（家）")
    sme.fill("200")
    autosave_after(page, sme.blur)
    expect(page.locator("[data-findings]")).to_contain_text("高新技术企业 19 家，应不少于 20 家")
    page.get_by_label("高新技术企业数量（家）").fill("20")
    save_and_continue(page, "知识产权工作基础扎实")

    # --- 知识产权工作基础扎实
    page.get_by_label("园区知识产权管理部门名称").fill("园区知识产权服务中心")
    page.get_by_label("知识产权工作人员数量（人）").fill("5")
    page.get_by_label("知识产权政策措施").fill("《漕河泾开发区知识产权资助办法》")
    page.get_by_label("知识产权工作经费保障").fill("每年安排知识产权工作经费300万元。")
    save_and_continue(page, "知识产权运营生态良好（合作机构）")

    # --- 合作机构: one table per category, rows added in the page.
    for category, partners in PARTNERS.items():
        table = page.get_by_role("group", name=category, exact=True)
        rows = table.locator("tbody tr.formset-row")
        for _extra in partners[1:]:
            page.get_by_role("button", name=f"添加一行（{category}）").click()
        expect(rows).to_have_count(len(partners))
        for row, (name, uscc) in zip(rows.all(), partners, strict=True):
            fill_row(row, 机构名称=name, 统一社会信用代码=uscc, 战略合作协议签订日期="2024-03-01")
            if category == "知识产权服务机构":
                fill_row(row, **{"双证资质从业人员数量（人）": "2", "双证资质从业人员姓名": "张代理、李经纪"})
    save_and_continue(page, "信用承诺")

    # --- 信用承诺
    page.get_by_label("近三年园区管理主体无不良信用记录").check()
    page.get_by_label("近三年无群体性知识产权侵权案件").check()
    save_and_continue(page, "工作任务")

    # --- 工作任务（一）–（八）
    for _field, title, _help in TASKS:
        page.get_by_label(str(title), exact=True).fill(f"{title}：本园区的工作方案。")
    save_and_continue(page, "工作绩效")

    # --- 工作绩效: the targets table.
    for metric, label, unit in TARGET_METRICS:
        for _column, heading in TARGET_COLUMNS:
            value = "90" if metric == "satisfaction" else "100"
            page.get_by_label(f"{label}（{unit}）（{heading}）", exact=True).fill(value)
    page.get_by_label("高价值专利培育目标").fill("每万人口高价值发明专利拥有量逐年上升。")
    save_and_continue(page, "申报单位意见")

    # --- 申报单位意见
    declaration = page.get_by_role(
        "checkbox", name="申报单位承诺及意见：所提交的资料真实有效，并自愿承担相应责任。同意申报。"
    )
    autosave_after(page, declaration.check)
    save_and_continue(page, "申报材料")

    # --- 申报材料
    for code, material in (("M2", "园区认定文件"), ("M3", "与各合作机构的战略合作协议"), ("M4", "信用承诺/证明")):
        path = tmp_path / "scans" / f"{code}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(minimal_pdf(f"{code} scan"))
        page.get_by_label("材料类别").select_option(label=f"{code} {material}")
        page.get_by_label("选择文件").set_input_files(path)
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.get_by_role("alert").filter(has_text=f"已上传“{code}.pdf”")).to_be_visible()

    # --- 核对并提交
    page.get_by_role("link", name="返回申报").click()
    page.get_by_role("link", name="核对并提交").click()
    expect(page.get_by_text("尚有“不符合”的事项，提交将被拒绝。")).to_have_count(0)
    expect(page.get_by_text("优先：市级以上知识产权试点示范园区")).to_be_visible()
    page.get_by_role("button", name="提交申报").click()

    success = page.get_by_role("alert").filter(has_text="已提交")
    expect(success).to_have_text(re.compile(r"已提交（第 1 版），编号 JJQ2024-\d{3,}-0001。"))
    filing = Filing.objects.get()
    assert filing.state == State.SUBMITTED
    version = filing.versions.get()
    assert (version.data["detail"]["park_name"], version.data["detail"]["hitech_count"]) == ("漕河泾新兴技术开发区", 20)
    assert [(p["category_label"], p["name"]) for p in version.data["partners"]] == [
        (category, name) for category, partners in PARTNERS.items() for name, _uscc in partners
    ]
