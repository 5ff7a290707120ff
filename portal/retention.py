"""What the portal forgets, and when (PORTAL_OBJECTOR_DATA_DAYS, PORTAL_DRAFT_RETENTION_DAYS).

- An objector's name and contact details are needed while the objection is handled, not
  for ever (个人信息保护法 第十九条): once the 公示 has been over for the configured days and
  the objection is decided, they are replaced; the objection, its reasons and the decision stay.
- A draft nobody has touched for the configured days is deleted with everything it owns
  (the kind's detail rows, member tables, uploaded materials and their files). A filing that
  was ever submitted is never deleted: its versions and events are the audit trail.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from filings.models import Filing
from filings.states import State
from review.models import Objection

ANONYMOUS = "（已匿名）"


@transaction.atomic
def objections_anonymise(*, after: timedelta, now=None) -> int:
    """Replaces the personal data of decided objections whose 公示 ended more than `after` ago."""
    today = timezone.localdate(now or timezone.now())
    due = (
        Objection.objects.filter(entry__batch__ends_on__lt=today - after)
        .exclude(decision=Objection.Decision.PENDING)
        .exclude(name=ANONYMOUS, organisation="", phone="", email="", client_ip=None)
    )
    return due.update(name=ANONYMOUS, organisation="", phone="", email="", client_ip=None)


def _abandoned_drafts(*, untouched_for: timedelta, now=None):
    cutoff = (now or timezone.now()) - untouched_for
    return (
        Filing.objects.filter(state=State.DRAFT, submitted_at__isnull=True, updated_at__lt=cutoff)
        .filter(versions__isnull=True, events__isnull=True)
        .annotate(last_upload=Max("material_files__uploaded_at"))
        .filter(Q(last_upload__isnull=True) | Q(last_upload__lt=cutoff))
    )


def _delete_owned(queryset, files: list) -> None:
    """Deletes the rows and, first, every row that protects them (children before parents);
    the names of stored files are collected for deletion after commit."""
    model = queryset.model
    for relation in model._meta.related_objects:
        if relation.on_delete in (models.PROTECT, models.RESTRICT):
            children = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": queryset})
            _delete_owned(children, files)
    file_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    for row in queryset.values_list(*file_fields) if file_fields else ():
        files.extend(name for name in row if name)
    queryset.delete()


@transaction.atomic
def drafts_delete(*, untouched_for: timedelta, now=None) -> int:
    """Deletes drafts never submitted and untouched for `untouched_for`; returns how many."""
    drafts = Filing.objects.select_for_update().filter(
        pk__in=list(_abandoned_drafts(untouched_for=untouched_for, now=now).values_list("pk", flat=True))
    )
    count = drafts.count()
    if count:
        files: list[str] = []
        _delete_owned(drafts, files)
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return count
