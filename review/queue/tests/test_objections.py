"""A pending objection blocks registration, so staff see it where they work: a badge and a
filter in the queue, and on the filing's page with a link to decide it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from filings.states import State
from review.models import Objection, PublicityBatch, PublicityEntry
from review.tests.desk import listed, page_url, queued

pytestmark = pytest.mark.django_db


def in_publicity(**fields):
    filing = queued(state=State.PUBLICITY, **fields)
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="拟备案名单公示",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=5),
        published_by=StaffFactory(),
    )
    return filing, PublicityEntry.objects.create(batch=batch, filing=filing)


def object_to(entry, decision=Objection.Decision.PENDING):
    return Objection.objects.create(
        entry=entry, name="赵异议", phone="13912340000", reasons="成员未签署合作协议。", decision=decision
    )


def test_queue_row_shows_pending_objections_and_filters_by_them(staff_client):
    objected, entry = in_publicity()
    object_to(entry)
    object_to(entry)
    _decided, other = in_publicity()
    object_to(other, Objection.Decision.DISMISSED)
    in_publicity()

    everything = staff_client.get(reverse("review:queue"))
    only = staff_client.get(reverse("review:queue"), {"objection": "pending"})

    assert "待处理异议 2" in everything.content.decode()
    assert everything.content.decode().count("待处理异议") == 1  # a dismissed objection shows no badge
    assert listed(only) == [objected.number]


def test_queue_badge_appears_when_an_objection_arrives_after_the_rows_were_cached(
    staff_client, django_capture_on_commit_callbacks
):
    _filing, entry = in_publicity()
    before = staff_client.get(reverse("review:queue"))
    with django_capture_on_commit_callbacks(execute=True):
        objection = object_to(entry)

    after = staff_client.get(reverse("review:queue"))
    with django_capture_on_commit_callbacks(execute=True):
        objection.decision = Objection.Decision.DISMISSED
        objection.save()
    decided = staff_client.get(reverse("review:queue"))

    assert "待处理异议 1" not in before.content.decode()
    assert "待处理异议 1" in after.content.decode()
    assert "待处理异议" not in decided.content.decode()


def test_a_queue_page_reads_no_objections_while_none_changed(staff_client):
    """The map of pending objections is read once and kept until the next state change."""
    _filing, entry = in_publicity()
    object_to(entry)
    staff_client.get(reverse("review:queue"))

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("review:queue"), {"sort": "title"})

    assert "待处理异议 1" in response.content.decode()
    assert [q["sql"] for q in queries if "review_objection" in q["sql"]] == []


def test_filing_page_lists_objections_with_a_link_to_decide_and_returns_there(staff_client):
    filing, entry = in_publicity()
    objection = object_to(entry)
    Objection.objects.filter(pk=objection.pk).update(receipt="YY20260302-000001")

    page = staff_client.get(page_url(filing))
    link = reverse("review:objection-decide", args=[objection.pk]) + "?from=filing"
    decided = staff_client.post(link, {"decision": "dismissed", "reason": "经核实，协议已签署。"})

    html = page.content.decode()
    assert "公示异议" in html and "YY20260302-000001" in html and "成员未签署合作协议。" in html
    assert link in html
    assert decided.status_code == 302 and decided.url == page_url(filing)
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.DISMISSED
