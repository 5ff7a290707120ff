"""The yearly report's process as a table, and the one function that moves a report through it.

The same pattern as filings.workflow (its `Transition` rows): read a row as "in one of
`sources`, `who` may `action`, and the report goes to `target` when `guard` allows it".
Nothing else changes `YearlyReport.state`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from filings import kinds, outbox
from filings.workflow import APPLICANT, STAFF, Transition
from review.reports.models import ReportEvent, ReportState, YearlyReport


def _own_organisation(actor, report: YearlyReport) -> bool:
    return roles.is_applicant(actor) and actor.organisation_id == report.filing.organisation_id


def _bureau(actor, report: YearlyReport) -> bool:
    return roles.is_bureau(actor)


def missing_for_submission(report: YearlyReport) -> list[str]:
    """What the unit still has to fill or upload, in its words; empty when complete."""
    spec = kinds.get(report.filing.kind)
    missing = [str(metric.label) for metric in spec.report_metrics if report.figures.get(metric.code) in (None, "")]
    uploaded = set(report.files.filter(is_current=True).values_list("code", flat=True))
    missing += [
        str(material.label) for material in spec.report_materials if material.required and material.code not in uploaded
    ]
    return missing


def _complete(report: YearlyReport) -> str | None:
    missing = missing_for_submission(report)
    if missing:
        return _("年度报告尚不完整，请填写或上传：%(missing)s。") % {"missing": "、".join(missing)}
    return None


TABLE: tuple[Transition, ...] = (
    Transition(
        "submit",
        gettext_lazy("报送"),
        frozenset({ReportState.DRAFT}),
        ReportState.SUBMITTED,
        _own_organisation,
        APPLICANT,
        guard=_complete,
    ),
    Transition(
        "resubmit",
        gettext_lazy("修改后重新报送"),
        frozenset({ReportState.RETURNED}),
        ReportState.SUBMITTED,
        _own_organisation,
        APPLICANT,
        guard=_complete,
    ),
    Transition(
        "return",
        gettext_lazy("退回修改"),
        frozenset({ReportState.SUBMITTED}),
        ReportState.RETURNED,
        _bureau,
        STAFF,
        needs_comment=True,
    ),
    Transition(
        "accept",
        gettext_lazy("审核通过"),
        frozenset({ReportState.SUBMITTED}),
        ReportState.ACCEPTED,
        _bureau,
        STAFF,
    ),
)

_BY_ACTION = {t.action: t for t in TABLE}


def allowed_actions(report: YearlyReport, actor) -> list[Transition]:
    return [t for t in TABLE if report.state in t.sources and t.may_act(actor, report)]


@transaction.atomic
def report_transition(
    *, report: YearlyReport, action: str, actor, comment: str = "", client_ip: str | None = None
) -> YearlyReport:
    """Performs one transition of the table, or refuses it with a clear message."""
    locked = YearlyReport.objects.select_for_update().select_related("filing").get(pk=report.pk)
    transition = _BY_ACTION.get(action)
    if transition is None:
        raise ValidationError(_("年度报告没有这一操作。"), code="unknown_action")
    if locked.state not in transition.sources:
        raise ValidationError(
            _("该年度报告当前状态为“%(state)s”，不能执行“%(action)s”。可能已有其他人处理，请刷新页面查看。")
            % {"state": locked.get_state_display(), "action": transition.label},
            code="wrong_state",
        )
    if not transition.may_act(actor, locked):
        raise ValidationError(
            _("“%(action)s”只能由%(who)s执行。") % {"action": transition.label, "who": transition.who},
            code="not_allowed",
        )
    if transition.needs_comment and not comment.strip():
        raise ValidationError(_("请填写退回理由，写明需要修改的内容。"), code="comment_required")
    refusal = transition.guard(locked)
    if refusal:
        raise ValidationError(refusal, code="guard")
    from_state = locked.state
    locked.state = transition.target
    fields = ["state", "updated_at"]
    now = timezone.now()
    if transition.target == ReportState.SUBMITTED:
        locked.submitted_at = now
        locked.version += 1
        fields += ["submitted_at", "version"]
    if transition.target == ReportState.ACCEPTED:
        locked.accepted_at = now
        fields.append("accepted_at")
    locked.save(update_fields=fields)
    event = ReportEvent.objects.create(
        report=locked,
        actor=actor,
        action=transition.action,
        from_state=from_state,
        to_state=transition.target,
        comment=comment,
        client_ip=client_ip,
    )
    outbox.outbox_enqueue(task="reports.tasks.notify_report_event", key=f"report-event:{event.pk}", event_id=event.pk)
    report.state = locked.state
    return locked
