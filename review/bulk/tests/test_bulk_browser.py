"""The review desk in the browser with bulk actions: staff pass the audit of two filings and
assign experts to both at once, one expert declines, staff assign another, the scores come in,
a 公示 is published in bulk, an objection shows in the queue and is dismissed from the filing's
page, the batch is registered in bulk, and the applicant sees its number and downloads its 备案证明."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import ExpertFactory, StaffFactory
from filings.kinds.alliance.kind import SCORE_SHEET
from filings.models import Call, Filing, RegistrationDocument
from filings.services import filing_save_step, filing_submit
from filings.states import State
from filings.tests.alliance_factories import complete_alliance_filing
from review.models import PublicityBatch
from review.tests.test_review_browser import alert, described, log_in, open_session  # noqa: F401
from workdays import calendar
from workdays.models import CalendarYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ("上海智能网联汽车产业知识产权联盟", "上海生物医药产业知识产权联盟")
SCORES = (18, 17, 13, 22, 18)


def tick_and_preview(staff: Page, filings: list[Filing], action: str) -> None:
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="审核工作台").click()
    for filing in filings:
        staff.get_by_role("checkbox", name=f"选择 {filing.number}").check()
    staff.get_by_label("对勾选的申报").select_option(label=action)
    staff.get_by_role("button", name="预览批量操作").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"批量操作：{action}")


def confirm(staff: Page, n: int) -> None:
    staff.get_by_role("button", name=f"确认处理 {n} 件").click()
    expect(staff.get_by_role("status")).to_have_text(re.compile(rf"已完成：成功 {n} 件，未处理 0 件。"))


def score(page: Page, expert, filing: Filing) -> None:
    log_in(page, expert, "我的评审任务")
    page.get_by_role("row").filter(has_text=filing.number).get_by_role("link", name="评审").click()
    for criterion, value in zip(SCORE_SHEET, SCORES, strict=True):
        page.get_by_label(f"{criterion['label']}（满分 {criterion['max']} 分）").fill(str(value))
    page.get_by_role("radio", name="建议通过").check()
    page.get_by_label("评审意见").fill("成员结构合理，建议通过备案。")
    page.get_by_role("button", name="提交评审意见").click()
    expect(alert(page, "评审意见已提交，谢谢！")).to_be_visible()
    page.context.clear_cookies()


def test_review_desk_with_bulk_actions(open_session):  # noqa: F811
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        if not calendar._library_knows(year):
            CalendarYear.objects.get_or_create(year=year)
    first, second = (complete_alliance_filing(name=name) for name in NAMES)
    Filing.objects.filter(pk=second.pk).update(call=first.call)  # test setup: one call
    Call.objects.filter(pk=first.call_id).update(expert_count=2)
    filings = []
    for made in (first, second):
        filing = Filing.objects.get(pk=made.pk)
        filing_save_step(filing=filing)
        filing_submit(filing=filing, actor=filing.created_by)
        filings.append(Filing.objects.get(pk=filing.pk))
    first, second = filings
    zhao, qian, sun = (
        ExpertFactory(name=name, expert_organisation_name=org)
        for name, org in (("赵评审", "上海交通大学"), ("钱评审", "复旦大学"), ("孙评审", "同济大学"))
    )

    # --- Staff pass the audit of both at once, then assign two experts to both at once.
    staff = open_session()
    log_in(staff, StaffFactory(name="陈审核"), "审核工作台")
    tick_and_preview(staff, filings, "形式审查通过")
    expect(staff.get_by_text("预计可处理 2 件")).to_be_visible()
    confirm(staff, 2)
    tick_and_preview(staff, filings, "分配评审专家")
    expect(staff.get_by_label(re.compile("^赵评审（上海交通大学）· 在评 0 件"))).to_be_visible()
    staff.get_by_label(re.compile("^赵评审")).check()
    staff.get_by_label(re.compile("^钱评审")).check()
    confirm(staff, 2)
    expect(staff.get_by_role("row").filter(has_text=first.number)).to_contain_text("已分配：")

    # --- 赵 declines the first filing; staff assign 孙 in his place.
    expert = open_session()
    log_in(expert, zhao, "我的评审任务")
    expert.get_by_role("row").filter(has_text=first.number).get_by_role("link", name="评审").click()
    decline = expert.get_by_role("region", name="无法评审？")
    decline.get_by_role("radio", name="谢绝评审").check()
    decline.get_by_label("原因").fill("近期出差，无法按时评审。")
    decline.get_by_role("button", name="提交").click()
    expect(alert(expert, "已告知审核人员")).to_be_visible()
    expert.context.clear_cookies()

    staff.goto(f"/review/filing/{first.pk}/")
    panel = staff.get_by_role("region", name="专家评审")
    expect(panel.get_by_role("row").filter(has_text="赵评审")).to_contain_text("专家谢绝")
    staff.get_by_label("评审专家").select_option(label="孙评审（同济大学）")
    staff.get_by_role("button", name="分配", exact=True).click()
    expect(alert(staff, "已分配评审专家：孙评审。")).to_be_visible()

    # --- The scores come in; staff approve both.
    for person, filing in ((qian, first), (sun, first), (zhao, second), (qian, second)):
        score(expert, person, filing)
    for filing in filings:
        staff.goto(f"/review/filing/{filing.pk}/")
        staff.get_by_role("radio", name="评审通过", exact=True).check()
        staff.get_by_role("button", name="确认决定").click()
        expect(alert(staff, "评审通过，待发布公示。")).to_be_visible()

    # --- A 公示 batch published in bulk.
    tick_and_preview(staff, filings, "发布公示")
    expect(staff.get_by_label("公示开始日期")).to_have_value(today.isoformat())
    confirm(staff, 2)
    batch = PublicityBatch.objects.get()

    # --- The public objects to the first; the objector gets a receipt number.
    public = open_session()
    public.goto(f"/public/publicity/{batch.pk}/")
    public.get_by_role("row").filter(has_text=NAMES[0]).get_by_role("link", name="提出异议").click()
    form = public.get_by_role("region", name="提出异议")
    form.get_by_label("真实姓名").fill("吴异议")
    form.get_by_label("所在单位").fill("个人")
    form.get_by_label("联系电话").fill("13916660000")
    form.get_by_label("异议理由").fill("成员单位未签署合作协议。")
    form.get_by_role("button", name="提交异议").click()
    expect(alert(public, "受理编号：YY")).to_be_visible()

    # --- The objection shows in the queue; staff dismiss it from the filing's page.
    staff.get_by_role("navigation", name="主导航").get_by_role("link", name="审核工作台").click()
    staff.get_by_label("异议").select_option(label="有待处理的异议")
    staff.get_by_role("button", name="筛选").click()
    expect(staff.get_by_text("共 1 件")).to_be_visible()
    staff.get_by_role("link", name="待处理异议 1").click()
    objections = staff.get_by_role("region", name="公示异议")
    expect(objections).to_contain_text("成员单位未签署合作协议。")
    objections.get_by_role("link", name="处理该异议").click()
    staff.get_by_role("radio", name="不予采纳").check()
    staff.get_by_label("处理理由").fill("经核实，协议已签署。")
    staff.get_by_role("button", name="提交处理结果").click()
    expect(alert(staff, "异议已处理。")).to_be_visible()
    expect(staff.get_by_role("heading", level=1)).to_have_text(NAMES[0])

    # --- Once the period is over, the batch is registered in bulk.
    PublicityBatch.objects.filter(pk=batch.pk).update(  # test setup: five working days are no test
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=1)
    )
    tick_and_preview(staff, filings, "入库/立项")
    confirm(staff, 2)
    registered = Filing.objects.get(pk=first.pk)
    assert registered.state == State.REGISTERED

    # --- The applicant sees the number and downloads the 备案证明.
    owner = open_session()
    log_in(owner, first.created_by, "我的申报")
    expect(owner.get_by_role("row").filter(has_text=first.number)).to_contain_text(registered.registry_number)
    owner.get_by_role("link", name=NAMES[0]).first.click()
    expect(described(owner, "备案号/立项号")).to_contain_text(registered.registry_number)
    with owner.expect_download() as download:
        owner.get_by_role("link", name="下载备案证明PDF").click()
    assert download.value.suggested_filename == f"{registered.registry_number}-备案证明.pdf"
    assert RegistrationDocument.objects.filter(filing=registered).exists()
