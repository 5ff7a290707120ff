"""The queue's sorted lists are read in index order on PostgreSQL: a deep page of a state's tab,
sorted by any column, walks an index made for that order instead of filtering and sorting the
state's filings (migration filings 0019)."""

import pytest
from django.db import connection

from accounts.models import District
from accounts.tests.factories import OrganisationFactory
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.threads import skip_unless_postgres
from portal import pagination
from review.queue import selectors
from review.tests.plans import copies_of, cuts_names_row_by_row, plans_of, reads_every_filing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INDEXES = {
    "submitted_at": "queue_state_idx",
    "updated_at": "queue_state_updated_idx",
    "number": "queue_state_number_idx",
    "title": "queue_state_title_idx",
}


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


def _plan(filters: dict) -> str:
    filings = selectors.filings_for_staff(filters).values_list(*selectors.QUEUE_ROW_FIELDS)[500:525]
    with connection.cursor() as cursor:
        # A test's handful of rows would be read whole whatever the indexes: plan as for many.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        return filings.explain()


@pytest.mark.parametrize("column", list(INDEXES))
@pytest.mark.parametrize("descending", [False, True])
def test_a_state_tab_is_read_in_the_order_of_its_sort(column, descending):
    AllianceFilingFactory.create_batch(3)
    Filing.objects.update(state=State.SUBMITTED)

    plan = _plan({"state": State.SUBMITTED, "sort": f"-{column}" if descending else column})

    assert INDEXES[column] in plan
    assert "Sort Key" not in plan


def test_the_whole_queue_by_number_skips_the_drafts_unnumbered():
    AllianceFilingFactory.create_batch(3)

    plan = _plan({"sort": "-number"})

    assert "queue_number_idx" in plan and "Sort Key" not in plan


@pytest.mark.parametrize("filters", [{}, {"state": State.SUBMITTED}])
def test_a_district_is_read_off_its_own_index_without_joining_the_organisations_first(filters):
    AllianceFilingFactory.create_batch(3)
    Filing.objects.update(state=State.SUBMITTED)
    district = Filing.objects.values_list("district", flat=True).first()

    plan = _plan({**filters, "district": district})

    # (queue_district_idx or queue_district_state_idx, as the planner prefers for the rows it sees)
    assert "Index Scan using queue_district_" in plan
    assert "Sort Key" not in plan
    assert "Index Scan using accounts_organisation_pkey" in plan  # each row's name, after the page is found


DISTRICT_INDEXES = {
    "submitted_at": "queue_district_idx",
    "updated_at": "queue_district_updated_idx",
    "number": "queue_district_number_idx",
    "title": "queue_district_title_idx",
}


@pytest.mark.parametrize("column", list(DISTRICT_INDEXES))
@pytest.mark.parametrize("descending", [False, True])
def test_a_districts_filings_are_read_in_the_order_of_any_sort(column, descending):
    AllianceFilingFactory.create_batch(3)
    Filing.objects.update(state=State.SUBMITTED)
    district = Filing.objects.values_list("district", flat=True).first()

    plan = _plan({"district": district, "sort": f"-{column}" if descending else column})

    assert DISTRICT_INDEXES[column] in plan
    assert "Sort Key" not in plan


def test_a_deep_page_finds_its_rows_in_the_index_before_reading_them():
    AllianceFilingFactory.create_batch(3)
    Filing.objects.update(state=State.SUBMITTED)
    page = selectors.filings_for_staff({"state": State.SUBMITTED})[500:525]

    with connection.cursor() as cursor:
        # As _plan: a test's handful of rows would be read and sorted whole whatever the indexes.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        plan = pagination.page_rows(page).values_list(*selectors.QUEUE_ROW_FIELDS).explain()

    # The ids, 500 rows in, off the state's index in its order; the page's 25 rows by their ids.
    assert "Limit" in plan and "queue_state_idx" in plan
    assert "Index Scan using filings_filing_pkey" in plan


def _many_like(filing: Filing, count: int) -> None:
    """`count` copies of `filing` in every state and district: a district's tab of one state is
    then a small part of a district, as it is among many filings (on a handful of rows every index
    ties)."""
    states = [state.value for state in selectors.QUEUE_STATES]
    districts = [district.value for district in District]
    copies_of(
        filing,
        count,
        {"state": "(%s::text[])[1 + g %% %s]", "district": "(%s::text[])[1 + (g / %s) %% %s]"},
        [states, len(states), districts, len(states), len(districts)],
    )


DISTRICT_STATE_INDEXES = {
    "submitted_at": "queue_district_state_idx",
    "updated_at": "queue_dist_state_updated_idx",
    "number": "queue_dist_state_number_idx",
    "title": "queue_dist_state_title_idx",
}


@pytest.mark.parametrize("column", list(DISTRICT_STATE_INDEXES))
@pytest.mark.parametrize("descending", [False, True])
def test_a_districts_tab_of_one_state_is_read_in_the_order_of_any_sort(column, descending):
    _many_like(AllianceFilingFactory(), 2000)
    district = Filing.objects.values_list("district", flat=True).first()

    plan = _plan({"district": district, "state": State.SUBMITTED, "sort": f"-{column}" if descending else column})

    assert DISTRICT_STATE_INDEXES[column] in plan
    assert "Sort Key" not in plan


@pytest.mark.parametrize(
    ("q", "matched"),
    [("联盟", 2001), ("芯", 2000), ("车规芯片", 2000), ("晶圆科技", 2000), ("晶圆", 2000), ("lm2024", 2000),
     ("91310115", 2001), ("医药", 1)],
)  # fmt: skip
def test_a_search_reads_its_matches_and_counts_them_off_indexes_however_many_it_matches(q, matched):
    # 2,001 filings of one applicant and one name, numbered apart: a search matches them all (a
    # narrow search of a few thousand ids), as a common word would among many filings; and one
    # other, found alone.
    organisation = OrganisationFactory(name="上海晶圆科技有限公司")
    _many_like(
        AllianceFilingFactory(title="上海车规芯片产业知识产权联盟", number="LM2024-1", organisation=organisation), 2000
    )
    AllianceFilingFactory(title="上海生物医药知识产权联盟", number="SW2024-1", state=State.SUBMITTED)

    # The search's own reads: its matches, and their count by state (a page of them is read by id).
    plans = plans_of(lambda: selectors.state_counts({"q": q}))

    assert selectors.state_counts({"q": q})["all"] == matched  # (the first of the copies is a draft)
    assert len(plans) >= 2
    assert not [plan for plan in plans if reads_every_filing(plan) or cuts_names_row_by_row(plan)]
