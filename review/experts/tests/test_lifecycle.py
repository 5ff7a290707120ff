"""The expert's whole lifecycle: told by e-mail with a due date in working days, declines or
declares a conflict, staff withdraw and assign another; conflicts by parent organisation;
blind review; contact data never shown to an expert."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ExpertFactory
from filings.models import Call, FilingEvent
from filings.states import State
from filings.tests.alliance_factories import AllianceMemberFactory
from review.experts import services
from review.models import ExpertAssignment
from review.tests.desk import in_state, page_url, submitted_filing
from workdays.calendar import CalendarUnknown

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]

SCORES = {"score_base": 18, "score_members": 17, "score_charter": 12, "score_pools": 20, "score_operation": 15}


def in_review():
    return in_state(submitted_filing(), State.EXPERT_REVIEW)


def assign(filing, staff, expert=None):
    return services.expert_assign(filing=filing, expert=expert or ExpertFactory(), actor=staff)


def score_as(client, assignment):
    client.force_login(assignment.expert)
    return client.post(
        reverse("review:expert-score", args=[assignment.pk]),
        {**SCORES, "recommendation": "approve", "comment": "方案可行。"},
    )


def test_expert_due_date_counts_working_days_across_the_spring_festival():
    # 2026-02-14 and 02-28 (Saturdays) are 调休 working days; 春节 runs 15–23 February.
    due = services.expert_due_at(start=date(2026, 2, 13))

    assert timezone.localtime(due).date() == date(2026, 3, 5)


def test_expert_due_date_in_a_year_nobody_knows_is_refused():
    with pytest.raises(CalendarUnknown) as refused:
        services.expert_due_at(start=date(2049, 3, 1))

    assert "尚无 2049 年的法定节假日和调休安排" in refused.value.messages[0]


def test_expert_assign_mails_the_expert_with_the_due_date(staff, mailoutbox, django_capture_on_commit_callbacks):
    filing = in_review()
    expert = ExpertFactory(email="li.expert@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(filing, staff, expert)

    due = timezone.localtime(assignment.due_at)
    assert due == timezone.make_aware(
        datetime.combine(services.add_working_days(timezone.localdate(), 10), datetime.min.time()).replace(
            hour=23, minute=59
        )
    )
    assert [m.to for m in mailoutbox] == [["li.expert@example.com"]]
    assert f"评审截止时间：{due.year}年{due.month}月{due.day}日 23:59" in mailoutbox[0].body
    assert reverse("review:expert-score", args=[assignment.pk]) in mailoutbox[0].body
    assert FilingEvent.objects.filter(filing=filing, action="expert_assign").count() == 1


def test_expert_declines_then_staff_assign_another_and_the_decision_is_possible(staff, staff_client):
    client = Client()
    filing = in_review()
    first, second, third = (assign(filing, staff) for _i in range(3))
    client.force_login(first.expert)

    declined = client.post(
        reverse("review:expert-decline", args=[first.pk]), {"what": "decline", "reason": "出差，无法按时评审"}
    )
    page = staff_client.get(page_url(filing))
    replacement = ExpertFactory()
    staff_client.post(page_url(filing, "review:filing-assign"), {"expert": replacement.pk})
    for assignment in (second, third, ExpertAssignment.objects.get(expert=replacement)):
        score_as(client, assignment)
    decided = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "approve"})

    assert declined.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.end_reason) == (ExpertAssignment.Status.DECLINED, "出差，无法按时评审")
    assert "assign_form" in page.context  # the place is free again
    assert "专家谢绝" in page.content.decode() and "出差，无法按时评审" in page.content.decode()
    assert decided.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.REVIEWED
    assert list(
        FilingEvent.objects.filter(filing=filing, action__startswith="expert_").values_list("action", flat=True)
    ) == ["expert_assign"] * 3 + ["expert_decline", "expert_assign"]


def test_expert_declares_a_conflict_with_a_reason(client, staff):
    filing = in_review()
    assignment = assign(filing, staff)
    client.force_login(assignment.expert)

    refused = client.post(reverse("review:expert-decline", args=[assignment.pk]), {"what": "conflict", "reason": ""})
    declared = client.post(
        reverse("review:expert-decline", args=[assignment.pk]), {"what": "conflict", "reason": "本人曾任该联盟顾问"}
    )

    assert refused.status_code == 200
    assert refused.context["decline_form"].errors["reason"] == ["请填写原因。"]
    assert declared.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == ExpertAssignment.Status.CONFLICT
    assert (
        FilingEvent.objects.filter(filing=filing, action="expert_conflict").get().comment.endswith("本人曾任该联盟顾问")
    )


def test_staff_withdraw_a_silent_expert_and_assign_another(staff_client, staff):
    filing = in_review()
    silent = assign(filing, staff)
    assign(filing, staff)
    assign(filing, staff)

    refused = staff_client.post(reverse("review:assignment-withdraw", args=[silent.pk]), {"reason": ""}, follow=True)
    withdrawn = staff_client.post(
        reverse("review:assignment-withdraw", args=[silent.pk]), {"reason": "多次联系未回复"}, follow=True
    )
    replacement = assign(filing, staff)

    assert "请填写撤回原因。" in refused.content.decode()
    assert "已撤回对" in withdrawn.content.decode()
    silent.refresh_from_db()
    assert (silent.status, silent.ended_by) == (ExpertAssignment.Status.WITHDRAWN, staff)
    assert replacement.status == ExpertAssignment.Status.OPEN
    assert FilingEvent.objects.filter(filing=filing, action="expert_withdraw").count() == 1
    with pytest.raises(ValidationError) as again:
        services.expert_withdraw(assignment=silent, actor=staff, reason="再次撤回")
    assert again.value.messages == ["该分配已结束（已撤回分配）。"]


def test_withdrawn_expert_may_no_longer_score(client, staff):
    filing = in_review()
    assignment = assign(filing, staff)
    services.expert_withdraw(assignment=assignment, actor=staff, reason="多次联系未回复")

    client.force_login(assignment.expert)
    page = client.get(reverse("review:expert-score", args=[assignment.pk]))
    with pytest.raises(ValidationError) as refused:
        services.expert_score_submit(
            assignment=assignment, actor=assignment.expert, scores={}, recommendation="approve", comment="x"
        )

    assert page.context["form"] is None and page.context["decline_form"] is None
    assert "该评审任务已结束（已撤回分配）" in page.content.decode()
    assert refused.value.messages == ["该分配已结束（已撤回分配），不能提交评审意见。"]


def test_a_score_submitted_twice_is_refused_by_the_service(client, staff):
    filing = in_review()
    assignment = assign(filing, staff)
    score_as(client, assignment)

    with pytest.raises(ValidationError) as refused:
        services.expert_score_submit(
            assignment=assignment,
            actor=assignment.expert,
            scores={"base": 1, "members": 1, "charter": 1, "pools": 1, "operation": 1},
            recommendation="reject",
            comment="改主意了",
        )

    assert refused.value.messages == ["该评审已提交，不能再修改。"]
    assignment.refresh_from_db()
    assert assignment.recommendation == "approve"


@pytest.mark.parametrize(
    ("member", "expert_at"),
    [("复旦大学", "复旦大学计算机科学技术学院"), ("上海某研究院材料研究所", "上海某研究院")],
)
def test_expert_from_a_parent_or_child_of_a_party_is_refused_with_why(staff_client, member, expert_at):
    filing = in_review()
    AllianceMemberFactory(filing=filing, name=member)
    expert = ExpertFactory(expert_organisation_name=expert_at)

    response = staff_client.post(page_url(filing, "review:filing-assign"), {"expert": expert.pk})

    assert response.context["assign_form"].errors["expert"] == [
        f"专家所在单位“{expert_at}”与参与单位“{member}”存在隶属关系，须回避。"
    ]
    assert not ExpertAssignment.objects.exists()


def test_parent_match_follows_the_setting(staff, settings):
    filing = in_review()
    AllianceMemberFactory(filing=filing, name="复旦大学")
    settings.EXPERT_CONFLICT_PARENT_SUFFIXES = ("集团",)

    assignment = assign(filing, staff, ExpertFactory(expert_organisation_name="复旦大学计算机科学技术学院"))

    assert assignment.status == ExpertAssignment.Status.OPEN


def test_blind_review_hides_the_applicant_and_its_people_on_every_expert_page(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    filing = in_review()
    Call.objects.filter(pk=filing.call_id).update(blind_review=True)
    filing.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(filing, staff)
    client.force_login(assignment.expert)

    pages = [
        client.get(reverse("review:expert-home")),
        client.get(reverse("review:expert-score", args=[assignment.pk])),
        client.post(reverse("review:expert-decline", args=[assignment.pk]), {"what": "decline", "reason": ""}),
    ]

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        for secret in (filing.organisation.name, filing.organisation.uscc, "张理事", "陈秘书"):
            assert secret not in html
    assert "盲评" in pages[1].content.decode()
    assert "联盟成员" in pages[1].content.decode()  # the content itself is there
    assert filing.organisation.name not in mailoutbox[0].body


def test_expert_never_sees_contact_data(client, staff):
    filing = in_review()
    assignment = assign(filing, staff)
    client.force_login(assignment.expert)

    html = client.get(reverse("review:expert-score", args=[assignment.pk])).content.decode()

    assert "张理事" in html  # not blind: names stay
    for contact in ("021-50801234", "13900139000"):
        assert contact not in html


def test_the_applicant_never_sees_who_the_experts_are(client, staff):
    filing = in_review()
    expert = ExpertFactory(name="赵评审")
    assignment = assign(filing, staff, expert)
    services.expert_withdraw(assignment=assignment, actor=staff, reason="赵评审未回复")
    client.force_login(filing.created_by)

    html = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()

    assert "赵评审" not in html


def test_reminder_window_counts_working_days_not_calendar_days(staff, settings):
    settings.EXPERT_REMINDER_DAYS = 2
    filing = in_review()
    # On Friday 2026-02-13 an assignment due Tuesday 2026-02-24 is two working days away
    # (Saturday the 14th is a 调休 working day, 15–23 are 春节) though eleven calendar days off.
    friday = timezone.make_aware(datetime(2026, 2, 13, 9, 0))
    holiday = assign(filing, staff)
    ExpertAssignment.objects.filter(pk=holiday.pk).update(due_at=timezone.make_aware(datetime(2026, 2, 24, 23, 59)))
    later = assign(filing, staff)
    ExpertAssignment.objects.filter(pk=later.pk).update(due_at=timezone.make_aware(datetime(2026, 2, 26, 23, 59)))

    assert services.expert_reminders_due(friday) == [ExpertAssignment.objects.get(pk=holiday.pk)]
