"""PR-5 across filings when two applicants submit the same product at the same moment (seed 003 附件 一.3（2）).

The same product may not be recorded twice, by anyone. filing_submit locks the call row before the
rules run, so two submissions in one call are checked one after the other and the later sees the
earlier. Runs on PostgreSQL (CI sets DATABASE_URL); row locks are what is being tested.
"""

import pytest

from filings import services
from filings.models import Filing
from filings.states import State
from filings.tests.product_factories import ProductCallFactory, complete_product_filing
from filings.tests.threads import run_at_once, skip_unless_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def test_two_identical_products_submitted_at_once_let_only_one_in():
    call = ProductCallFactory()
    filings = [
        complete_product_filing(call=call, product_name="智能手机", model="X30"),
        complete_product_filing(call=call, product_name="智能 手机", model="ｘ３０"),
    ]

    results = run_at_once([lambda f=f: services.filing_submit(filing=f, actor=f.created_by) for f in filings])

    refused = [r for r in results if isinstance(r, services.SubmissionRefused)]
    assert len(refused) == 1
    assert [f.rule for f in refused[0].findings] == ["PR-5"]
    assert Filing.objects.filter(call=call, state=State.SUBMITTED).count() == 1
    assert Filing.objects.filter(call=call, state=State.DRAFT).count() == 1
