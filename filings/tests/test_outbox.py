"""The outbox's bookkeeping: given-up work is shown to staff and sent again; done work is pruned."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from filings import outbox, services
from filings.models import FilingEvent, OutboxMessage
from filings.tests.alliance_factories import complete_alliance_filing

pytestmark = pytest.mark.django_db


def test_a_task_that_fails_for_good_is_given_up_and_listed_for_staff(client, settings):
    message = OutboxMessage.objects.create(
        task="filings.tasks.render_version_document", key="pdf:999999", kwargs={"version_id": 999999}
    )

    outbox.outbox_dispatch(message_ids=[message.pk])

    message.refresh_from_db()
    assert message.dead_at is not None and message.done_at is None
    assert "DoesNotExist" in message.last_error
    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(reverse("admin:filings_outboxmessage_changelist") + "?state=dead")
    assert page.status_code == 200
    assert "pdf:999999" in page.content.decode()
    assert "已放弃（待人工重试）" in page.content.decode()


def test_staff_send_a_given_up_message_again(client):
    filing = complete_alliance_filing()
    event = FilingEvent.objects.create(filing=filing, action="submit", from_state="draft", to_state="submitted")
    message = OutboxMessage.objects.create(
        task="filings.tasks.notify_state_change",
        key=f"notify:{event.pk}",
        kwargs={"event_id": event.pk},
        attempts=8,
        dead_at=timezone.now(),
        last_error="8 次发送后仍未完成",
    )
    client.force_login(StaffFactory())

    response = client.post(
        reverse("admin:filings_outboxmessage_changelist"),
        {"action": "send_again", "_selected_action": [message.pk]},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.done_at is not None and message.dead_at is None
    assert message.attempts == 1
    assert [m.to for m in mail.outbox] == [[filing.created_by.email]]


def test_a_message_resent_too_often_is_given_up(settings):
    settings.OUTBOX_REDELIVER_SECONDS = 0
    message = OutboxMessage.objects.create(
        task="filings.tasks.render_version_document",
        key="pdf:1",
        kwargs={"version_id": 1},
        attempts=settings.OUTBOX_MAX_ATTEMPTS,
        dispatched_at=timezone.now() - timedelta(hours=1),
    )

    outbox.outbox_relay(older_than_seconds=0)

    message.refresh_from_db()
    assert message.dead_at is not None
    assert message.attempts == settings.OUTBOX_MAX_ATTEMPTS


def test_the_relay_prunes_work_done_long_ago(settings):
    old = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DONE_DAYS + 1)
    OutboxMessage.objects.create(task="t", key="done-long-ago", done_at=old)
    OutboxMessage.objects.create(task="t", key="done-today", done_at=timezone.now())

    outbox.outbox_relay()

    assert list(OutboxMessage.objects.values_list("key", flat=True)) == ["done-today"]


def test_a_line_break_in_the_filing_name_does_not_lose_the_mail(django_capture_on_commit_callbacks):
    filing = complete_alliance_filing(name="上海车规芯片\r\n产业知识产权联盟")
    filing.title = "上海车规芯片\r\n产业知识产权联盟"
    filing.save(update_fields=["title"])

    with django_capture_on_commit_callbacks(execute=True):
        services.filing_submit(filing=filing, actor=filing.created_by)

    assert len(mail.outbox) == 1
    assert "上海车规芯片 产业知识产权联盟" in mail.outbox[0].subject
    message = OutboxMessage.objects.get(key__startswith="notify:")
    assert message.done_at is not None


def test_a_failed_render_is_shown_as_failed(client, django_capture_on_commit_callbacks):
    filing = complete_alliance_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)
    OutboxMessage.objects.filter(key=f"pdf:{version.pk}").update(
        dispatched_at=timezone.now(), dead_at=timezone.now(), last_error="SoftTimeLimitExceeded()"
    )
    client.force_login(filing.created_by)

    status = client.get(reverse("filings:document-status", args=[filing.pk, version.number])).json()

    assert status["state"] == "failed"
    assert "申请书PDF生成失败" in status["message"]
