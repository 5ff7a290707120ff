"""What other parts keep until the next state change, retired when a call changes too."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from filings.models import Call
from portal.cache import bump_state_generation


def calls_changed(**_kwargs) -> None:
    # A call added, renamed or removed: the queue's call filter and the public pages that name it.
    transaction.on_commit(bump_state_generation)


def connect() -> None:
    post_save.connect(calls_changed, sender=Call, dispatch_uid="calls-changed-save")
    post_delete.connect(calls_changed, sender=Call, dispatch_uid="calls-changed-delete")
