"""Experts assigned on a filing's page, conflicts of interest, and the decision with the scores in view."""

from decimal import Decimal

import pytest

from accounts.tests.factories import (
    ExpertFactory,
)
from filings.models import FilingEvent
from filings.states import State
from review.models import ExpertAssignment
from review.tests.desk import (
    IP,
    in_state,
    page_url,
    score,
    submitted_filing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]


# --- experts -------------------------------------------------------------------------


def test_expert_assign_assigns_an_active_expert(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    expert = ExpertFactory(expert_organisation_name="复旦大学")
    ExpertFactory(is_active=False)

    page = staff_client.get(page_url(filing))
    offered = list(page.context["assign_form"].fields["expert"].queryset)
    response = staff_client.post(page_url(filing, "review:filing-assign"), {"expert": expert.pk})

    assert offered == [expert]
    assert "复旦大学" in page.content.decode()
    assert response.status_code == 302
    assert list(ExpertAssignment.objects.filter(filing=filing).values_list("expert", flat=True)) == [expert.pk]


@pytest.mark.parametrize(("party", "reason"), [("member", "是该申报的成员单位"), ("applicant", "是申报单位")])
def test_expert_assign_conflict_is_refused_with_the_reason(staff_client, party, reason):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    name = "上海晶圆制造有限公司" if party == "member" else filing.organisation.name
    expert = ExpertFactory(expert_organisation_name=name)

    response = staff_client.post(page_url(filing, "review:filing-assign"), {"expert": expert.pk})

    assert response.status_code == 200
    assert response.context["assign_form"].errors["expert"] == [f"专家所在单位“{name}”{reason}，须回避。"]
    assert reason in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def test_decide_with_three_scored_assignments_shows_the_mean_and_approves(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    for total in (80, 85, 93):
        score(filing, total)

    page = staff_client.get(page_url(filing))
    response = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "approve"}, REMOTE_ADDR=IP)

    assert page.context["review_summary"] == {"done": 3, "needed": 3, "mean": Decimal("86.0"), "approve": 3}
    html = page.content.decode()
    assert "86.0" in html and "建议通过" in html
    assert "assign_form" not in page.context  # three of three assigned
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.REVIEWED
    assert FilingEvent.objects.filter(filing=filing).latest("id").client_ip == IP


def test_decide_before_every_expert_has_scored_is_refused_on_the_form(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    score(filing, 80)

    response = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "approve"})

    assert response.status_code == 200
    assert response.context["decide_form"].non_field_errors() == [
        "已有 1 位专家提交评审意见，需 3 位全部完成后方可决定。"
    ]
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW


def test_decide_reject_needs_a_reason_then_rejects(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)

    refused = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "reject"})
    rejected = staff_client.post(
        page_url(filing, "review:filing-decide"), {"decision": "reject", "comment": "得分过低"}
    )

    assert refused.context["decide_form"].errors["comment"] == ["不予通过须写明理由。"]
    assert rejected.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.REJECTED
