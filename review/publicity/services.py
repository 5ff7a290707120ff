"""Writes of the publicity (公示): batches in working days, objections and their decisions (SPEC §4)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import scan, workflow
from filings.models import Call, Filing
from filings.states import State
from review.models import Objection, PublicityBatch, PublicityEntry
from workdays.calendar import working_days_after


def publicity_default_title(*, call: Call, starts_on: date) -> str:
    """ "<call> 拟入库名单公示（2026年12月4日）", and "（第2批）" after it when the call already has a
    batch that starts the same day: two batches are never told apart by their numbers alone."""
    title = _("%(call)s 拟入库名单公示（%(date)s）") % {
        "call": call.title,
        "date": f"{starts_on.year}年{starts_on.month}月{starts_on.day}日",
    }
    same_day = PublicityBatch.objects.filter(call=call, starts_on=starts_on).count()
    return title if not same_day else title + _("（第%(n)s批）") % {"n": same_day + 1}


@transaction.atomic
def publicity_publish(
    *,
    call: Call,
    filings: list[Filing],
    actor,
    starts_on: date,
    working_days: int | None = None,
    title: str = "",
    client_ip: str | None = None,
    allow_past_start: bool = False,
) -> PublicityBatch:
    if not filings:
        raise ValidationError(_("请至少选择一件申报。"), code="empty")
    # A period that started in the past would shorten the public's time to object.
    if starts_on < timezone.localdate() and not allow_past_start:
        raise ValidationError(_("公示开始日期不能早于今天。"), code="past_start")
    days = working_days or settings.PUBLICITY_WORKING_DAYS
    batch = PublicityBatch.objects.create(
        call=call,
        title=title or publicity_default_title(call=call, starts_on=starts_on),
        starts_on=starts_on,
        ends_on=working_days_after(starts_on, days),
        published_by=actor,
    )
    for position, filing in enumerate(filings, start=1):
        if filing.call_id != call.pk:
            raise ValidationError(_("公示名单中的申报须属于同一申报批次。"), code="other_call")
        workflow.filing_transition(filing=filing, action="publish", actor=actor, client_ip=client_ip)
        PublicityEntry.objects.create(batch=batch, filing=filing, position=position)
    return batch


@transaction.atomic
def objection_lodge(
    *,
    entry: PublicityEntry,
    name: str,
    organisation: str,
    phone: str,
    email: str,
    reasons: str,
    evidence=None,
    evidence_content_type: str = "",
    evidence_sha256: str = "",
    client_ip=None,
) -> Objection:
    batch = entry.batch
    today = timezone.localdate()
    if entry.filing.state != State.PUBLICITY:
        raise ValidationError(_("该申报已不在公示中，不再受理异议。"), code="not_in_publicity")
    if not batch.is_running(today):
        raise ValidationError(
            _("异议只能在公示期内（%(start)s 至 %(end)s）提出。")
            % {"start": batch.starts_on.strftime("%Y年%m月%d日"), "end": batch.ends_on.strftime("%Y年%m月%d日")},
            code="outside_period",
        )
    objection = Objection(
        entry=entry,
        name=name,
        organisation=organisation,
        phone=phone,
        email=email,
        reasons=reasons,
        evidence_content_type=evidence_content_type,
        evidence_sha256=evidence_sha256,
        client_ip=client_ip,
    )
    if evidence is not None:
        objection.evidence.save("evidence", evidence, save=False)
        scan.upload_hold(objection)
    objection.save()
    scan.upload_scan_queue(objection)
    # 受理编号 the objector quotes when asking after it: the day it came in and its row.
    objection.receipt = f"YY{timezone.localdate():%Y%m%d}-{objection.pk:06d}"
    objection.save(update_fields=["receipt"])
    # Saving it retires what the staff queue keeps of objections (review/publicity/signals.py).
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, actor, uphold: bool, reason: str, client_ip=None) -> Objection:
    objection = Objection.objects.select_for_update().select_related("entry__filing").get(pk=objection.pk)
    if objection.decision != Objection.Decision.PENDING:
        raise ValidationError(_("该异议已处理。"), code="decided")
    if not reason.strip():
        raise ValidationError(_("请填写处理理由。"), code="reason_required")
    objection.decision = Objection.Decision.UPHELD if uphold else Objection.Decision.DISMISSED
    objection.decision_reason = reason
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    # A filing already stopped by an earlier upheld objection stays where it is.
    if uphold and objection.entry.filing.state == State.PUBLICITY:
        workflow.filing_transition(
            filing=objection.entry.filing,
            action="uphold_objection",
            actor=actor,
            comment=_("公示期间收到异议，经核实异议成立：%(reason)s") % {"reason": reason},
            client_ip=client_ip,
        )
    return objection
