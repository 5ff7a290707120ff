"""Writes of the review side: audit, experts, publicity, objections, registry.

Every state change goes through filings.workflow.filing_transition.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from filings import kinds, workflow
from filings.models import Call, Filing
from filings.states import State
from filings.validators import normalise_text
from review.models import AuditRecord, ExpertAssignment, Objection, PublicityBatch, PublicityEntry

# --- material audit ----------------------------------------------------------------

AUDIT_ACTIONS = {
    AuditRecord.Outcome.PASS: "audit_pass",
    AuditRecord.Outcome.RETURN: "return",
    AuditRecord.Outcome.REJECT: "reject",
}


@transaction.atomic
def audit_record(
    *, filing: Filing, actor, outcome: str, checklist: dict, comment: str = "", client_ip: str | None = None
) -> AuditRecord:
    """Records the checklist and moves the filing: pass to experts (PRODUCT: to the registry), return for 补正, or reject."""
    version = filing.versions.order_by("-number").first()
    if version is None:
        raise ValidationError(_("该申报尚未提交。"), code="not_submitted")
    if outcome == AuditRecord.Outcome.PASS and not all(checklist.values()):
        raise ValidationError(_("核查清单尚有未勾选的项目，不能审核通过；请退回补正或不予通过。"), code="checklist")
    action, extra = AUDIT_ACTIONS[outcome], None
    if outcome == AuditRecord.Outcome.PASS and kinds.get(filing.kind).pipeline == kinds.AUDITED:
        # A kind without expert review (PRODUCT, SPEC §2): passing the audit registers it.
        action, extra = "product_register", _next_registry_entry(filing)
    workflow.filing_transition(
        filing=filing, action=action, actor=actor, comment=comment, client_ip=client_ip, extra=extra
    )
    record = AuditRecord(
        filing=filing, version=version, checklist=checklist, outcome=outcome, comment=comment, staff=actor
    )
    record.full_clean()
    record.save()
    return record


# --- expert review -----------------------------------------------------------------


def _norm(value: str) -> str:
    return normalise_text(value or "").replace(" ", "").lower()


def expert_conflict(filing: Filing, expert) -> str | None:
    """Why the expert may not review this filing (their organisation takes part), or None."""
    own = {_norm(expert.expert_organisation_name), _norm(expert.expert_organisation_uscc)} - {""}
    if not own:
        return None
    applicant = filing.organisation
    if own & {_norm(applicant.name), _norm(applicant.uscc)}:
        return _("专家所在单位“%(org)s”是申报单位，须回避。") % {"org": expert.expert_organisation_name}
    parties = {_norm(p) for p in kinds.get(filing.kind).parties(filing)}
    if own & parties:
        return _("专家所在单位“%(org)s”是该申报的成员单位，须回避。") % {"org": expert.expert_organisation_name}
    return None


def score_sheet(call: Call) -> list[dict]:
    return list(call.score_sheet or kinds.get(call.kind).score_sheet)


@transaction.atomic
def expert_assign(*, filing: Filing, expert, actor, due_at=None) -> ExpertAssignment:
    filing = Filing.objects.select_for_update().select_related("call", "organisation").get(pk=filing.pk)
    if not roles.is_bureau(actor):
        raise ValidationError(_("只有审核人员可以分配评审专家。"), code="not_allowed")
    if filing.state != State.EXPERT_REVIEW:
        raise ValidationError(_("该申报当前不在专家评审阶段。"), code="wrong_state")
    if not roles.is_expert(expert) or not expert.is_active:
        raise ValidationError(_("所选用户不是评审专家。"), code="not_expert")
    conflict = expert_conflict(filing, expert)
    if conflict:
        raise ValidationError(conflict, code="conflict")
    assigned = filing.expert_assignments.count()
    if filing.expert_assignments.filter(expert=expert).exists():
        raise ValidationError(_("该专家已分配过此申报。"), code="duplicate")
    if assigned >= filing.call.expert_count:
        raise ValidationError(_("每件申报分配 %(n)s 位专家，已分配满。") % {"n": filing.call.expert_count}, code="full")
    return ExpertAssignment.objects.create(
        filing=filing,
        expert=expert,
        assigned_by=actor,
        due_at=due_at or timezone.now() + timedelta(days=settings.EXPERT_REVIEW_DAYS),
    )


@transaction.atomic
def expert_score_submit(
    *, assignment: ExpertAssignment, actor, scores: dict, recommendation: str, comment: str
) -> ExpertAssignment:
    assignment = ExpertAssignment.objects.select_for_update().select_related("filing__call").get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise ValidationError(_("只能提交分配给您的评审。"), code="not_allowed")
    if assignment.filing.state != State.EXPERT_REVIEW:
        raise ValidationError(_("该申报已不在专家评审阶段。"), code="wrong_state")
    sheet = score_sheet(assignment.filing.call)
    clean = {}
    for criterion in sheet:
        value = scores.get(criterion["key"])
        if value is None or not (0 <= Decimal(str(value)) <= criterion["max"]):
            raise ValidationError(
                _("“%(label)s”应为 0 到 %(max)s 分。") % {"label": criterion["label"], "max": criterion["max"]},
                code="score_range",
            )
        clean[criterion["key"]] = float(value)
    if recommendation not in ExpertAssignment.Recommendation.values:
        raise ValidationError(_("请选择评审建议。"), code="recommendation")
    assignment.scores = clean
    assignment.total = Decimal(str(sum(clean.values())))
    assignment.recommendation = recommendation
    assignment.comment = comment
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["scores", "total", "recommendation", "comment", "submitted_at"])
    return assignment


def review_summary(filing: Filing) -> dict:
    done = [a for a in filing.expert_assignments.all() if a.submitted_at]
    totals = [a.total for a in done]
    return {
        "done": len(done),
        "needed": filing.call.expert_count,
        "mean": (sum(totals) / len(totals)).quantize(Decimal("0.1")) if totals else None,
        "approve": sum(1 for a in done if a.recommendation == ExpertAssignment.Recommendation.APPROVE),
    }


@transaction.atomic
def review_decide(*, filing: Filing, actor, approve: bool, comment: str = "", client_ip=None) -> Filing:
    action = "review_pass" if approve else "reject"
    return workflow.filing_transition(filing=filing, action=action, actor=actor, comment=comment, client_ip=client_ip)


def expert_reminders_due(now=None) -> list[ExpertAssignment]:
    """Open assignments due within the reminder window that have not been reminded yet."""
    now = now or timezone.now()
    window = now + timedelta(days=settings.EXPERT_REMINDER_DAYS)
    return list(
        ExpertAssignment.objects.filter(
            # Overdue ones too: an expert who missed the date is reminded once.
            submitted_at__isnull=True,
            reminded_at__isnull=True,
            due_at__lte=window,
        ).select_related("expert", "filing")
    )


# --- publicity ---------------------------------------------------------------------


def working_days_after(start: date, days: int) -> date:
    """The last day of a period of `days` working days starting on `start` (Mon–Fri, less holidays)."""
    holidays = set(settings.PORTAL_HOLIDAYS)
    current, counted = start, 0
    while True:
        if current.weekday() < 5 and current.isoformat() not in holidays:
            counted += 1
            if counted == days:
                return current
        current += timedelta(days=1)


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
        title=title or _("%(call)s 拟入库名单公示") % {"call": call.title},
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
    objection.save()
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


# --- registry ----------------------------------------------------------------------


def _next_registry_entry(filing: Filing) -> dict:
    """The next registry number of the filing's call, as the fields the registering transition sets."""
    # The call row is the lock: registrations within a call take their numbers one at a time.
    call = Call.objects.select_for_update().get(pk=filing.call_id)
    last = Filing.objects.filter(call=call).aggregate(last=Max("registry_seq"))["last"] or 0
    seq = last + 1
    return {"registry_seq": seq, "registry_number": call.registry_number(seq), "registered_at": timezone.now()}


@transaction.atomic
def filing_register(*, filing: Filing, actor, client_ip=None) -> Filing:
    """Registers the filing with the next number of its call: unique and without gaps."""
    return workflow.filing_transition(
        filing=filing, action="register", actor=actor, client_ip=client_ip, extra=_next_registry_entry(filing)
    )


# --- expert reminders (used by review.tasks.expert_reminders_task) ------------------


def expert_reminder_claim(*, assignment: ExpertAssignment, now=None) -> bool:
    """Marks the assignment as reminded; False when a parallel run already has.

    Claimed before the mail goes out, so that two runs never remind anyone twice.
    """
    claimed = ExpertAssignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(
        reminded_at=now or timezone.now()
    )
    return claimed == 1


def expert_reminder_release(*, assignments: list[ExpertAssignment]) -> None:
    """Undoes a claim whose mail could not be sent, so the next run tries again."""
    ExpertAssignment.objects.filter(pk__in=[a.pk for a in assignments], submitted_at__isnull=True).update(
        reminded_at=None
    )
