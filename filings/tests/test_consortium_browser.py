"""An applicant fills a whole 产学研运营联合体项目申报书 (seed 001 附件) in the browser, by its Chinese labels.

One walk through every step, as a person would: the basic information with its people table
(a mistyped 身份证号码 refused at the field), the cooperation partners, the capability text with
its live character count (over the limit, then within it), the plan and its targets, the team,
the declaration and the materials; then the submission.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD, UserFactory
from filings.models import Filing
from filings.states import State
from filings.tests.consortium_factories import CONTACT_ID, LEADER_ID, LEGAL_REP_ID, ConsortiumCallFactory, make_ric
from filings.tests.test_alliance_browser import autosave_after, fill_row, minimal_pdf, save_and_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_TITLE = "2024年上海市知识产权产学研运营联合体项目申报"
UNIT = "上海智芯微电子科技有限公司"
PARTNER = "上海交通大学"
MEMBER_ID = make_ric("31011219950102458")


def is_autosave(request) -> bool:
    return request.method == "POST" and request.headers.get("x-autosave") == "1"


def test_applicant_fills_and_submits_a_consortium_filing(page: Page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ConsortiumCallFactory(kind="CONSORTIUM", title=CALL_TITLE)
    user = UserFactory(organisation__name=UNIT, email="liming@zhixin-ic.com.cn", name="李明")

    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    page.goto("/public/")
    page.locator("article", has_text=CALL_TITLE).get_by_role("button", name="开始填报").click()

    # --- 一、申报单位基本信息: prefilled from the account's organisation.
    expect(page.get_by_role("heading", name="一、申报单位基本信息", exact=True)).to_be_visible()
    expect(page.get_by_label("申报单位", exact=True)).to_have_value(UNIT)
    expect(page.get_by_label("统一社会信用代码")).to_have_value(user.organisation.uscc)
    expect(page.get_by_role("group", name="单位性质").get_by_label("企业")).to_be_checked()
    page.get_by_label("开户银行", exact=True).fill("上海浦东发展银行张江科技支行")
    page.get_by_label("银行账号").fill("9716 0078 8012 0000 1234")
    page.get_by_label("通信地址").fill("上海市浦东新区张江高科技园区祖冲之路887弄71号")
    page.get_by_label("邮政编码").fill("201203")
    people = page.get_by_role("group", name="人员信息")
    for role, name, number, mobile, email in (
        ("单位法人", "王建国", LEGAL_REP_ID, "13917001200", "wangjg@zhixin-ic.com.cn"),
        ("项目负责人", "李明", LEADER_ID, "13917001234", "liming@zhixin-ic.com.cn"),
        ("项目联系人", "陈晓燕", CONTACT_ID, "13917001288", "chenxy@zhixin-ic.com.cn"),
    ):
        people.get_by_label(f"{role}姓名").fill(name)
        people.get_by_label(f"{role}身份证号码").fill(number)
        people.get_by_label(f"{role}电话（手机）").fill(mobile)
        people.get_by_label(f"{role}电子邮箱").fill(email)
    page.get_by_label("单位主营业务范围").fill("车规级芯片设计、销售及技术服务")
    industry = page.get_by_label("所属产业", exact=True)
    industry.select_option(label="集成电路")

    # A mistyped 身份证号码 is refused at the field, in Chinese, and nothing is lost.
    wrong = LEGAL_REP_ID[:-1] + ("1" if LEGAL_REP_ID[-1] != "1" else "2")
    legal_rep_id = people.get_by_label("单位法人身份证号码")
    with page.expect_request(is_autosave) as request:
        legal_rep_id.fill(wrong)
        legal_rep_id.blur()
    assert request.value.response().json()["saved"] is False
    expect(page.locator("[data-autosave-status]")).to_contain_text("身份证号码校验位不正确，请核对。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(people.get_by_text("身份证号码校验位不正确，请核对。")).to_be_visible()
    expect(people.get_by_label("单位法人身份证号码")).to_have_value(wrong)
    expect(people.get_by_label("项目联系人姓名")).to_have_value("陈晓燕")
    people.get_by_label("单位法人身份证号码").fill(LEGAL_REP_ID)
    save_and_continue(page, "产学研合作单位")

    # --- 产学研合作单位
    fill_row(
        page.get_by_role("group", name="产学研合作单位").locator("tbody tr.formset-row").first,
        单位名称=PARTNER,
        合作开始日期="2015-09-01",
        合作内容="共建车规芯片联合实验室，联合研发与专利许可",
        由此产生的专利数量="18",
    )
    page.get_by_label("产学研合作已产生的专利成果数量（件）").fill("18")
    save_and_continue(page, "二、申报单位承担项目能力基本情况")

    # --- 二: the live character count, counted as CO-6 counts.
    page.get_by_label("研发投入（万元）").fill("5200")
    page.get_by_label("研发人员数量（人）").fill("168")
    page.get_by_label("研发成果", exact=True).fill("授权发明专利86件，主导行业标准2项。")
    capability = page.get_by_label("申报单位承担项目能力基本情况")
    count = page.locator("#id_capability_text-count")
    expect(count).to_have_text("已输入 0 / 1000 字")
    capability.fill("字" * 1001)
    expect(count).to_have_text("已输入 1001 / 1000 字，已超出 1 字")
    expect(count).to_have_class(re.compile(r"\btext-danger\b"))
    autosave_after(page, capability.blur)
    expect(page.locator("[data-findings]")).to_contain_text(
        "“申报单位承担项目能力基本情况”共 1001 字，超过 1000 字的上限"
    )
    capability.fill("公司成立于2012年，\n研发人员168人。")
    expect(count).to_have_text("已输入 20 / 1000 字")
    expect(count).not_to_have_class(re.compile(r"\btext-danger\b"))
    autosave_after(page, capability.blur)
    expect(page.locator("[data-findings]")).not_to_contain_text("超过 1000 字的上限")
    save_and_continue(page, "三、项目实施方案、资金安排和绩效目标")

    # --- 三: the plan and its targets (30% a year: 100 → 130 → 169).
    plan = page.get_by_label("产学研运营联合体工作方案")
    plan.fill("围绕车规芯片开展专利导航、高价值专利培育和许可转让。")
    expect(page.locator("#id_plan_text-count")).to_have_text("已输入 26 / 2000 字")
    for metric in ("专利许可、转让、作价入股次数", "专利数量", "成交金额（万元）", "实际到账金额（万元）"):
        for column, value in (("基准年度", "100"), ("第一年目标", "130"), ("第二年目标", "169")):
            page.get_by_label(f"{metric}（{column}）", exact=True).fill(value)
    save_and_continue(page, "四、项目组成员信息")

    # --- 四、项目组成员信息
    leader = page.get_by_role("group", name="项目负责人")
    expect(leader).to_contain_text(LEADER_ID)
    leader.get_by_label("男").check()
    leader.get_by_label("学历").fill("博士研究生")
    leader.get_by_label("职务/职称").fill("高级工程师")
    leader.get_by_label("现从事专业").fill("集成电路设计")
    leader.get_by_label("所在部门").fill("知识产权部")
    leader.get_by_label("职务", exact=True).fill("部长")
    leader.get_by_label("固定电话").fill("021-50801234")
    fill_row(
        page.get_by_role("group", name="项目组全部成员").locator("tbody tr.formset-row").first,
        姓名="赵成员",
        身份证号码=MEMBER_ID,
        所在部门="知识产权部",
        **{"职务/职称": "工程师"},
        学历="硕士研究生",
        现从事专业="专利运营",
        承担任务="专利许可与台账",
    )
    save_and_continue(page, "五、申报单位意见")

    # --- 五、申报单位意见
    declaration = page.get_by_role(
        "checkbox", name="申报单位承诺及意见：所提交的资料真实有效，并自愿承担相应责任。同意申报。"
    )
    autosave_after(page, declaration.check)
    save_and_continue(page, "申报材料")

    # --- 申报材料
    for code, material in (
        ("M2", "相关认证、资质、荣誉等证书复印件"),
        ("M3", "申报单位承担的相关项目任务书和成果证明材料复印件"),
        ("M4", "产学研合作协议"),
    ):
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
    expect(page.get_by_text("优先：重点支持产业：集成电路（三大先导产业）")).to_be_visible()
    page.get_by_role("button", name="提交申报").click()

    success = page.get_by_role("alert").filter(has_text="已提交")
    expect(success).to_have_text(re.compile(r"已提交（第 1 版），编号 CXY2024-\d{3,}-0001。"))
    filing = Filing.objects.get()
    assert filing.state == State.SUBMITTED
    detail = filing.versions.get().data["detail"]
    assert (detail["legal_rep_id"], detail["bank_account"], detail["capability_chars"]) == (
        LEGAL_REP_ID,
        "97160078801200001234",
        20,
    )
    assert [m["id_number"] for m in filing.versions.get().data["members"]] == [MEMBER_ID]
