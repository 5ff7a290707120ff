"""Reminders of the 补正 deadline (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from review.audit import services

log = logging.getLogger(__name__)


@shared_task(name="review.audit.tasks.correction_reminders_task")
def correction_reminders_task() -> int:
    """E-mails the applicant, once, when a returned filing's 补正 deadline is near; returns the mails sent."""
    sent = 0
    for filing in services.correction_reminders_due():
        if not services.correction_reminder_claim(filing=filing):
            continue
        recipients = services.correction_recipients(filing)
        if not recipients:
            continue
        context = {"filing": filing, "base_url": settings.PORTAL_BASE_URL}
        subject = render_to_string("review/audit/email/correction_reminder_subject.txt", context).strip()
        body = render_to_string("review/audit/email/correction_reminder.txt", context)
        try:
            send_mail(settings.EMAIL_SUBJECT_PREFIX + subject.replace("\n", " "), body, None, recipients)
        except Exception:
            log.exception("correction reminder for filing %s not sent", filing.pk)
            services.correction_reminder_release(filing=filing)
            continue
        sent += 1
    return sent
