"""E-mail to the applicant on every state change (SPEC §4 notifications)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from filings.models import FilingEvent


@shared_task(name="filings.tasks.notify_state_change", acks_late=True)
def notify_state_change(event_id: int) -> int:
    """Idempotent enough: an event is mailed once per delivery; the outbox queues it once."""
    event = FilingEvent.objects.select_related("filing__organisation", "filing__call").filter(pk=event_id).first()
    if event is None:
        return 0
    filing = event.filing
    recipients = list(filing.organisation.users.filter(is_active=True).values_list("email", flat=True))
    if not recipients:
        return 0
    context = {"event": event, "filing": filing, "base_url": getattr(settings, "PORTAL_BASE_URL", "")}
    subject = render_to_string("filings/email/state_change_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string("filings/email/state_change.txt", context)
    return send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)
