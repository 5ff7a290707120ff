"""E-mail to the applicant on every state change (SPEC §4 notifications)."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from filings.models import FilingEvent, OutboxMessage

# The database or the mail server briefly unreachable: try again, with growing pauses
# (about half an hour in all) before the message is given up and shown to staff.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, SMTPException, ConnectionError, TimeoutError)


def one_line(text: str) -> str:
    """A header value: any line break (CR, LF, U+2028...) in a filing's name would make it invalid."""
    return " ".join(text.split())


@shared_task(
    name="filings.tasks.notify_state_change",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=10,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=False,
)
def notify_state_change(event_id: int) -> int:
    """Mails the change once, however often the message is delivered.

    The outbox row of the event is locked while the mail goes out and closed in the same
    transaction: a second delivery (a re-send, two relays) finds it done and sends nothing.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(key=f"notify:{event_id}").first()
        if message is not None and message.done_at is not None:
            return 0
        event = FilingEvent.objects.select_related("filing__organisation", "filing__call").filter(pk=event_id).first()
        if event is None:
            return 0
        filing = event.filing
        recipients = list(filing.organisation.users.filter(is_active=True).values_list("email", flat=True))
        if not recipients:
            return 0
        context = {"event": event, "filing": filing, "base_url": getattr(settings, "PORTAL_BASE_URL", "")}
        subject = one_line(render_to_string("filings/email/state_change_subject.txt", context))
        body = render_to_string("filings/email/state_change.txt", context)
        sent = send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)
        if message is not None:
            message.done_at = timezone.now()
            message.save(update_fields=["done_at"])
        return sent
