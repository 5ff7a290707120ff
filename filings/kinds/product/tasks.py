"""The product holders' yearly update: its reminder at the start of the window (beat: daily)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from filings.models import Filing


@shared_task(name="product.tasks.product_yearly_reminders_task")
def product_yearly_reminders_task() -> int:
    from filings.kinds.product.services import product_yearly_reminders_queue

    return product_yearly_reminders_queue(today=timezone.localdate())


@shared_task(name="product.tasks.notify_product_yearly", acks_late=True)
def notify_product_yearly(filing_id: int, year: int) -> int:
    filing = Filing.objects.select_related("organisation").filter(pk=filing_id).first()
    if filing is None or filing.product_yearly.filter(year=year).exists():
        return 0
    recipients = list(filing.organisation.users.filter(is_active=True).values_list("email", flat=True))
    if not recipients:
        return 0
    context = {"filing": filing, "year": year, "base_url": settings.PORTAL_BASE_URL}
    subject = render_to_string("filings/product/email/yearly_subject.txt", context).strip().replace("\n", " ")
    body = render_to_string("filings/product/email/yearly.txt", context)
    return send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients)
