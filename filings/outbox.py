"""A transactional outbox in front of Celery.

`outbox_enqueue` writes the message in the caller's transaction and asks for a
dispatch after commit. Dispatch publishes to the broker without waiting for it (no
retries, no result backend) and records the attempt; the row stays open until the
task itself reports the work done (filings.tasks). `outbox_relay` (a periodic task
and the `outbox_relay` management command) publishes what is pending and re-sends
what was published but not done after OUTBOX_REDELIVER_SECONDS: a broker that
restarted empty, or a worker killed mid-task, costs a delay, never the work.

Tasks must therefore be idempotent: a message may be delivered more than once.
A message re-sent OUTBOX_MAX_ATTEMPTS times, or whose task failed for good, is
given up ("dead"); staff see those in the admin and may send them again.
"""

import logging
import re
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from filings.models import OutboxMessage

log = logging.getLogger(__name__)

# Every publish carries the row's id in its task id, so the worker can mark the row done.
_TASK_ID = re.compile(r"^outbox-(\d+)-\d+$")


def outbox_task_id(message: OutboxMessage) -> str:
    return f"outbox-{message.pk}-{message.attempts}"


def outbox_message_id(task_id: str | None) -> int | None:
    match = _TASK_ID.match(task_id or "")
    return int(match.group(1)) if match else None


def outbox_enqueue(*, task: str, key: str, **kwargs) -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(key=key, defaults={"task": task, "kwargs": kwargs})
    if created:
        transaction.on_commit(lambda: outbox_dispatch(message_ids=[message.pk]))
    return message


def _open() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(done_at__isnull=True, dead_at__isnull=True)


def _due(now) -> QuerySet[OutboxMessage]:
    """Never published, or published long enough ago that the work should have been done."""
    stale = now - timedelta(seconds=settings.OUTBOX_REDELIVER_SECONDS)
    return _open().filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=stale))


def _publish(message: OutboxMessage) -> None:
    task_id = outbox_task_id(message)
    if current_app.conf.task_always_eager:
        # Embedded mode: run it here and now; the task's signals close the row (done, or given
        # up), which they would not do for an error thrown straight out of apply().
        result = current_app.tasks[message.task].apply(kwargs=message.kwargs, task_id=task_id, throw=False)
        if result.failed():
            raise result.result
    else:
        # No retry: a broker that is down fails this at once, and the relay tries again later.
        current_app.send_task(message.task, kwargs=message.kwargs, task_id=task_id, retry=False, ignore_result=True)


def outbox_dispatch(*, message_ids: list[int]) -> int:
    """Publishes those of the messages that are due; a broker outage never raises from here.

    Each row is claimed with SKIP LOCKED, so two relays running at once (the beat task
    and `outbox_relay --loop`) never publish the same message twice.
    """
    sent = 0
    for message_id in message_ids:
        with transaction.atomic():
            now = timezone.now()
            message = _due(now).select_for_update(skip_locked=True).filter(pk=message_id).first()
            if message is None:
                continue
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.dead_at = now
                message.last_error = message.last_error or f"{message.attempts} 次发送后仍未完成"
                message.save(update_fields=["dead_at", "last_error"])
                log.error("outbox: %s given up after %s attempts", message.key, message.attempts)
                continue
            message.attempts += 1
            try:
                _publish(message)
            except Exception as error:
                log.warning("outbox: %s not sent: %s", message.key, error)
                message.last_error = f"{error.__class__.__name__}: {error}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                continue
            message.dispatched_at = now
            message.save(update_fields=["attempts", "dispatched_at"])
            sent += 1
    return sent


def outbox_relay(*, older_than_seconds: int = 5, limit: int = 500) -> int:
    """Sends what is due (called periodically) and prunes what was done long ago."""
    now = timezone.now()
    young = now - timedelta(seconds=older_than_seconds)
    # A message younger than that is still being dispatched by the request that made it.
    due = _due(now).exclude(dispatched_at__isnull=True, created_at__gt=young)
    pending = list(due.order_by("id").values_list("pk", flat=True)[:limit])
    sent = outbox_dispatch(message_ids=pending) if pending else 0
    outbox_prune()
    return sent


def outbox_mark_done(*, message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(done_at=timezone.now(), last_error="")


def outbox_mark_failed(*, message_id: int, error: BaseException) -> None:
    """The task failed for good (not a transient error it retries): give up, visibly."""
    OutboxMessage.objects.filter(pk=message_id, done_at__isnull=True).update(
        dead_at=timezone.now(), last_error=f"{error.__class__.__name__}: {error}"[:2000]
    )


def outbox_retry(*, message_ids: list[int]) -> int:
    """Staff send given-up messages again, with a fresh count of attempts."""
    with transaction.atomic():
        count = OutboxMessage.objects.filter(pk__in=message_ids, done_at__isnull=True).update(
            dead_at=None, dispatched_at=None, attempts=0
        )
    outbox_dispatch(message_ids=list(message_ids))
    return count


def outbox_prune() -> int:
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DONE_DAYS)
    deleted, _ = OutboxMessage.objects.filter(done_at__lt=cutoff).delete()
    return deleted


def outbox_message_for_key(key: str) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(key=key).first()
