from celery import shared_task
from celery.signals import task_failure, task_success
from clamav_client.clamd import ClamdError
from django.conf import settings
from django.db import InterfaceError, OperationalError

from filings import outbox


@shared_task
def outbox_relay_task() -> int:
    return outbox.outbox_relay()


@task_success.connect
def outbox_work_done(sender=None, **kwargs) -> None:
    """The work of an outbox message is done: only now is its row closed (filings.outbox)."""
    message_id = outbox.outbox_message_id(getattr(sender.request, "id", None) if sender else None)
    if message_id is not None:
        outbox.outbox_mark_done(message_id=message_id)


@task_failure.connect
def outbox_work_failed(sender=None, task_id=None, exception=None, **kwargs) -> None:
    """Failed for good (retries spent, or an error not worth retrying): shown to staff as given up."""
    message_id = outbox.outbox_message_id(task_id)
    if message_id is not None:
        outbox.outbox_mark_failed(message_id=message_id, error=exception)


# Worth another try: the database or the file storage was briefly unreachable.
# A missing version or a template error is not, and fails at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=300,
    # A render that runs away (an enormous text) is stopped and shown as failed;
    # the worker's memory ceiling is in portal.celery.
    soft_time_limit=settings.RENDER_SOFT_SECONDS,
    time_limit=settings.RENDER_HARD_SECONDS,
)
def render_version_document(self, version_id: int) -> dict:
    """Renders the A4 申请书 of a submitted version once (idempotent: safe to deliver twice)."""
    from filings.pdf import version_document_issue

    document, rendered = version_document_issue(version_id=version_id)
    return {"document_id": document.pk, "rendered": rendered, "sha256": document.sha256}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(*TRANSIENT_ERRORS, OSError, ClamdError),
    max_retries=10,
    retry_backoff=5,
    retry_backoff_max=300,
    soft_time_limit=120,
    time_limit=150,
)
def upload_scan(self, model: str, pk) -> str:
    """The virus scan of one upload of any kind (filings.scan.upload_scan); idempotent."""
    from filings.scan import upload_scan as scan

    return scan(model=model, pk=pk)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=300,
    soft_time_limit=settings.RENDER_SOFT_SECONDS,
    time_limit=settings.RENDER_HARD_SECONDS,
)
def render_registration_document(self, filing_id: int) -> dict:
    """Renders a registered filing's 备案证明 / 立项通知 once (idempotent: safe to deliver twice)."""
    from filings.pdf import registration_document_issue

    document, rendered = registration_document_issue(filing_id=filing_id)
    return {"document_id": document.pk, "rendered": rendered, "sha256": document.sha256}
