"""Periodic work of the portal itself (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task


@shared_task
def retention_task() -> dict:
    """Daily (beat): anonymises objectors and deletes abandoned drafts after their configured periods."""
    from django.conf import settings

    from portal import logs, retention

    anonymised = retention.objections_anonymise(after=timedelta(days=settings.OBJECTOR_DATA_DAYS))
    deleted = retention.drafts_delete(untouched_for=timedelta(days=settings.DRAFT_RETENTION_DAYS))
    logs.audit("retention", objections_anonymised=anonymised, drafts_deleted=deleted)
    return {"objections_anonymised": anonymised, "drafts_deleted": deleted}
