from celery import shared_task

from filings.tasks import TRANSIENT_ERRORS


@shared_task(
    name="review.statistics.tasks.render_bulletin",
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=5,
)
def render_bulletin(bulletin_id: int) -> dict:
    """Renders a 通报's PDF once (idempotent: safe to deliver twice)."""
    from review.statistics.bulletin import bulletin_render

    bulletin = bulletin_render(bulletin_id=bulletin_id)
    return {"bulletin_id": bulletin.pk, "pages": bulletin.pages}
