"""The call row is the lock that numbers a call's filings one at a time; it must not stop the rest.

A submission holds the call row until it commits. Starting another filing in the call inserts a
row that refers to the call, and PostgreSQL takes a key-share lock on the call for that. The
submission locked the call FOR UPDATE twice over (as the numbering lock, and as a row joined to
the filing it locks), which blocked every new filing of the call until it committed; FOR NO KEY
UPDATE, and a filing lock that locks the filing alone, do not. Runs on PostgreSQL (CI sets
DATABASE_URL).
"""

import threading

import pytest
from django.db import connection, connections, transaction

from accounts.models import District, Role
from accounts.tests.factories import OrganisationFactory, UserFactory
from filings import services
from filings.models import Filing
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.threads import skip_unless_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_filing_can_be_started_while_a_submission_holds_the_calls_numbering_lock():
    skip_unless_postgres()
    filing = complete_alliance_filing()
    # Another district: the counts kept per (call, kind, district, state) are other rows.
    newcomer = UserFactory(role=Role.APPLICANT, organisation=OrganisationFactory(district=District.CHONGMING))
    submitted, proceed = threading.Event(), threading.Event()

    def submit_and_hold_the_commit():
        try:
            with transaction.atomic():
                services.filing_submit(filing=filing, actor=filing.created_by)
                submitted.set()
                proceed.wait(timeout=30)
        finally:
            connections.close_all()

    submitter = threading.Thread(target=submit_and_hold_the_commit)
    submitter.start()
    try:
        assert submitted.wait(timeout=30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # blocked would be an error, not a hang
            started = services.filing_start(call=filing.call, actor=newcomer)
    finally:
        proceed.set()
        submitter.join(timeout=30)

    assert Filing.objects.filter(pk=started.pk, call=filing.call).exists()
    assert Filing.objects.get(pk=filing.pk).number
