"""Writes of the expert review: assignment with its conflict-of-interest check, scores, the
decision with the scores in view, and reminders (SPEC §4). Every state change goes through
filings.workflow.filing_transition."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from filings import kinds, workflow
from filings.models import Call, Filing
from filings.states import State
from filings.validators import normalise_text
from review.models import ExpertAssignment


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
