"""A transactional outbox in front of Celery.

`outbox_enqueue` writes the message in the caller's transaction and asks for a
dispatch after commit. Dispatch publishes to the broker and marks the row; if the
broker is down the row stays pending and `outbox_relay` (a periodic task and the
`outbox_relay` management command) sends it later. Tasks must be idempotent: a
message may be delivered more than once.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from filings.models import OutboxMessage

log = logging.getLogger(__name__)


def outbox_enqueue(*, task: str, key: str, **kwargs) -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(key=key, defaults={"task": task, "kwargs": kwargs})
    if created:
        transaction.on_commit(lambda: outbox_dispatch(message_ids=[message.pk]))
    return message


def outbox_dispatch(*, message_ids: list[int]) -> int:
    """Publishes pending messages; never raises, so a broker outage never fails a request."""
    sent = 0
    for message in OutboxMessage.objects.filter(pk__in=message_ids, dispatched_at__isnull=True):
        try:
            if current_app.conf.task_always_eager:
                # Embedded mode: run it here and now; a failure leaves the message pending.
                current_app.tasks[message.task].apply(kwargs=message.kwargs, throw=True)
            else:
                current_app.send_task(message.task, kwargs=message.kwargs)
        except Exception as error:
            log.warning("outbox: %s not sent: %s", message.key, error)
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=f"{error.__class__.__name__}: {error}"[:2000]
            )
            continue
        OutboxMessage.objects.filter(pk=message.pk).update(dispatched_at=timezone.now(), attempts=message.attempts + 1)
        sent += 1
    return sent


def outbox_relay(*, older_than_seconds: int = 5, limit: int = 500) -> int:
    """Sends what an earlier dispatch could not (called periodically)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        OutboxMessage.objects.filter(dispatched_at__isnull=True, created_at__lte=cutoff).values_list("pk", flat=True)[
            :limit
        ]
    )
    return outbox_dispatch(message_ids=pending) if pending else 0
