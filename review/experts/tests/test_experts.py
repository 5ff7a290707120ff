"""The expert's pages: own assignments only, the score sheet, and the reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ExpertFactory, StaffFactory, UserFactory
from filings.models import Filing
from filings.services import filing_submit
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory, MaterialFactory, complete_alliance_filing
from review.experts.services import score_sheet
from review.experts.tasks import expert_reminders_task
from review.models import ExpertAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]

FULL_MARKS = {"base": 18, "members": 17.5, "charter": 12, "pools": 20, "operation": 15}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submitted_filing() -> Filing:
    """A complete ALLIANCE filing, submitted once (a frozen version) and passed to the experts."""
    filing = complete_alliance_filing()
    filing_submit(filing=filing, actor=filing.created_by)
    Filing.objects.filter(pk=filing.pk).update(state=State.EXPERT_REVIEW)  # test setup: audit passed
    return Filing.objects.get(pk=filing.pk)


def assign(filing: Filing, expert, **fields) -> ExpertAssignment:
    fields.setdefault("due_at", timezone.now() + timedelta(days=7))
    return ExpertAssignment.objects.create(filing=filing, expert=expert, assigned_by=StaffFactory(), **fields)


def score_post(**overrides) -> dict:
    data = {f"score_{key}": value for key, value in FULL_MARKS.items()}
    data.update(recommendation="approve", comment="联盟结构合理，专利池运营方案可行。")
    data.update(overrides)
    return data


# --- the list ------------------------------------------------------------------------


def test_expert_home_lists_only_own_assignments_open_first(client, expert):
    later = assign(AllianceFilingFactory(), expert, due_at=timezone.now() + timedelta(days=9))
    sooner = assign(AllianceFilingFactory(), expert, due_at=timezone.now() + timedelta(days=3))
    done = assign(AllianceFilingFactory(), expert, submitted_at=timezone.now(), due_at=timezone.now())
    assign(AllianceFilingFactory(), ExpertFactory())  # someone else's
    client.force_login(expert)

    response = client.get(reverse("review:expert-home"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [sooner, later, done]


def test_expert_home_query_count_does_not_grow_with_assignments(client, expert, django_assert_num_queries):
    client.force_login(expert)
    assign(AllianceFilingFactory(), expert)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("review:expert-home"))
    for _i in range(4):
        assign(AllianceFilingFactory(), expert)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("review:expert-home"))

    assert len(response.context["page"].object_list) == 5


@pytest.mark.parametrize("role", ["applicant", "staff"])
def test_expert_pages_refuse_other_roles(client, role):
    user = UserFactory() if role == "applicant" else StaffFactory()
    assignment = assign(AllianceFilingFactory(), ExpertFactory())
    client.force_login(user)

    assert client.get(reverse("review:expert-home")).status_code == 403
    assert client.get(reverse("review:expert-score", args=[assignment.pk])).status_code == 403


def test_expert_home_anonymous_goes_to_login(client):
    response = client.get(reverse("review:expert-home"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- the score page ------------------------------------------------------------------


def test_expert_score_other_experts_assignment_is_404(client, expert):
    theirs = assign(submitted_filing(), ExpertFactory())
    client.force_login(expert)

    assert client.get(reverse("review:expert-score", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("review:expert-score", args=[theirs.pk]), score_post()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.submitted_at is None


def test_expert_score_missing_assignment_is_404(client, expert):
    client.force_login(expert)

    assert client.get(reverse("review:expert-score", args=[987654])).status_code == 404


def test_expert_score_page_shows_the_frozen_version_and_the_sheet(client, expert):
    filing = submitted_filing()
    assignment = assign(filing, expert)
    version = filing.versions.get()
    client.force_login(expert)

    response = client.get(reverse("review:expert-score", args=[assignment.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "上海车规芯片产业知识产权联盟" in html  # 联盟名称 from the frozen data
    assert "联盟名称" in html  # with the form's label
    assert "上海晶圆制造有限公司" in html  # a member row
    assert "车规级功率半导体" in html  # a pool row
    for material in version.materials:
        assert reverse("filings:material-download", args=[filing.pk, material["id"]]) in html
    form = response.context["form"]
    assert list(form.fields) == [f"score_{c['key']}" for c in score_sheet(filing.call)] + [
        "recommendation",
        "comment",
    ]
    assert 'value="approve"' in html and "建议通过" in html and "建议不通过" in html
    # The computed totals carry their labels, not their keys.
    assert "主导或参与技术标准数量合计（个）" in html and "成员数量合计（个）" in html
    assert "std_total" not in html and "count_total" not in html


def test_expert_score_shows_what_was_frozen_not_the_current_draft(client, expert):
    filing = submitted_filing()
    assignment = assign(filing, expert)
    filing.alliance.name = "改名后的联盟"
    filing.alliance.save()
    client.force_login(expert)

    html = client.get(reverse("review:expert-score", args=[assignment.pk])).content.decode()

    assert "上海车规芯片产业知识产权联盟" in html
    assert "改名后的联盟" not in html


def test_expert_score_out_of_range_is_refused_at_the_field(client, expert):
    assignment = assign(submitted_filing(), expert)
    client.force_login(expert)

    response = client.post(reverse("review:expert-score", args=[assignment.pk]), score_post(score_base="21"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "score_base": ["“发起单位专利基础与行业影响力（通知一、1）”应为 0 到 20 分。"]
    }
    assert "应为 0 到 20 分" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"score_pools": "-1"}, "score_pools", "“专利池（或专利组合）运营（通知一、5）”应为 0 到 25 分。"),
        ({"score_pools": "abc"}, "score_pools", "请输入数字分值。"),
        ({"score_pools": ""}, "score_pools", "请为“专利池（或专利组合）运营（通知一、5）”打分。"),
        ({"score_pools": "12.25"}, "score_pools", "分值最多保留一位小数。"),
        ({"recommendation": ""}, "recommendation", "请选择评审建议。"),
        ({"comment": " "}, "comment", "请填写评审意见。"),
    ],
)
def test_expert_score_bad_input_gets_a_chinese_message_at_the_field(client, expert, overrides, field, message):
    assignment = assign(submitted_filing(), expert)
    client.force_login(expert)

    response = client.post(reverse("review:expert-score", args=[assignment.pk]), score_post(**overrides))

    assert response.context["form"].errors == {field: [message]}


def test_expert_score_submission_stores_scores_and_total_then_is_read_only(client, expert):
    assignment = assign(submitted_filing(), expert)
    client.force_login(expert)
    url = reverse("review:expert-score", args=[assignment.pk])

    response = client.post(url, score_post())

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.scores == {key: float(value) for key, value in FULL_MARKS.items()}
    assert assignment.total == Decimal("82.5")
    assert assignment.recommendation == ExpertAssignment.Recommendation.APPROVE
    assert assignment.submitted_at is not None

    page = client.get(url)
    assert page.context["form"] is None
    html = page.content.decode()
    assert "82.5" in html
    assert "<textarea" not in html

    again = client.post(url, score_post(score_base="0", recommendation="reject"), follow=True)
    assert "该评审已提交或已结束，不能再修改。" in again.content.decode()
    assignment.refresh_from_db()
    assert assignment.total == Decimal("82.5")
    assert assignment.recommendation == ExpertAssignment.Recommendation.APPROVE


def test_expert_score_after_the_review_stage_shows_no_form(client, expert):
    filing = submitted_filing()
    assignment = assign(filing, expert)
    Filing.objects.filter(pk=filing.pk).update(state=State.REJECTED)
    client.force_login(expert)

    response = client.get(reverse("review:expert-score", args=[assignment.pk]))

    assert response.context["form"] is None
    assert "评审已结束" in response.content.decode()


# --- materials of assigned filings -----------------------------------------------------


def test_expert_downloads_materials_of_an_assigned_filing_only(client, expert):
    mine = MaterialFactory()
    other = MaterialFactory()
    assign(mine.filing, expert)
    client.force_login(expert)

    response = client.get(reverse("filings:material-download", args=[mine.filing_id, mine.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("filings:material-download", args=[other.filing_id, other.pk])).status_code == 404


# --- reminders -------------------------------------------------------------------------


def test_expert_reminders_task_mails_each_due_expert_once(expert, mailoutbox, settings):
    settings.EXPERT_REMINDER_DAYS = 2
    due_soon = assign(AllianceFilingFactory(title="临近截止的联盟"), expert, due_at=timezone.now() + timedelta(days=1))
    not_yet = assign(AllianceFilingFactory(), expert, due_at=timezone.now() + timedelta(days=15))
    done = assign(AllianceFilingFactory(), ExpertFactory(), due_at=timezone.now() + timedelta(hours=5))
    ExpertAssignment.objects.filter(pk=done.pk).update(submitted_at=timezone.now())

    assert expert_reminders_task.delay().get() == 1

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [expert.email]
    assert "评审提醒" in mail.subject
    assert "临近截止的联盟" in mail.body
    assert reverse("review:expert-score", args=[due_soon.pk]) in mail.body
    due_soon.refresh_from_db()
    not_yet.refresh_from_db()
    assert due_soon.reminded_at is not None
    assert not_yet.reminded_at is None

    assert expert_reminders_task() == 0
    assert len(mailoutbox) == 1


def test_expert_reminders_task_groups_an_experts_assignments_into_one_mail(expert, mailoutbox):
    for _i in range(2):
        assign(AllianceFilingFactory(), expert, due_at=timezone.now() + timedelta(hours=20))
    assign(AllianceFilingFactory(), ExpertFactory(), due_at=timezone.now() + timedelta(hours=20))

    assert expert_reminders_task() == 2

    assert sorted(len(m.to) for m in mailoutbox) == [1, 1]
    assert ExpertAssignment.objects.filter(reminded_at__isnull=True).count() == 0


def test_expert_reminders_task_failed_mail_is_tried_again_next_run(expert, mailoutbox, monkeypatch):
    assignment = assign(AllianceFilingFactory(), expert, due_at=timezone.now() + timedelta(hours=20))

    def broken(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("review.experts.tasks.send_mail", broken)
    assert expert_reminders_task() == 0
    assignment.refresh_from_db()
    assert assignment.reminded_at is None

    monkeypatch.undo()
    assert expert_reminders_task() == 1
    assert len(mailoutbox) == 1


def test_expert_reminders_task_is_scheduled_by_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "review.tasks.expert_reminders_task" in schedule
