"""The review path of a 产学研联合体 and a 集聚区 filing, in the browser, one session per person.

Shorter than the alliance walk in test_review_browser.py, whose helpers it reuses: staff return
the filing for 补正, the applicant resubmits it, staff pass the audit, three experts recommend
it, staff approve, publish and (once the period is over) register it; the public finds it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import ExpertFactory, StaffFactory
from filings import kinds
from filings.models import Filing
from filings.services import filing_save_step, filing_submit
from filings.states import State
from filings.tests.cluster_factories import complete_cluster_filing
from filings.tests.consortium_factories import complete_consortium_filing
from review.models import PublicityBatch
from review.tests.test_review_browser import alert, batch_title, described, log_in, open_session  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIX_ITEM = "M1 申报书缺少单位公章，请加盖公章后重新提交。"
# 姓名, 工作单位, the share of each criterion's maximum the expert gives.
EXPERTS = (("赵评审", "上海交通大学", 0.8), ("钱评审", "复旦大学", 0.85), ("孙评审", "同济大学", 0.9))


def open_from_queue(staff: Page, tab: str, title: str) -> None:
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="审核工作台").click()
    staff.get_by_role("link", name=re.compile(f"^{tab} ")).click()
    staff.get_by_role("link", name=title).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(title)


@pytest.mark.parametrize(
    ("make_filing", "expected_number"),
    [
        pytest.param(complete_consortium_filing, "沪知产学研〔{year}〕第001号", id="consortium"),
        pytest.param(complete_cluster_filing, "沪知集聚〔{year}〕第001号", id="cluster"),
    ],
)
def test_filing_from_audit_to_registry(open_session, make_filing, expected_number):  # noqa: F811
    # --- 1. Setup: a submitted filing, staff and three experts from outside its parties.
    filing = make_filing()
    filing_save_step(filing=filing)  # the applicant's last save names the filing
    applicant = filing.created_by
    filing_submit(filing=filing, actor=applicant)
    filing.refresh_from_db()
    title, call = filing.title, filing.call
    spec = kinds.get(filing.kind)
    parties = spec.parties(filing)
    assert title and call.expert_count == 3
    assert not any(org in party or party in org for _name, org, _share in EXPERTS for party in parties)
    staff_user = StaffFactory(name="陈审核")
    experts = [ExpertFactory(name=name, expert_organisation_name=org) for name, org, _share in EXPERTS]
    registry_number = call.registry_number(1)
    assert registry_number == expected_number.format(year=call.year)

    # --- 2. Staff find the filing by its number and return it for 补正 with one item.
    staff = open_session()
    log_in(staff, staff_user, "审核工作台")
    staff.get_by_label("名称、编号或统一社会信用代码").fill(filing.number)
    staff.get_by_role("button", name="筛选").click()
    expect(staff.get_by_text("共 1 件")).to_be_visible()
    staff.get_by_role("link", name=title).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(title)
    expect(described(staff, "状态")).to_have_text("待形式审查")
    audit = staff.get_by_role("region", name="形式审查", exact=True)
    audit.get_by_role("radio", name="退回补正").check()
    audit.get_by_label("审核意见").fill(FIX_ITEM)
    audit.get_by_role("button", name="提交审查结论").click()
    expect(alert(staff, "已记录形式审查结论：退回补正。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("退回补正")

    # --- 3. The applicant reads the item and resubmits from 核对并提交 (no field needs changing).
    owner = open_session()
    log_in(owner, applicant, "我的申报")
    owner.get_by_role("link", name=title).click()
    expect(described(owner, "状态")).to_have_text("退回补正")
    returned = owner.get_by_role("region", name="审核人员退回补正")
    expect(returned.get_by_role("listitem")).to_have_text([FIX_ITEM])
    returned.get_by_role("link", name="开始修改").click()
    owner.get_by_role("navigation", name="填报步骤").get_by_role("link", name="核对并提交").click()
    expect(owner.get_by_role("heading", name="核对并提交")).to_be_visible()
    owner.get_by_role("button", name="提交申报").click()
    expect(alert(owner, "已提交（第 2 版）")).to_have_text(f"已提交（第 2 版），编号 {filing.number}。")
    expect(described(owner, "状态")).to_have_text("待形式审查")

    # --- 4. Staff tick the kind's whole checklist, pass the audit and assign three experts.
    open_from_queue(staff, "待形式审查", title)
    expect(described(staff, "提交时间")).to_contain_text("（第 2 版）")
    audit = staff.get_by_role("region", name="形式审查", exact=True)
    checklist = audit.get_by_role("group", name="核查清单").get_by_role("checkbox")
    expect(checklist).to_have_count(len(spec.audit_checklist))
    for box in checklist.all():
        box.check()
    audit.get_by_role("radio", name="通过", exact=True).check()
    audit.get_by_role("button", name="提交审查结论").click()
    expect(alert(staff, "已记录形式审查结论：通过。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("专家评审中")
    for name, org, _share in EXPERTS:
        staff.get_by_label("评审专家").select_option(label=f"{name}（{org}）")
        staff.get_by_role("button", name="分配", exact=True).click()
        expect(alert(staff, f"已分配评审专家：{name}。")).to_be_visible()
    expect(staff.get_by_role("region", name="专家评审")).to_contain_text("已提交 0 / 3 位")

    # --- 5. Each expert scores within every criterion's maximum and recommends it.
    for expert, (name, _org, share) in zip(experts, EXPERTS, strict=True):
        reviewer = open_session()
        log_in(reviewer, expert, "我的评审任务")
        row = reviewer.get_by_role("row").filter(has_text=title)
        expect(row).to_contain_text("待评审")
        row.get_by_role("link", name="评审").click()
        expect(reviewer.get_by_role("heading", level=1)).to_have_text(title)
        for criterion in spec.score_sheet:
            score = round(criterion["max"] * share)
            assert 0 <= score <= criterion["max"]
            reviewer.get_by_label(f"{criterion['label']}（满分 {criterion['max']} 分）").fill(str(score))
        reviewer.get_by_role("radio", name="建议通过").check()
        reviewer.get_by_label("评审意见").fill(f"{name}：申报材料完整，工作基础扎实，建议通过。")
        reviewer.get_by_role("button", name="提交评审意见").click()
        expect(alert(reviewer, "评审意见已提交，谢谢！")).to_be_visible()
        expect(reviewer.get_by_text("评审建议：建议通过")).to_be_visible()

    # --- 6. Staff approve and publish a publicity batch.
    staff.reload()
    expect(staff.get_by_role("region", name="专家评审")).to_contain_text("已提交 3 / 3 位")
    expect(staff.get_by_role("region", name="专家评审")).to_contain_text("建议通过 3 位")
    staff.get_by_role("radio", name="评审通过", exact=True).check()
    staff.get_by_role("button", name="确认决定").click()
    expect(alert(staff, "评审通过，待发布公示。")).to_be_visible()
    expect(described(staff, "状态")).to_have_text("评审通过待公示")
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="公示管理").click()
    staff.get_by_role("link", name="发布公示").click()
    staff.get_by_role("listitem").filter(has_text=call.title).get_by_role("link", name="1 件待公示").click()
    expect(staff.get_by_role("heading", name=f"发布公示：{call.title}")).to_be_visible()
    staff.get_by_role("checkbox", name=re.compile(re.escape(title))).check()
    staff.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    staff.get_by_role("button", name="发布公示").click()
    expect(alert(staff, "已发布公示")).to_contain_text(f"“{batch_title(call)}”")
    expect(staff.get_by_role("region", name=batch_title(call))).to_contain_text("公示中")

    # --- 7. Once the period is over (moved into the past in the DB), staff register it.
    today = timezone.localdate()
    PublicityBatch.objects.filter(call=call).update(
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    open_from_queue(staff, "公示中", title)
    expect(staff.get_by_role("region", name="入库/立项")).to_contain_text("公示期满且无未处理或成立的异议")
    staff.get_by_role("button", name="入库/立项").click()
    expect(alert(staff, "已入库/立项")).to_have_text(f"已入库/立项，编号 {registry_number}。")
    expect(described(staff, "状态")).to_have_text("已入库/已立项")

    # --- 8. The public finds it in the 备案库 under its registry number.
    visitor = open_session()
    visitor.goto("/public/")
    visitor.get_by_role("navigation", name="主导航").get_by_role("link", name="备案库").click()
    expect(visitor.get_by_role("heading", name="备案库")).to_be_visible()
    visitor.get_by_label("名称、编号、单位或信用代码").fill(registry_number)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.get_by_text("共 1 条")).to_be_visible()
    entry = visitor.get_by_role("row").filter(has_text=title)
    expect(entry).to_contain_text(registry_number)
    entry.get_by_role("link", name=registry_number).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(described(visitor, "备案号/立项号")).to_have_text(registry_number)

    assert Filing.objects.get(pk=filing.pk).state == State.REGISTERED
