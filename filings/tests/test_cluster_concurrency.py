"""CL-5 across filings when applicants submit at the same moment (seed 004 二（四）).

A 服务机构 may take part in at most 2 cluster applications of a call. filing_submit locks the
filing row joined with its call row (select_for_update with select_related locks both), so the
rules of two submissions in one call run one after the other and the later sees the earlier.
Runs on PostgreSQL (CI sets DATABASE_URL); row locks are what is being tested.
"""

import pytest

from filings import services
from filings.models import Filing
from filings.states import State
from filings.tests.cluster_factories import ClusterCallFactory, complete_cluster_filing
from filings.tests.threads import run_at_once, skip_unless_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_three_applications_with_one_service_institution_at_once_let_only_two_in():
    call = ClusterCallFactory()
    filings = [complete_cluster_filing(call=call) for _i in range(3)]

    results = run_at_once([lambda f=f: services.filing_submit(filing=f, actor=f.created_by) for f in filings])

    refused = [r for r in results if isinstance(r, services.SubmissionRefused)]
    assert len(refused) == 1
    assert {f.rule for f in refused[0].findings} == {"CL-5"}
    assert Filing.objects.filter(call=call, state=State.SUBMITTED).count() == 2
    assert Filing.objects.filter(call=call, state=State.DRAFT).count() == 1
