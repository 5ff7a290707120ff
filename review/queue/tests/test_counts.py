"""The queue's counts per state, kept by the database on PostgreSQL: exact after every kind of
change, and under changes made at the same instant."""

import pytest
from django.db.models import Count

from accounts.models import District
from accounts.tests.factories import StaffFactory
from filings import workflow
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.factories import CallFactory
from filings.tests.threads import run_at_once, skip_unless_postgres
from review.queue.selectors import state_counts

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def counted(**filters) -> dict[str, int]:
    """What a full scan says, for comparison."""
    filings = Filing.objects.exclude(state=State.DRAFT).filter(**filters)
    grouped = dict(filings.order_by().values_list("state").annotate(n=Count("id")))
    counts = {state.value: grouped.get(state.value, 0) for state in State if state != State.DRAFT}
    counts["all"] = sum(counts.values())
    return counts


def test_counts_follow_transitions_bulk_updates_deletes_and_a_district_change():
    call, other_call = CallFactory(), CallFactory()
    filings = [AllianceFilingFactory(call=call) for _i in range(6)] + [AllianceFilingFactory(call=other_call)]
    Filing.objects.filter(pk__in=[f.pk for f in filings]).update(state=State.SUBMITTED)  # a bulk update
    workflow.filing_transition(filing=filings[0], action="audit_pass", actor=StaffFactory())
    workflow.filing_transition(filing=filings[1], action="return", actor=StaffFactory(), comment="请补充")
    moved = filings[2].organisation
    moved.district = District.CHONGMING
    moved.save(update_fields=["district"])
    Filing.objects.filter(pk=filings[3].pk).update(call=other_call)

    assert state_counts({}) == counted()
    assert state_counts({"call": call.pk}) == counted(call=call)
    assert state_counts({"call": other_call.pk}) == counted(call=other_call)
    assert state_counts({"district": District.CHONGMING})["submitted"] == 1
    assert state_counts({"call": call.pk})["expert_review"] == 1


def test_counts_stay_exact_when_staff_act_at_the_same_instant():
    call = CallFactory()
    filings = [AllianceFilingFactory(call=call) for _i in range(8)]
    Filing.objects.filter(call=call).update(state=State.SUBMITTED)
    staff = StaffFactory()

    results = run_at_once(
        [lambda f=f: workflow.filing_transition(filing=f, action="audit_pass", actor=staff) for f in filings]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert state_counts({"call": call.pk}) == counted(call=call)
    assert state_counts({"call": call.pk})["expert_review"] == 8
