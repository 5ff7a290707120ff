"""Bulk actions of the staff queue (SPEC §4): audit pass, expert assignment, a 公示 batch,
registration. A run is confirmed once and executed as a task; each filing still passes through
its stage's service and the one transition writer, with its own event, in a transaction of its
own, so one refusal undoes nothing else. The run records each filing's outcome."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Role, User
from filings import kinds, outbox, workflow
from filings.models import Filing
from filings.states import State
from review.audit import services as audit_services
from review.experts import services as experts_services
from review.models import AuditRecord, BulkRun, ExpertAssignment
from review.publicity import services as publicity_services
from review.registry import services as registry_services

log = logging.getLogger(__name__)

# More than a queue page or a call's filings ever hold; a guard, not a business rule.
MAX_FILINGS = 500
# The state each action starts from, and the transition it performs (None: no state change).
SOURCE = {
    BulkRun.Action.AUDIT_PASS: State.SUBMITTED,
    BulkRun.Action.ASSIGN: State.EXPERT_REVIEW,
    BulkRun.Action.PUBLISH: State.REVIEWED,
    BulkRun.Action.REGISTER: State.PUBLICITY,
}


def _refusal(filing: Filing, action: str) -> str | None:
    """Why the action certainly cannot apply to the filing (its state or its kind's process), or None.
    Guards that need more (experts done, publicity over) are the transition writer's, at run time."""
    if action == BulkRun.Action.AUDIT_PASS and filing.state == State.SUBMITTED:
        return None
    if action == BulkRun.Action.ASSIGN and filing.state == State.EXPERT_REVIEW:
        return None
    transition = {"publish": "publish", "register": "register"}.get(action)
    if transition and any(t.action == transition for t in workflow.transitions_from(filing.state, filing.kind)):
        return None
    return _("该申报当前状态为“%(state)s”，不能执行“%(action)s”。") % {
        "state": filing.get_state_display(),
        "action": BulkRun.Action(action).label,
    }


def bulk_preview(*, action: str, filings: list[Filing]) -> list[dict]:
    return [{"filing": f, "refusal": _refusal(f, action)} for f in filings]


def experts_with_load():
    """Active experts with the number of assignments they have open (not submitted, not ended)."""
    open_ = Q(assignments__submitted_at__isnull=True, assignments__status=ExpertAssignment.Status.OPEN)
    return (
        User.objects.filter(role=Role.EXPERT, is_active=True)
        .annotate(load=Count("assignments", filter=open_))
        .order_by("load", "name", "id")
    )


@transaction.atomic
def bulk_start(*, action: str, filing_ids: list[int], actor, params: dict | None = None) -> BulkRun:
    if not roles.is_bureau(actor):
        raise ValidationError(_("只有审核人员可以执行批量操作。"), code="not_allowed")
    if action not in BulkRun.Action.values:
        raise ValidationError(_("没有这一批量操作。"), code="unknown_action")
    ids = list(dict.fromkeys(int(i) for i in filing_ids))
    if not ids:
        raise ValidationError(_("请至少选择一件申报。"), code="empty")
    if len(ids) > MAX_FILINGS:
        raise ValidationError(_("一次最多处理 %(n)s 件申报。") % {"n": MAX_FILINGS}, code="too_many")
    if action == BulkRun.Action.ASSIGN and not (params or {}).get("experts"):
        raise ValidationError(_("请选择至少一位评审专家。"), code="no_experts")
    run = BulkRun.objects.create(action=action, filing_ids=ids, params=params or {}, created_by=actor)
    outbox.outbox_enqueue(task="review.bulk.tasks.bulk_run_task", key=f"bulk:{run.pk}", run_id=run.pk)
    return run


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _audit_pass(filing: Filing, actor) -> str:
    checklist = {key: True for key, _label in kinds.get(filing.kind).audit_checklist}
    audit_services.audit_record(filing=filing, actor=actor, outcome=AuditRecord.Outcome.PASS, checklist=checklist)
    filing.refresh_from_db(fields=["state"])
    return _("形式审查通过，现为“%(state)s”。") % {"state": filing.get_state_display()}


def _assign(filing: Filing, actor, experts: list[User]) -> str:
    assigned, skipped = [], []
    for expert in experts:
        try:
            with transaction.atomic():
                experts_services.expert_assign(filing=filing, expert=expert, actor=actor)
        except ValidationError as error:
            skipped.append(f"{expert.name}（{_messages(error)}）")
        else:
            assigned.append(expert.name)
    if not assigned:
        raise ValidationError(_("未分配任何专家：%(skipped)s") % {"skipped": "；".join(skipped)}, code="none_assigned")
    message = _("已分配：%(names)s。") % {"names": "、".join(assigned)}
    if skipped:
        message += _("跳过：%(skipped)s") % {"skipped": "；".join(skipped)}
    return message


def _register(filing: Filing, actor) -> str:
    registered = registry_services.filing_register(filing=filing, actor=actor)
    return _("已入库/立项，编号 %(number)s。") % {"number": registered.registry_number}


def _record(run: BulkRun, filing_id: int, number: str, ok: bool, message: str) -> None:
    run.results.append({"filing": filing_id, "number": number, "ok": ok, "message": message})
    BulkRun.objects.filter(pk=run.pk).update(results=run.results)


def _publish(run: BulkRun, filings: dict[int, Filing], actor) -> None:
    """A 公示 is one list: the filings that can be published go into one batch of their call."""
    eligible, refused = [], {}
    call_id = None
    for pk in run.filing_ids:
        filing = filings.get(pk)
        if filing is None:
            continue
        refusal = _refusal(filing, run.action)
        if refusal is None and call_id not in (None, filing.call_id):
            refusal = _("公示名单中的申报须属于同一申报批次，该件不在本批次中。")
        if refusal:
            refused[pk] = refusal
        else:
            call_id = filing.call_id
            eligible.append(filing)
    batch_error = None
    if eligible:
        try:
            starts_on = datetime.date.fromisoformat(run.params.get("starts_on") or timezone.localdate().isoformat())
            batch = publicity_services.publicity_publish(
                call=eligible[0].call,
                filings=eligible,
                actor=actor,
                starts_on=starts_on,
                title=run.params.get("title", ""),
            )
        except ValidationError as error:
            batch_error = _messages(error)
    for pk in run.filing_ids:
        filing = filings.get(pk)
        if filing is None:
            _record(run, pk, "", False, _("申报不存在。"))
        elif pk in refused:
            _record(run, pk, filing.number or "", False, refused[pk])
        elif batch_error:
            _record(run, pk, filing.number or "", False, batch_error)
        else:
            _record(
                run,
                pk,
                filing.number or "",
                True,
                _("已列入公示：%(start)s 至 %(end)s。")
                % {"start": batch.starts_on.isoformat(), "end": batch.ends_on.isoformat()},
            )


def bulk_execute(*, run_id: int) -> BulkRun:
    """Performs the run's action on each filing in turn; safe to deliver twice (it resumes where it stopped)."""
    run = BulkRun.objects.select_related("created_by").get(pk=run_id)
    if run.finished_at:
        return run
    if not run.started_at:
        run.started_at = timezone.now()
        run.save(update_fields=["started_at"])
    actor = run.created_by
    filings = Filing.objects.select_related("call", "organisation").in_bulk(run.filing_ids)
    if run.action == BulkRun.Action.PUBLISH:
        if not run.results:
            _publish(run, filings, actor)
    else:
        experts = []
        if run.action == BulkRun.Action.ASSIGN:
            chosen = User.objects.in_bulk(run.params.get("experts", []))
            experts = [chosen[i] for i in run.params.get("experts", []) if i in chosen]
        for pk in run.filing_ids[len(run.results) :]:
            filing = filings.get(pk)
            if filing is None:
                _record(run, pk, "", False, _("申报不存在。"))
                continue
            try:
                with transaction.atomic():
                    if run.action == BulkRun.Action.AUDIT_PASS:
                        message = _audit_pass(filing, actor)
                    elif run.action == BulkRun.Action.ASSIGN:
                        message = _assign(filing, actor, experts)
                    else:
                        message = _register(filing, actor)
            except ValidationError as error:
                _record(run, pk, filing.number or "", False, _messages(error))
            else:
                _record(run, pk, filing.number or "", True, message)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run
