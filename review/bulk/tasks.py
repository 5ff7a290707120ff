from celery import shared_task

from review.bulk import services


@shared_task(name="review.bulk.tasks.bulk_run_task", acks_late=True)
def bulk_run_task(run_id: int) -> int:
    """Runs a confirmed bulk action; returns how many filings it moved."""
    run = services.bulk_execute(run_id=run_id)
    return sum(1 for result in run.results if result["ok"])
