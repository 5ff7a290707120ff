from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from review.directory.models import KeyEntry


@shared_task(name="review.directory.tasks.remind_key_enterprise", acks_late=True)
def remind_key_enterprise(entry_id: int) -> int:
    """Mails the enterprise's active users that its products are awaited on the list (seed 003 三)."""
    from accounts.models import User

    entry = KeyEntry.objects.select_related("key_list").filter(pk=entry_id).first()
    if entry is None:
        return 0
    recipients = list(
        User.objects.filter(is_active=True, organisation__uscc=entry.uscc).values_list("email", flat=True)
    )
    if not recipients:
        return 0
    context = {"entry": entry, "base_url": getattr(settings, "PORTAL_BASE_URL", "")}
    subject = render_to_string("review/directory/email/reminder_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string("review/directory/email/reminder.txt", context)
    return send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)
