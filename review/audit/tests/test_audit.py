"""The material audit taken on a filing's page: pass, return for 补正, reject."""

import pytest

from filings import kinds
from filings.models import FilingEvent
from filings.states import State
from review.models import AuditRecord
from review.tests.desk import (
    IP,
    audit_post,
    page_url,
    submitted_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]


# --- material audit ------------------------------------------------------------------


def test_audit_pass_moves_to_expert_review_with_the_checklist(staff_client, staff):
    filing = submitted_filing()

    response = staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, "pass"), REMOTE_ADDR=IP)

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW
    record = AuditRecord.objects.get(filing=filing)
    assert (record.outcome, record.staff, record.version.number) == ("pass", staff, 1)
    assert all(record.checklist.values()) and len(record.checklist) == len(kinds.get("ALLIANCE").audit_checklist)
    event = FilingEvent.objects.filter(filing=filing).latest("id")
    assert (event.action, event.client_ip) == ("audit_pass", IP)


def test_audit_pass_with_incomplete_checklist_is_refused_on_the_form(staff_client):
    filing = submitted_filing()

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "pass", unticked=("m2_signed",))
    )

    assert response.status_code == 200
    assert "核查清单尚有未勾选的项目" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    assert not AuditRecord.objects.exists()


def test_audit_return_records_the_items_to_fix(staff_client):
    filing = submitted_filing()
    comment = "M2 章程缺少成员单位法定代表人签字\n补充专利池许可合同备案证明"

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "return", comment=comment, unticked=("m2_signed",))
    )

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.RETURNED
    record = AuditRecord.objects.get(filing=filing)
    assert record.fix_items == ["M2 章程缺少成员单位法定代表人签字", "补充专利池许可合同备案证明"]
    assert record.checklist["m2_signed"] is False


@pytest.mark.parametrize(
    ("outcome", "message"), [("return", "退回补正须列明需修改的内容，每行一项。"), ("reject", "不予通过须写明理由。")]
)
def test_audit_return_or_reject_without_comment_is_refused_at_the_field(staff_client, outcome, message):
    filing = submitted_filing()

    response = staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, outcome, comment="  "))

    assert response.status_code == 200
    assert response.context["audit_form"].errors["comment"] == [message]
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_audit_reject_ends_the_filing_with_the_reason(staff_client):
    filing = submitted_filing()

    staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "reject", comment="联盟成员均非本市单位")
    )

    filing.refresh_from_db()
    assert filing.state == State.REJECTED
    assert FilingEvent.objects.filter(filing=filing).latest("id").comment == "联盟成员均非本市单位"


def test_audit_after_someone_else_acted_shows_the_refresh_message(staff_client):
    filing = submitted_filing()
    staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, "pass"))

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "return", comment="请补充章程"), follow=True
    )

    assert "可能已有其他人处理，请刷新页面查看" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW
    assert AuditRecord.objects.filter(filing=filing).count() == 1
