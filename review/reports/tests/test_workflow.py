"""The report's transition table: every (state, action) pair, who may act, and what each step writes."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import StaffFactory, UserFactory
from filings.models import OutboxMessage
from review.reports.models import ReportEvent, ReportState, ReportVersion, YearlyReport
from review.reports.services import report_decide, report_submit
from review.reports.tests.factories import CONSORTIUM_YEAR1, registered_consortium, report
from review.reports.workflow import TABLE, report_transition

pytestmark = pytest.mark.django_db

ALLOWED = {
    (ReportState.DRAFT, "submit"): ReportState.SUBMITTED,
    (ReportState.RETURNED, "resubmit"): ReportState.SUBMITTED,
    (ReportState.SUBMITTED, "return"): ReportState.RETURNED,
    (ReportState.SUBMITTED, "accept"): ReportState.ACCEPTED,
}
ACTIONS = ["submit", "resubmit", "return", "accept"]
STAFF_ACTIONS = {"return", "accept"}
PAIRS = [(state, action) for state in ReportState for action in ACTIONS]


def test_table_is_exactly_the_allowed_pairs():
    assert {(source, t.action): t.target for t in TABLE for source in t.sources} == ALLOWED


@pytest.fixture
def filing():
    return registered_consortium()


def _complete_report(filing, state):
    return report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, state=state, files=("R1",))


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_pair_moves_or_is_refused(filing, state, action):
    row = _complete_report(filing, state)
    actor = StaffFactory() if action in STAFF_ACTIONS else filing.created_by
    target = ALLOWED.get((state, action))
    if target is None:
        with pytest.raises(ValidationError) as refusal:
            report_transition(report=row, action=action, actor=actor, comment="请补充说明")
        assert refusal.value.code == "wrong_state"
        assert YearlyReport.objects.get(pk=row.pk).state == state
        assert not ReportEvent.objects.filter(report=row).exists()
    else:
        report_transition(report=row, action=action, actor=actor, comment="请补充说明", client_ip="203.0.113.7")
        assert YearlyReport.objects.get(pk=row.pk).state == target
        event = ReportEvent.objects.get(report=row)
        assert (event.action, event.from_state, event.to_state, event.actor, event.client_ip) == (
            action,
            state,
            target,
            actor,
            "203.0.113.7",
        )


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_only_the_right_people_may_act(filing, state, action):
    row = _complete_report(filing, state)
    wrong = [filing.created_by, UserFactory()] if action in STAFF_ACTIONS else [StaffFactory(), UserFactory()]
    for actor in wrong:
        with pytest.raises(ValidationError) as refusal:
            report_transition(report=row, action=action, actor=actor, comment="意见")
        assert refusal.value.code == "not_allowed"
    assert YearlyReport.objects.get(pk=row.pk).state == state


def test_submission_of_an_incomplete_report_names_what_is_missing(filing):
    row = report(filing, filing.registered_at.year, {**CONSORTIUM_YEAR1, "sme_count": None})

    with pytest.raises(ValidationError) as refusal:
        report_submit(report=row, actor=filing.created_by)

    assert refusal.value.messages == ["年度报告尚不完整，请填写或上传：受益中小微企业数量、年度工作报告。"]
    assert YearlyReport.objects.get(pk=row.pk).state == ReportState.DRAFT


def test_return_needs_reasons(filing):
    row = _complete_report(filing, ReportState.SUBMITTED)

    with pytest.raises(ValidationError) as refusal:
        report_decide(report=row, actor=StaffFactory(), accept=False, comment="  ")

    assert refusal.value.messages == ["请填写退回理由，写明需要修改的内容。"]


def test_each_submission_freezes_a_version_and_queues_mail_and_pdf_on_commit(
    filing, django_capture_on_commit_callbacks, mailoutbox
):
    row = _complete_report(filing, ReportState.DRAFT)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = report_submit(report=row, actor=filing.created_by)
        keys = set(OutboxMessage.objects.values_list("key", flat=True))
        assert keys == {f"report-event:{ReportEvent.objects.get().pk}", f"report-pdf:{version.pk}"}
        assert mailoutbox == []
    assert len(callbacks) == 2
    assert (version.number, version.figures) == (1, CONSORTIUM_YEAR1)
    assert [m["code"] for m in version.materials] == ["R1"]
    assert [mail.subject for mail in mailoutbox] == [
        f"[知识产权备案申报] 您单位的{row.year}年度绩效报告：已报送，待审核"
    ]
    assert ReportVersion.objects.get(pk=version.pk).document.size > 0


def test_events_are_append_only(filing):
    row = _complete_report(filing, ReportState.SUBMITTED)
    report_decide(report=row, actor=StaffFactory(), accept=True)
    event = ReportEvent.objects.get(report=row)

    with pytest.raises(ValueError):
        event.save()
