"""What the staff queue keeps until the next state change, retired when an objection changes too."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal.cache import bump_state_generation
from review.models import Objection


def objections_changed(**_kwargs) -> None:
    # An objection lodged, decided or removed, by whatever path: the queue's pending-objection
    # badges and its 待处理异议 filter's counts (review/queue/selectors.py).
    transaction.on_commit(bump_state_generation)


def connect() -> None:
    post_save.connect(objections_changed, sender=Objection, dispatch_uid="objections-changed-save")
    post_delete.connect(objections_changed, sender=Objection, dispatch_uid="objections-changed-delete")
