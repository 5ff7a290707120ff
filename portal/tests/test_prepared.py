"""Statements prepared once per connection (portal.prepared): the same rows as sent plainly, one
query each time, prepared again on a new connection, and sound after a failed first run."""

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from filings.tests.threads import skip_unless_postgres
from portal import prepared

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SQL = "SELECT %s::int * 2, 100 / %s::int, '100%%'"


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()
    connection.close()  # a connection of its own: none of other tests' statements


def run(*params) -> tuple:
    with connection.cursor() as cursor:
        prepared.execute(cursor, SQL, list(params))
        return cursor.fetchone()


def prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'portal_%%'")
        return [name for (name,) in cursor.fetchall()]


def test_a_statement_is_prepared_once_and_gives_what_it_gives_sent_plainly():
    with CaptureQueriesContext(connection) as queries:
        first, again = run(21, 4), run(5, 50)

    assert (first, again) == ((42, 25, "100%"), (10, 2, "100%"))
    assert len(queries) == 2 and queries[0]["sql"].startswith("PREPARE portal_")
    assert queries[1]["sql"].startswith("EXECUTE portal_")
    assert len(prepared_here()) == 1


def test_a_new_connection_prepares_it_again():
    run(1, 1)
    assert len(prepared_here()) == 1
    connection.close()

    assert prepared_here() == []
    assert run(2, 1) == (4, 100, "100%")
    assert len(prepared_here()) == 1


def test_a_first_run_that_fails_leaves_the_statement_usable():
    with pytest.raises(DataError), transaction.atomic():
        run(1, 0)  # division by zero: prepared, then refused

    assert run(3, 10) == (6, 10, "100%")
    assert run(4, 20) == (8, 5, "100%")


def test_behind_a_pooler_statements_are_sent_plainly():
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        assert run(5, 5) == (10, 20, "100%")
        assert prepared_here() == []
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
