"""Writes for the 备案主体 (seed 003 附件 二.1): the applicant submits it once, staff approve or return it."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from filings import scan
from filings.kinds.product.models import ProductSubject, ProductYearlyData, SubjectState
from filings.materials import safe_display_name, upload_check
from filings.models import Filing, ScanState, sha256_of
from filings.states import State


def _check_upload(uploaded_file) -> str:
    """The content type of an acceptable 诚信承诺书, refused before storage like any material."""
    return upload_check(uploaded_file)


@transaction.atomic
def product_subject_submit(*, organisation, actor, data: dict, pledge_file=None) -> ProductSubject:
    """Saves the subject's details (and a new 诚信承诺书) and puts it in the staff queue."""
    if not (roles.is_applicant(actor) and actor.organisation_id == organisation.pk):
        raise ValidationError(_("只有本单位申报用户可以提交备案主体信息。"), code="not_allowed")
    subject, _created = ProductSubject.objects.select_for_update().get_or_create(organisation=organisation)
    if subject.state in (SubjectState.PENDING, SubjectState.APPROVED):
        raise ValidationError(
            _("备案主体信息“%(state)s”，不能修改。") % {"state": subject.get_state_display()}, code="wrong_state"
        )
    for name, value in data.items():
        setattr(subject, name, value)
    if pledge_file is not None:
        subject.pledge_content_type = _check_upload(pledge_file)
        subject.pledge_name = safe_display_name(pledge_file.name)
        subject.pledge_size = pledge_file.size
        subject.pledge_sha256 = sha256_of(pledge_file)
        subject.pledge.save(f"pledge{subject.pledge_extension}", pledge_file, save=False)
        scan.upload_hold(subject)
    if not subject.pledge:
        raise ValidationError(_("请上传签字盖章的诚信承诺书。"), code="pledge_required")
    if subject.scan_state == ScanState.INFECTED:
        raise ValidationError(_("上传的诚信承诺书未通过病毒扫描，已拦截，请重新上传。"), code="pledge_required")
    subject.state = SubjectState.PENDING
    subject.submitted_at = timezone.now()
    subject.full_clean()
    subject.save()
    scan.upload_scan_queue(subject)
    return subject


@transaction.atomic
def product_subject_review(*, subject: ProductSubject, actor, approve: bool, comment: str = "") -> ProductSubject:
    """Staff approve the subject, or return it with what to fix."""
    if not roles.is_bureau(actor):
        raise ValidationError(_("只有审核人员可以审核备案主体。"), code="not_allowed")
    locked = ProductSubject.objects.select_for_update().get(pk=subject.pk)
    if locked.state != SubjectState.PENDING:
        raise ValidationError(
            _("该备案主体当前为“%(state)s”，可能已有其他人处理，请刷新页面。") % {"state": locked.get_state_display()},
            code="wrong_state",
        )
    if approve and locked.scan_state != ScanState.CLEAN:
        raise ValidationError(_("诚信承诺书尚未通过病毒扫描，暂不能审核通过。"), code="pledge_not_scanned")
    if not approve and not comment.strip():
        raise ValidationError(_("退回时请填写需要修改的内容。"), code="comment_required")
    locked.state = SubjectState.APPROVED if approve else SubjectState.RETURNED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_comment = comment.strip()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])
    return locked


def yearly_update_months() -> tuple[int, ...]:
    # **interpretation**: "每年第一季度更新上年度数据" — January to March, a setting.
    return tuple(getattr(settings, "PRODUCT_YEARLY_UPDATE_MONTHS", (1, 2, 3)))


def yearly_update_year(today=None) -> int | None:
    """The year whose data may be reported today, or None outside the update window."""
    today = today or timezone.localdate()
    return today.year - 1 if today.month in yearly_update_months() else None


@transaction.atomic
def product_yearly_report(*, filing, actor, data: dict, today=None) -> ProductYearlyData:
    """Records (or corrects, within the window) last year's economic data of a registered product."""
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if not (roles.is_applicant(actor) and actor.organisation_id == locked.organisation_id):
        raise ValidationError(_("只有备案主体的用户可以更新年度数据。"), code="not_allowed")
    if locked.kind != "PRODUCT" or locked.state != State.REGISTERED:
        raise ValidationError(_("备案成功的专利产品方可更新年度数据。"), code="wrong_state")
    year = yearly_update_year(today)
    if year is None:
        raise ValidationError(_("年度数据在每年第一季度更新上年度数据，当前不在更新期内。"), code="closed")
    row = ProductYearlyData.objects.filter(filing=locked, year=year).first() or ProductYearlyData(
        filing=locked, year=year
    )
    for name, value in data.items():
        setattr(row, name, value)
    row.reported_by = actor
    row.reported_at = timezone.now()
    row.full_clean()
    row.save()
    return row


def yearly_update_due_year(today=None) -> int:
    """The last year whose data registered records owe: the one reported in this year's window."""
    today = today or timezone.localdate()
    return today.year - 1


def records_missing_yearly_update(*, year: int):
    """Registered records without their `year` update. A record registered in the window's own year
    or later filed that year's data with its record, so it owes none (our reading of 每年第一季度更新)."""
    cutoff = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return (
        Filing.objects.filter(kind="PRODUCT", state=State.REGISTERED, registered_at__lt=cutoff)
        .exclude(product_yearly__year=year)
        .select_related("organisation")
        .order_by("registered_at", "pk")
    )


@transaction.atomic
def product_yearly_reminders_queue(*, today=None) -> int:
    """At the start of the update window, queues one reminder per record that owes last year's data.

    Runs as often as beat likes: the outbox key makes each (record, year) reminder once.
    Returns how many were queued now.
    """
    from filings import outbox
    from filings.models import OutboxMessage

    year = yearly_update_year(today)
    if year is None:
        return 0
    queued = 0
    for filing in records_missing_yearly_update(year=year):
        key = f"product-yearly:{filing.pk}:{year}"
        if OutboxMessage.objects.filter(key=key).exists():
            continue
        outbox.outbox_enqueue(task="product.tasks.notify_product_yearly", key=key, filing_id=filing.pk, year=year)
        queued += 1
    return queued
