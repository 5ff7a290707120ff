from celery import shared_task
from django.db import InterfaceError, OperationalError

from filings import outbox


@shared_task
def outbox_relay_task() -> int:
    return outbox.outbox_relay()


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
)
def render_version_document(self, version_id: int) -> dict:
    """Renders the A4 申请书 of a submitted version once (idempotent: safe to deliver twice)."""
    from filings.pdf import version_document_issue

    document, rendered = version_document_issue(version_id=version_id)
    return {"document_id": document.pk, "rendered": rendered, "sha256": document.sha256}


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=300,
)
def render_registration_document(self, filing_id: int) -> dict:
    """Renders a registered filing's 备案证明 / 立项通知 once (idempotent: safe to deliver twice)."""
    from filings.pdf import registration_document_issue

    document, rendered = registration_document_issue(filing_id=filing_id)
    return {"document_id": document.pk, "rendered": rendered, "sha256": document.sha256}
