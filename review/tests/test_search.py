"""A search's reads plan bitmap scans on PostgreSQL, and nothing after them does."""

import pytest
from django.db import connection

from review import search

SCANS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan")


def _settings() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"current_setting('{name}')" for name in SCANS))
        return dict(zip(SCANS, cursor.fetchone(), strict=True))


# Inside a transaction (a view's, a test's: the block is a savepoint), and on its own.
@pytest.mark.parametrize("in_a_transaction", [True, False])
def test_a_searchs_reads_take_bitmap_scans_and_the_statements_after_them_plan_as_before(request, in_a_transaction):
    request.getfixturevalue("db" if in_a_transaction else "transactional_db")
    if connection.vendor != "postgresql":
        pytest.skip("the scans are PostgreSQL's planner settings")

    with search.bitmap_scans():
        inside = _settings()
    after = _settings()

    assert inside == {
        "enable_seqscan": "off",
        "enable_indexscan": "off",
        "enable_indexonlyscan": "off",
        "enable_bitmapscan": "on",
    }
    assert after == dict.fromkeys(SCANS, "on")
