"""A queue page under the usual filters is read on PostgreSQL by a statement written out
(selectors._written_page): it lists the same rows, in the same order, as the ORM's query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import District
from filings.models import Filing
from filings.states import State
from filings.tests.factories import CallFactory
from filings.tests.threads import skip_unless_postgres
from portal.pagination import page_rows
from review.queue import selectors
from review.tests.desk import queued

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SORTS = [f"{d}{key}" for key in selectors.QUEUE_SORTS for d in ("", "-")]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


@pytest.fixture
def call_ids():
    calls = [CallFactory(), CallFactory()]
    now = timezone.now()
    states = [State.SUBMITTED, State.RETURNED, State.REGISTERED]
    for n in range(24):
        filing = queued(
            call=calls[n % 2],
            state=states[n % 3],
            # Ties in every sort but the number's, which the id breaks.
            title=f"上海{'芯片' if n % 4 else '医药'}产业知识产权联盟{n % 5}",
            submitted_at=now - timedelta(hours=n % 6),
        )
        Filing.objects.filter(pk=filing.pk).update(
            kind="CLUSTER" if n % 5 == 0 else "ALLIANCE",
            district=District.PUDONG if n % 2 else District.HUANGPU,
            updated_at=now - timedelta(minutes=n % 7),
        )
    queued(state=State.DRAFT)  # never listed
    return [call.pk for call in calls]


def filter_sets(call_ids: list[int]) -> list[dict]:
    return [
        {},
        {"call": call_ids[0]},
        {"kind": "CLUSTER"},
        {"state": State.RETURNED},
        {"district": District.PUDONG},
        {"district": District.HUANGPU, "state": State.REGISTERED},
        {"call": call_ids[1], "kind": "ALLIANCE", "state": State.SUBMITTED, "district": District.PUDONG},
        {"q": "医药"},  # a narrow search: its matches' ids
        {"q": "医药", "state": State.SUBMITTED},
        {"q": "没有这样的联盟"},
    ]


@pytest.mark.parametrize("sort", SORTS)
def test_a_written_page_lists_the_rows_of_the_orms_page_in_its_order(call_ids, sort):
    for some in filter_sets(call_ids):
        filters = {**some, "sort": sort}
        for offset in (0, 5, 20):
            page = selectors.filings_for_staff(filters)[offset : offset + 7]
            expected = list(page_rows(page).values_list(*selectors.QUEUE_ROW_FIELDS, named=True))
            with CaptureQueriesContext(connection) as queries:
                written = selectors.queue_page_rows(filters, offset, 7)

            assert written == expected, (filters, offset)
            assert any(" f JOIN " in q["sql"] for q in queries), "the written statement was read"
    assert all(row.findings_summary == {"fail": 0, "review": 0, "badges": []} for row in written)


def test_other_filters_and_a_broad_search_are_read_through_the_orm(call_ids, monkeypatch):
    from review import search

    monkeypatch.setattr(search, "SEARCH_CAP", 3)
    for filters in ({"q": "联盟"}, {"badge": "full_chain"}, {"correction": selectors.CORRECTION_OVERDUE}):
        page = selectors.filings_for_staff(filters)[0:25]
        expected = list(page_rows(page).values_list(*selectors.QUEUE_ROW_FIELDS, named=True))
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.queue_page_rows(filters, 0, 25)

        assert rows == expected
        assert not any(" f JOIN " in q["sql"] for q in queries), filters
