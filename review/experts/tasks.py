"""Periodic work of the review side (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

import logging
from collections import defaultdict

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from review.experts import services
from review.models import ExpertAssignment

log = logging.getLogger(__name__)


@shared_task(name="review.tasks.expert_reminders_task")
def expert_reminders_task() -> int:
    """E-mails each expert, once, about their open assignments due within EXPERT_REMINDER_DAYS.

    Returns the number of e-mails sent. Safe to run as often as beat likes: an assignment is
    marked reminded before its mail goes out, and un-marked if the mail fails.
    """
    now = timezone.now()
    by_expert = defaultdict(list)
    for assignment in services.expert_reminders_due(now):
        if assignment.expert.is_active and assignment.expert.email:
            by_expert[assignment.expert].append(assignment)
    sent = 0
    for expert, assignments in by_expert.items():
        claimed = [a for a in assignments if services.expert_reminder_claim(assignment=a, now=now)]
        if not claimed:
            continue
        context = {"expert": expert, "assignments": claimed, "base_url": settings.PORTAL_BASE_URL}
        subject = render_to_string("review/experts/email/reminder_subject.txt", context).strip().replace("\n", " ")
        body = render_to_string("review/experts/email/reminder.txt", context)
        try:
            send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, [expert.email])
        except Exception:
            log.exception("expert reminder to user %s not sent", expert.pk)
            services.expert_reminder_release(assignments=claimed)
            continue
        sent += 1
    return sent


@shared_task(name="review.experts.tasks.expert_assigned_mail")
def expert_assigned_mail(assignment_id: int) -> bool:
    """Tells the expert of a new assignment and its due date (queued through the outbox on assignment)."""
    assignment = ExpertAssignment.objects.select_related("expert", "filing__call").filter(pk=assignment_id).first()
    if assignment is None or assignment.status != ExpertAssignment.Status.OPEN or not assignment.expert.email:
        return False
    context = {"assignment": assignment, "expert": assignment.expert, "base_url": settings.PORTAL_BASE_URL}
    subject = render_to_string("review/experts/email/assigned_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string("review/experts/email/assigned.txt", context)
    # A failure raises: the outbox keeps the message and the relay sends it again.
    send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, [assignment.expert.email])
    return True
