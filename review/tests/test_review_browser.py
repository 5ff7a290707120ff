"""The whole review path of a 联盟备案 filing, in the browser, each person in their own session.

Staff return it for 补正, the applicant fixes it and submits version 2, staff compare the
versions and pass the material audit, three experts score it, staff approve and publish it,
a member of the public objects, staff dismiss the objection, and once the period is over
staff register it; the public finds it in the 备案库.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.roles import requires_second_factor
from accounts.tests.factories import PASSWORD, ExpertFactory, StaffFactory
from accounts.tests.otp import page_second_factor_complete
from filings.kinds.alliance.kind import AUDIT_CHECKLIST, SCORE_SHEET
from filings.models import Filing
from filings.services import filing_save_step, filing_submit
from filings.states import State
from filings.tests import samples
from filings.tests.alliance_factories import complete_alliance_filing
from review.models import Objection, PublicityBatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALLIANCE = "上海智能网联汽车产业知识产权联盟"
OLD_CONTACT = "李联系"
NEW_CONTACT = "周晓明"
FIX_ITEMS = ("封面联系人已离职，请更换为现任联系人。", "M2 章程缺少成员单位法定代表人签字页，请补充。")
# 姓名, 工作单位, scores in the order of the score sheet.
EXPERTS = (
    ("赵评审", "上海交通大学", (18, 17, 13, 22, 18)),  # 88
    ("钱评审", "复旦大学", (16, 18, 12, 20, 17)),  # 83
    ("孙评审", "同济大学", (17.5, 16, 14, 21, 18)),  # 86.5
)
MEAN = "85.8"  # (88 + 83 + 86.5) / 3
OBJECTOR = "吴异议"
OBJECTION = "联盟成员上海整车集团有限公司并未取得专利池许可，申报材料与事实不符。"
DISMISSAL = "经核实，该企业已于2023年取得专利池许可，许可合同已备案，异议理由不成立。"
EVIDENCE_PDF = samples.PDF


@pytest.fixture
def open_session(browser, live_server):
    """Opens a page in a browser context of its own: one person, one session."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def batch_title(call) -> str:
    """The default title of a call's first 公示 batch starting today."""
    today = timezone.localdate()
    return f"{call.title} 拟入库名单公示（{today.year}年{today.month}月{today.day}日）"


def log_in(page: Page, user, home: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    if requires_second_factor(user):
        page_second_factor_complete(page, user)
    expect(page.get_by_role("heading", name=home)).to_be_visible()


def alert(page: Page, text: str):
    return page.get_by_role("alert").filter(has_text=text)


def described(page: Page, term: str):
    """The <dd> that follows the <dt> reading exactly `term`."""
    return (
        page.locator("dt").filter(has_text=re.compile(f"^{re.escape(term)}$")).locator("xpath=following-sibling::dd[1]")
    )


def open_from_queue(staff: Page, tab: str) -> None:
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="审核工作台").click()
    staff.get_by_role("link", name=re.compile(f"^{tab} ")).click()
    staff.get_by_role("link", name=ALLIANCE).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(ALLIANCE)


def test_alliance_filing_from_audit_to_registry(open_session):
    # --- 1. Setup: a submitted filing, staff and three experts from outside the alliance.
    filing = complete_alliance_filing(name=ALLIANCE, industry="智能网联汽车", contact_name=OLD_CONTACT)
    filing_save_step(filing=filing)  # the applicant's last save names the filing
    applicant = filing.created_by
    filing_submit(filing=filing, actor=applicant)
    filing.refresh_from_db()
    call = filing.call
    assert call.expert_count == 3
    staff_user = StaffFactory(name="陈审核")
    experts = [ExpertFactory(name=name, expert_organisation_name=org) for name, org, _scores in EXPERTS]
    registry_number = call.registry_number(1)

    # --- 2. Staff find the filing in the queue and return it for 补正.
    staff = open_session()
    log_in(staff, staff_user, "审核工作台")
    staff.get_by_label("名称、编号或统一社会信用代码").fill("智能网联")
    staff.get_by_role("button", name="筛选").click()
    expect(staff.get_by_text("共 1 件")).to_be_visible()
    staff.get_by_role("link", name=ALLIANCE).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(ALLIANCE)
    expect(described(staff, "状态")).to_have_text("待形式审查")
    audit = staff.get_by_role("region", name="形式审查", exact=True)
    audit.get_by_role("radio", name="退回补正").check()
    audit.get_by_label("审核意见").fill("\n".join(FIX_ITEMS))
    audit.get_by_role("button", name="提交审查结论").click()
    expect(alert(staff, "已记录形式审查结论：退回补正。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("退回补正")

    # --- 3. The applicant reads the fix items, changes the contact and submits version 2.
    owner = open_session()
    log_in(owner, applicant, "我的申报")
    owner.get_by_role("link", name=ALLIANCE).click()
    expect(described(owner, "状态")).to_have_text("退回补正")
    returned = owner.get_by_role("region", name="审核人员退回补正")
    expect(returned.get_by_role("listitem")).to_have_text(list(FIX_ITEMS))
    returned.get_by_role("link", name="开始修改").click()
    expect(owner.get_by_role("heading", name="封面", exact=True)).to_be_visible()
    expect(owner.get_by_label("联系人")).to_have_value(OLD_CONTACT)
    owner.get_by_label("联系人").fill(NEW_CONTACT)
    owner.get_by_role("button", name="保存", exact=True).click()
    expect(alert(owner, "已保存。")).to_be_visible()
    owner.get_by_role("navigation", name="填报步骤").get_by_role("link", name="核对并提交").click()
    expect(owner.get_by_role("heading", name="核对并提交")).to_be_visible()
    owner.get_by_role("button", name="提交申报").click()
    expect(alert(owner, "已提交（第 2 版）")).to_have_text(f"已提交（第 2 版），编号 {filing.number}。")
    expect(described(owner, "状态")).to_have_text("待形式审查")

    # --- 4. Staff compare version 1 with 2, tick the whole checklist, pass and assign experts.
    open_from_queue(staff, "待形式审查")
    expect(described(staff, "提交时间")).to_contain_text("（第 2 版）")
    staff.get_by_role("link", name="与上一版比较").click()
    expect(staff.get_by_role("heading", name="第 1 版 → 第 2 版 的变化")).to_be_visible()
    change = staff.locator("table.diff-table tbody tr").filter(has_text="联系人")
    expect(change).to_have_count(1)
    expect(change.locator("del")).to_have_text(OLD_CONTACT)
    expect(change.locator("ins")).to_have_text(NEW_CONTACT)
    audit = staff.get_by_role("region", name="形式审查", exact=True)
    checklist = audit.get_by_role("group", name="核查清单").get_by_role("checkbox")
    expect(checklist).to_have_count(len(AUDIT_CHECKLIST))
    for box in checklist.all():
        box.check()
    audit.get_by_role("radio", name="通过", exact=True).check()
    audit.get_by_role("button", name="提交审查结论").click()
    expect(alert(staff, "已记录形式审查结论：通过。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("专家评审中")
    expect(staff.get_by_text("每件申报分配 3 位专家")).to_be_visible()
    for name, org, _scores in EXPERTS:
        staff.get_by_label("评审专家").select_option(label=f"{name}（{org}）")
        staff.get_by_role("button", name="分配", exact=True).click()
        expect(alert(staff, f"已分配评审专家：{name}。")).to_be_visible()
    panel = staff.get_by_role("region", name="专家评审")
    expect(panel.locator("tbody tr")).to_have_count(3)
    expect(staff.get_by_label("评审专家")).to_have_count(0)  # all three assigned
    expect(panel).to_contain_text("已提交 0 / 3 位")

    # --- 5. Each expert scores the filing and recommends it.
    for expert, (name, _org, scores) in zip(experts, EXPERTS, strict=True):
        reviewer = open_session()
        log_in(reviewer, expert, "我的评审任务")
        reviewer.get_by_role("link", name="我的评审任务").click()
        row = reviewer.get_by_role("row").filter(has_text=ALLIANCE)
        expect(row).to_contain_text("待评审")
        row.get_by_role("link", name="评审").click()
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(ALLIANCE)
        expect(reviewer.get_by_text("满分 100 分。提交后不能修改。")).to_be_visible()
        for criterion, score in zip(SCORE_SHEET, scores, strict=True):
            assert 0 <= score <= criterion["max"]
            reviewer.get_by_label(f"{criterion['label']}（满分 {criterion['max']} 分）").fill(str(score))
        reviewer.get_by_role("radio", name="建议通过").check()
        reviewer.get_by_label("评审意见").fill(f"{name}：成员结构合理，专利池运营机制清晰，建议通过备案。")
        reviewer.get_by_role("button", name="提交评审意见").click()
        expect(alert(reviewer, "评审意见已提交，谢谢！")).to_be_visible()
        expect(reviewer.get_by_text("评审建议：建议通过")).to_be_visible()
        expect(reviewer.get_by_text(re.compile(r"已于 .* 提交，不能再修改。"))).to_be_visible()

    # --- 6. Staff see the scores and the mean, approve, and publish a publicity batch.
    staff.reload()
    panel = staff.get_by_role("region", name="专家评审")
    expect(panel).to_contain_text(f"已提交 3 / 3 位 · 平均分 {MEAN} · 建议通过 3 位")
    for name, org, scores in EXPERTS:
        row = panel.get_by_role("row").filter(has_text=name)
        expect(row.get_by_role("cell")).to_contain_text([name, org, "已提交", f"{sum(scores):g}", "建议通过"])
    staff.get_by_role("radio", name="评审通过", exact=True).check()
    staff.get_by_role("button", name="确认决定").click()
    expect(alert(staff, "评审通过，待发布公示。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("评审通过待公示")

    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="公示管理").click()
    expect(staff.get_by_role("heading", name="公示管理")).to_be_visible()
    staff.get_by_role("link", name="发布公示").click()
    staff.get_by_role("listitem").filter(has_text=call.title).get_by_role("link", name="1 件待公示").click()
    expect(staff.get_by_role("heading", name=f"发布公示：{call.title}")).to_be_visible()
    staff.get_by_role("checkbox", name=re.compile(ALLIANCE)).check()
    staff.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    staff.get_by_role("button", name="发布公示").click()
    expect(alert(staff, "已发布公示")).to_contain_text(f"“{batch_title(call)}”")
    batch_card = staff.get_by_role("region", name=batch_title(call))
    expect(batch_card).to_contain_text("公示中")
    expect(batch_card.locator(".border-top").filter(has_text=ALLIANCE)).to_contain_text("公示中")

    # --- 7. A member of the public objects, by name, with a PDF.
    public = open_session()
    public.goto("/public/")
    public.get_by_role("navigation", name="主导航").get_by_role("link", name="公示", exact=True).click()
    public.get_by_role("link", name=batch_title(call)).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(batch_title(call))
    listed = public.get_by_role("table", name="公示名单").get_by_role("row").filter(has_text=ALLIANCE)
    expect(listed).to_contain_text(filing.organisation.name)
    listed.get_by_role("link", name="提出异议").click()
    form = public.get_by_role("region", name="提出异议")
    expect(form.get_by_label("异议对象")).to_have_value(str(filing.publicity_entries.get().pk))
    form.get_by_label("真实姓名").fill(OBJECTOR)
    form.get_by_label("所在单位").fill("个人")
    form.get_by_label("联系电话").fill("13916660000")
    form.get_by_label("异议理由").fill(OBJECTION)
    form.get_by_label("证明材料").set_input_files(
        {"name": "许可情况说明.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE_PDF}
    )
    form.get_by_role("button", name="提交异议").click()
    expect(alert(public, "您的异议已提交，受理编号：YY")).to_be_visible()

    # --- 8. Staff dismiss the objection with a reason.
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="公示管理").click()
    objection = staff.locator(".border.rounded").filter(has_text=OBJECTOR)
    expect(objection).to_contain_text(OBJECTION)
    expect(objection).to_contain_text("待处理")
    expect(objection.get_by_role("link", name="下载")).to_be_visible()
    objection.get_by_role("radio", name="不予采纳").check()
    objection.get_by_label("处理理由").fill(DISMISSAL)
    objection.get_by_role("button", name="提交处理结果").click()
    expect(alert(staff, "异议已处理。")).to_be_visible()
    objection = staff.locator(".border.rounded").filter(has_text=OBJECTOR)
    expect(objection).to_contain_text("不予采纳")
    expect(objection).to_contain_text(DISMISSAL)
    assert Objection.objects.get().decision == Objection.Decision.DISMISSED

    # --- 9. Once the period is over, staff register it.
    today = timezone.localdate()
    # Test setup: the publicity period is over (waiting five working days is no test).
    PublicityBatch.objects.filter(call=call).update(
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    open_from_queue(staff, "公示中")
    expect(staff.get_by_role("region", name="入库/立项")).to_contain_text("公示期满且无未处理或成立的异议")
    staff.get_by_role("button", name="入库/立项").click()
    expect(alert(staff, "已入库/立项")).to_have_text(f"已入库/立项，编号 {registry_number}。")
    expect(described(staff, "状态")).to_have_text("已入库/已立项")
    expect(described(staff, "备案号/立项号")).to_contain_text(registry_number)

    # --- 10. The public finds it in the 备案库.
    visitor = open_session()
    visitor.goto("/public/")
    visitor.get_by_role("navigation", name="主导航").get_by_role("link", name="备案库").click()
    expect(visitor.get_by_role("heading", name="备案库")).to_be_visible()
    expect(visitor.get_by_role("row").filter(has_text=ALLIANCE)).to_contain_text(registry_number)
    visitor.get_by_label("名称、编号、单位或信用代码").fill("智能网联汽车")
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.get_by_text("共 1 条")).to_be_visible()
    entry = visitor.get_by_role("row").filter(has_text=ALLIANCE)
    expect(entry).to_contain_text(filing.organisation.name)
    entry.get_by_role("link", name=registry_number).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(ALLIANCE)
    expect(described(visitor, "备案号/立项号")).to_have_text(registry_number)
    expect(described(visitor, "申报单位")).to_have_text(filing.organisation.name)

    assert Filing.objects.get(pk=filing.pk).state == State.REGISTERED
