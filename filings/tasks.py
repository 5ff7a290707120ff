from celery import shared_task

from filings import outbox


@shared_task
def outbox_relay_task() -> int:
    return outbox.outbox_relay()
