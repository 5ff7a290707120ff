from celery import shared_task


@shared_task(bind=True, acks_late=True)
def build_call_dossier(self, dossier_id: int) -> dict:
    from review.dossier.services import call_dossier_build

    dossier = call_dossier_build(dossier_id=dossier_id)
    return {"dossier_id": dossier.pk, "size": dossier.size, "sha256": dossier.sha256}
