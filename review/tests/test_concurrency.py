"""Two people at the same moment: exactly one transition, and registry numbers without gaps.

Runs on PostgreSQL (CI sets DATABASE_URL); row locks are what is being tested.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from filings import workflow
from filings.models import Filing, FilingEvent
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.factories import CallFactory
from filings.tests.threads import run_at_once, skip_unless_postgres
from review.models import PublicityBatch, PublicityEntry
from review.registry import services as registry_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_two_staff_acting_at_once_make_exactly_one_transition():
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=State.SUBMITTED)
    first, second = StaffFactory(), StaffFactory()

    results = run_at_once(
        [
            lambda: workflow.filing_transition(filing=filing, action="audit_pass", actor=first),
            lambda: workflow.filing_transition(filing=filing, action="return", actor=second, comment="请补充章程"),
        ]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert errors[0].code == "wrong_state"
    assert "可能已有其他人处理" in errors[0].messages[0]
    assert FilingEvent.objects.filter(filing=filing).count() == 1
    filing.refresh_from_db()
    assert filing.state == FilingEvent.objects.get(filing=filing).to_state


def test_concurrent_registrations_get_unique_gapless_numbers():
    call = CallFactory(number_format="沪知联备〔{year}〕第{seq:03d}号", year=2024)
    staff = StaffFactory()
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=call,
        title="公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=2),
        published_by=staff,
    )
    filings = []
    for _i in range(8):
        filing = AllianceFilingFactory(call=call)
        Filing.objects.filter(pk=filing.pk).update(state=State.PUBLICITY)
        PublicityEntry.objects.create(batch=batch, filing=filing)
        filings.append(filing)

    results = run_at_once([lambda f=f: registry_services.filing_register(filing=f, actor=staff) for f in filings])

    assert [r for r in results if isinstance(r, Exception)] == []
    numbers = sorted(Filing.objects.filter(call=call).values_list("registry_number", flat=True))
    assert numbers == [f"沪知联备〔2024〕第{seq:03d}号" for seq in range(1, 9)]


def test_concurrent_submissions_get_distinct_filing_numbers():
    from filings import services as filing_services
    from filings.tests.alliance_factories import complete_alliance_filing

    call = CallFactory()
    filings = []
    for _i in range(6):
        filing = complete_alliance_filing()
        Filing.objects.filter(pk=filing.pk).update(call=call)
        filing.refresh_from_db()
        filings.append(filing)

    results = run_at_once([lambda f=f: filing_services.filing_submit(filing=f, actor=f.created_by) for f in filings])

    assert [r for r in results if isinstance(r, Exception)] == []
    numbers = sorted(Filing.objects.filter(call=call).values_list("number", flat=True))
    assert [n[-4:] for n in numbers] == [f"{i:04d}" for i in range(1, 7)]
