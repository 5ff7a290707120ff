"""The transition table, walked in full: every (state, action, role) combination."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import AdminFactory, ExpertFactory, StaffFactory, UserFactory
from filings import workflow
from filings.models import Filing, FilingEvent, OutboxMessage
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.product_factories import ProductFilingFactory
from review.models import ExpertAssignment, PublicityBatch, PublicityEntry

pytestmark = pytest.mark.django_db

# One kind with expert review and publicity, and PRODUCT, whose audit registers (SPEC §2).
KIND_FACTORIES = {"ALLIANCE": AllianceFilingFactory, "PRODUCT": ProductFilingFactory}
ROLES = ["own applicant", "other applicant", "staff", "admin", "expert"]
ACTIONS = [t.action for t in workflow.TABLE]
ALLOWED = {  # action -> roles that may take it (the table's `may_act`, spelled out for the reader)
    "submit": {"own applicant"},
    "resubmit": {"own applicant"},
    "withdraw": {"own applicant"},
    "return": {"staff", "admin"},
    "audit_pass": {"staff", "admin"},
    "review_pass": {"staff", "admin"},
    "publish": {"staff", "admin"},
    "register": {"staff", "admin"},
    "product_register": {"staff", "admin"},
    "withdraw_record": {"own applicant"},
    "uphold_objection": {"staff", "admin"},
    "reject": {"staff", "admin"},
}


def actor_for(role: str, filing: Filing):
    return {
        "own applicant": lambda: UserFactory(organisation=filing.organisation),
        "other applicant": UserFactory,
        "staff": StaffFactory,
        "admin": AdminFactory,
        "expert": ExpertFactory,
    }[role]()


def satisfy_guards(filing: Filing) -> None:
    """Makes every guard pass, so that only state and role decide."""
    staff = StaffFactory()
    for _i in range(filing.call.expert_count):
        ExpertAssignment.objects.create(
            filing=filing,
            expert=ExpertFactory(),
            assigned_by=staff,
            due_at=timezone.now(),
            submitted_at=timezone.now(),
            total=80,
        )
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=3),
        published_by=staff,
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("kind", KIND_FACTORIES)
def test_transition_table_every_state_action_and_role(kind, state, action, role):
    filing = KIND_FACTORIES[kind]()
    Filing.objects.filter(pk=filing.pk).update(state=state)  # test setup: place the filing in the state
    filing.refresh_from_db()
    satisfy_guards(filing)
    actor = actor_for(role, filing)
    transition = next(t for t in workflow.TABLE if t.action == action)
    of_kind = transition.applies_to(kind)
    allowed = of_kind and state in transition.sources and role in ALLOWED[action]

    if allowed:
        workflow.filing_transition(filing=filing, action=action, actor=actor, comment="理由")
        filing.refresh_from_db()
        assert filing.state == transition.target
        event = FilingEvent.objects.get(filing=filing)
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            transition.target,
            actor,
        )
        assert OutboxMessage.objects.filter(key=f"notify:{event.pk}").exists()
    else:
        with pytest.raises(ValidationError) as refused:
            workflow.filing_transition(filing=filing, action=action, actor=actor, comment="理由")
        if not of_kind:
            expected = "unknown_action"
        elif state not in transition.sources:
            expected = "wrong_state"
        else:
            expected = "not_allowed"
        assert refused.value.code == expected
        assert refused.value.messages[0]  # a sentence a person can read
        filing.refresh_from_db()
        assert filing.state == state
        assert not FilingEvent.objects.exists()


def test_transition_needs_a_comment_where_the_table_says_so():
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.SUBMITTED)

    with pytest.raises(ValidationError) as refused:
        workflow.filing_transition(filing=filing, action="return", actor=StaffFactory(), comment="  ")

    assert refused.value.code == "comment_required"


def test_review_pass_waits_for_every_expert():
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.EXPERT_REVIEW)

    with pytest.raises(ValidationError) as refused:
        workflow.filing_transition(filing=filing, action="review_pass", actor=StaffFactory())

    assert refused.value.code == "guard"
    assert "需 3 位全部完成" in refused.value.messages[0]


def test_registration_waits_for_the_end_of_publicity():
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.PUBLICITY)
    staff = StaffFactory()
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call, title="公示", starts_on=today, ends_on=today + timedelta(days=6), published_by=staff
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)

    with pytest.raises(ValidationError) as refused:
        workflow.filing_transition(filing=filing, action="register", actor=staff)

    assert refused.value.messages == ["公示期尚未结束，不能入库。"]


def test_event_rows_are_append_only():
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.SUBMITTED)
    workflow.filing_transition(filing=filing, action="return", actor=StaffFactory(), comment="请补充M2")
    event = FilingEvent.objects.get()

    event.comment = "改写"
    with pytest.raises(ValueError):
        event.save()
