"""A draft save racing a submission: saved before the version is frozen, or refused; never lost.

Runs on PostgreSQL (CI sets DATABASE_URL); the row lock is what is being tested.
"""

import threading
import time

import pytest
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from filings import services
from filings.kinds.alliance.models import AllianceDetail
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.test_alliance_filing import COVER
from filings.tests.threads import skip_unless_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_save_that_races_a_submission_is_refused_not_lost():
    skip_unless_postgres()
    filing = complete_alliance_filing()
    submitted, proceed = threading.Event(), threading.Event()

    def submit_and_hold_the_commit():
        try:
            with transaction.atomic():
                services.filing_submit(filing=filing, actor=filing.created_by)
                submitted.set()
                proceed.wait(timeout=30)
        finally:
            connections.close_all()

    answers = []

    def autosave():
        client = Client()
        client.force_login(filing.created_by)
        try:
            answers.append(
                client.post(
                    reverse("filings:step", args=[filing.pk, "cover"]),
                    {**COVER, "contact_name": "王晚改"},
                    headers={"X-Autosave": "1"},
                )
            )
        finally:
            connections.close_all()

    submitter = threading.Thread(target=submit_and_hold_the_commit)
    submitter.start()
    assert submitted.wait(timeout=30)
    saver = threading.Thread(target=autosave)
    saver.start()
    time.sleep(1.5)  # the save is under way while the submission has not committed
    proceed.set()
    submitter.join(timeout=30)
    saver.join(timeout=30)

    answer = answers[0].json()
    assert answer["saved"] is False
    assert answer["errors"]["__all__"] == ["该申报已提交，不能修改。如需修改，请等待审核人员退回补正。"]
    assert AllianceDetail.objects.get(pk=filing.pk).contact_name != "王晚改"
