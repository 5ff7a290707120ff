"""Work of the yearly reports done by a worker: mails, reminders and the PDF."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.utils import timezone

from filings import kinds
from filings.models import Filing
from review.reports.models import ReportEvent

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def _mail_unit(filing: Filing, template: str, context: dict) -> int:
    recipients = list(filing.organisation.users.filter(is_active=True).values_list("email", flat=True))
    if not recipients:
        return 0
    context = {**context, "filing": filing, "base_url": settings.PORTAL_BASE_URL}
    subject = render_to_string(f"reports/email/{template}_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string(f"reports/email/{template}.txt", context)
    return send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)


@shared_task(name="reports.tasks.notify_report_event", acks_late=True)
def notify_report_event(event_id: int) -> int:
    event = ReportEvent.objects.select_related("report__filing__organisation").filter(pk=event_id).first()
    if event is None:
        return 0
    return _mail_unit(event.report.filing, "report_event", {"event": event, "report": event.report})


@shared_task(name="reports.tasks.notify_report_reminder", acks_late=True)
def notify_report_reminder(filing_id: int, year: int, due_on: str, overdue: bool) -> int:
    filing = Filing.objects.select_related("organisation").filter(pk=filing_id).first()
    if filing is None:
        return 0
    spec = kinds.get(filing.kind)
    materials = "、".join(str(m.label) for m in spec.report_materials if m.required)
    return _mail_unit(filing, "reminder", {"year": year, "due_on": due_on, "overdue": overdue, "materials": materials})


@shared_task(name="reports.tasks.report_reminders_task")
def report_reminders_task() -> int:
    """Queues, once each, the reminders of reports falling due and of overdue ones (beat: daily)."""
    from review.reports.services import report_reminders_queue

    return report_reminders_queue(today=timezone.localdate())


@shared_task(
    name="reports.tasks.render_report_document",
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=5,
)
def render_report_document(self, version_id: int) -> dict:
    from review.reports.documents import report_document_issue

    document, rendered = report_document_issue(version_id=version_id)
    return {"document_id": document.pk, "rendered": rendered, "sha256": document.sha256}
