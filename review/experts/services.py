"""Writes of the expert review: assignment with its conflict-of-interest check, the expert's
decline or declared conflict, staff withdrawing an assignment, scores, the decision with the
scores in view, and reminders (SPEC §4). Every state change goes through
filings.workflow.filing_transition; the assignment's own lifecycle is recorded as events too."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from filings import kinds, outbox, workflow
from filings.models import Call, Filing, FilingEvent
from filings.states import State
from filings.validators import normalise_text
from review.models import ExpertAssignment
from workdays.calendar import CalendarUnknown, add_working_days, working_days_between

# How far ahead reminders look before counting working days (the longest holiday plus weekends).
REMINDER_HORIZON_DAYS = 14

# FilingEvent actions of the assignment's lifecycle (the filing's state does not change).
EVENT_LABELS = {
    "expert_assign": gettext_lazy("分配评审专家"),
    "expert_decline": gettext_lazy("专家谢绝评审"),
    "expert_conflict": gettext_lazy("专家申明回避"),
    "expert_withdraw": gettext_lazy("撤回专家分配"),
}


def _norm(value: str) -> str:
    return normalise_text(value or "").replace(" ", "").lower()


def _related(one: str, other: str) -> bool:
    """One organisation belongs to the other: `other` begins with `one`, and `one` ends in a
    parent's word (settings.EXPERT_CONFLICT_PARENT_SUFFIXES), e.g. 复旦大学 → 复旦大学计算机科学技术学院."""
    return (
        len(other) > len(one)
        and other.startswith(one)
        and one.endswith(tuple(_norm(s) for s in settings.EXPERT_CONFLICT_PARENT_SUFFIXES))
    )


def expert_conflict(filing: Filing, expert) -> str | None:
    """Why the expert may not review this filing (their organisation takes part, or belongs to
    or is the parent of one that does), or None."""
    own = {_norm(expert.expert_organisation_name), _norm(expert.expert_organisation_uscc)} - {""}
    if not own:
        return None
    applicant = filing.organisation
    org = expert.expert_organisation_name
    if own & {_norm(applicant.name), _norm(applicant.uscc)}:
        return _("专家所在单位“%(org)s”是申报单位，须回避。") % {"org": org}
    party_names = list(kinds.get(filing.kind).parties(filing))
    parties = {_norm(p) for p in party_names}
    if own & parties:
        return _("专家所在单位“%(org)s”是该申报的成员单位，须回避。") % {"org": org}
    name = _norm(org)
    for party in [applicant.name, *party_names]:
        if name and (_related(_norm(party), name) or _related(name, _norm(party))):
            return _("专家所在单位“%(org)s”与参与单位“%(party)s”存在隶属关系，须回避。") % {"org": org, "party": party}
    return None


def expert_due_at(*, start: datetime.date | None = None) -> datetime.datetime:
    """The end of the last of EXPERT_REVIEW_DAYS working days after today (CalendarUnknown for an unknown year)."""
    start = start or timezone.localdate()
    due = add_working_days(start, settings.EXPERT_REVIEW_DAYS)
    return timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 59)))


def _event(filing: Filing, action: str, actor, comment: str = "") -> FilingEvent:
    return FilingEvent.objects.create(
        filing=filing, actor=actor, action=action, from_state=filing.state, to_state=filing.state, comment=comment
    )


def open_assignments(filing: Filing):
    return filing.expert_assignments.exclude(status__in=ExpertAssignment.ENDED)


def score_sheet(call: Call) -> list[dict]:
    return list(call.score_sheet or kinds.get(call.kind).score_sheet)


@transaction.atomic
def expert_assign(*, filing: Filing, expert, actor, due_at=None) -> ExpertAssignment:
    filing = Filing.objects.select_for_update(of=("self",)).select_related("call", "organisation").get(pk=filing.pk)
    if not roles.is_bureau(actor):
        raise ValidationError(_("只有审核人员可以分配评审专家。"), code="not_allowed")
    if filing.state != State.EXPERT_REVIEW:
        raise ValidationError(_("该申报当前不在专家评审阶段。"), code="wrong_state")
    if not roles.is_expert(expert) or not expert.is_active:
        raise ValidationError(_("所选用户不是评审专家。"), code="not_expert")
    conflict = expert_conflict(filing, expert)
    if conflict:
        raise ValidationError(conflict, code="conflict")
    if filing.expert_assignments.filter(expert=expert).exists():
        raise ValidationError(_("该专家已分配过此申报（含已谢绝或已撤回的分配），请另选专家。"), code="duplicate")
    if open_assignments(filing).count() >= filing.call.expert_count:
        raise ValidationError(_("每件申报分配 %(n)s 位专家，已分配满。") % {"n": filing.call.expert_count}, code="full")
    assignment = ExpertAssignment.objects.create(
        filing=filing, expert=expert, assigned_by=actor, due_at=due_at or expert_due_at()
    )
    _event(filing, "expert_assign", actor, _("评审专家：%(name)s") % {"name": expert.name})
    outbox.outbox_enqueue(
        task="review.experts.tasks.expert_assigned_mail",
        key=f"expert-assigned:{assignment.pk}",
        assignment_id=assignment.pk,
    )
    return assignment


def _end(assignment: ExpertAssignment, *, status: str, actor, reason: str, action: str) -> ExpertAssignment:
    assignment.status = status
    assignment.end_reason = reason
    assignment.ended_by = actor
    assignment.ended_at = timezone.now()
    assignment.save(update_fields=["status", "end_reason", "ended_by", "ended_at"])
    _event(
        assignment.filing,
        action,
        actor,
        _("%(name)s：%(reason)s") % {"name": assignment.expert.name, "reason": reason},
    )
    return assignment


def _locked_open(assignment: ExpertAssignment) -> ExpertAssignment:
    assignment = ExpertAssignment.objects.select_for_update().select_related("filing", "expert").get(pk=assignment.pk)
    if assignment.status in ExpertAssignment.ENDED:
        raise ValidationError(
            _("该分配已结束（%(status)s）。") % {"status": assignment.get_status_display()}, code="ended"
        )
    if assignment.submitted_at:
        raise ValidationError(_("专家已提交评审意见，不能再结束该分配。"), code="submitted")
    if assignment.filing.state != State.EXPERT_REVIEW:
        raise ValidationError(_("该申报已不在专家评审阶段。"), code="wrong_state")
    return assignment


@transaction.atomic
def expert_decline(*, assignment: ExpertAssignment, actor, reason: str, conflict: bool = False) -> ExpertAssignment:
    """The expert declines the assignment, or declares a conflict of interest; the place is free for another."""
    assignment = _locked_open(assignment)
    if assignment.expert_id != actor.pk:
        raise ValidationError(_("只能处理分配给您的评审。"), code="not_allowed")
    if not reason.strip():
        raise ValidationError(_("请填写原因。"), code="reason_required")
    status = ExpertAssignment.Status.CONFLICT if conflict else ExpertAssignment.Status.DECLINED
    action = "expert_conflict" if conflict else "expert_decline"
    return _end(assignment, status=status, actor=actor, reason=reason.strip(), action=action)


@transaction.atomic
def expert_withdraw(*, assignment: ExpertAssignment, actor, reason: str) -> ExpertAssignment:
    """Staff take an unanswered assignment back (e.g. the expert does not reply) to assign another expert."""
    if not roles.is_bureau(actor):
        raise ValidationError(_("只有审核人员可以撤回专家分配。"), code="not_allowed")
    assignment = _locked_open(assignment)
    if not reason.strip():
        raise ValidationError(_("请填写撤回原因。"), code="reason_required")
    return _end(
        assignment,
        status=ExpertAssignment.Status.WITHDRAWN,
        actor=actor,
        reason=reason.strip(),
        action="expert_withdraw",
    )


@transaction.atomic
def expert_score_submit(
    *, assignment: ExpertAssignment, actor, scores: dict, recommendation: str, comment: str
) -> ExpertAssignment:
    assignment = ExpertAssignment.objects.select_for_update().select_related("filing__call").get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise ValidationError(_("只能提交分配给您的评审。"), code="not_allowed")
    if assignment.submitted_at:
        raise ValidationError(_("该评审已提交，不能再修改。"), code="submitted")
    if assignment.status in ExpertAssignment.ENDED:
        raise ValidationError(
            _("该分配已结束（%(status)s），不能提交评审意见。") % {"status": assignment.get_status_display()},
            code="ended",
        )
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
    """Open assignments due within EXPERT_REMINDER_DAYS working days that have not been reminded yet."""
    now = now or timezone.now()
    days = settings.EXPERT_REMINDER_DAYS
    today = timezone.localdate(now)
    # No run of holidays makes a few working days longer than this many calendar days.
    horizon = now + timedelta(days=days + REMINDER_HORIZON_DAYS)
    candidates = ExpertAssignment.objects.filter(
        # Overdue ones too: an expert who missed the date is reminded once.
        status=ExpertAssignment.Status.OPEN,
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        due_at__lte=horizon,
    ).select_related("expert", "filing")
    due = []
    for assignment in candidates:
        try:
            left = working_days_between(today, timezone.localdate(assignment.due_at))
        except CalendarUnknown:
            # A year nobody has entered yet: count calendar days rather than miss the reminder.
            left = (timezone.localdate(assignment.due_at) - today).days
        if left <= days:
            due.append(assignment)
    return due


# --- reminders (review.experts.tasks) ----------------------------------------------


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
