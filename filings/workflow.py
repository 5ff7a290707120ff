"""The legal process as a table, and the one function that moves a filing through it.

Nothing else changes `Filing.state`. Each transition locks the row, checks the
table and the actor, saves, and writes an append-only event in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from filings import kinds, outbox
from filings.models import Filing, FilingEvent
from filings.states import State
from portal import logs
from portal.cache import bump_state_generation


def _own_organisation(actor, filing) -> bool:
    return roles.is_applicant(actor) and actor.organisation_id == filing.organisation_id


def _bureau(actor, filing) -> bool:
    return roles.is_bureau(actor)


def _experts_done(filing: Filing) -> str | None:
    done = filing.expert_assignments.filter(submitted_at__isnull=False).count()
    needed = filing.call.expert_count
    if done < needed:
        return _("已有 %(done)s 位专家提交评审意见，需 %(needed)s 位全部完成后方可决定。") % {
            "done": done,
            "needed": needed,
        }
    return None


def _publicity_clean(filing: Filing) -> str | None:
    today = timezone.localdate()
    entries = filing.publicity_entries.select_related("batch")
    if not entries or any(entry.batch.ends_on >= today for entry in entries):
        return _("公示期尚未结束，不能入库。")
    open_objections = filing.publicity_entries.filter(objections__decision__in=["pending", "upheld"]).exists()
    if open_objections:
        return _("该申报尚有未处理或成立的异议，不能入库。")
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    may_act: Callable[[object, Filing], bool]
    who: str  # for people reading the table and the refusal message
    needs_comment: bool = False
    # Returns why the transition may not happen now, or None.
    guard: Callable[[Filing], str | None] = lambda filing: None
    # The pipelines that have this step (filings.kinds.REVIEWED / AUDITED, SPEC §2 table); None is every one.
    pipelines: frozenset[str] | None = None

    def applies_to(self, kind: str) -> bool:
        return self.pipelines is None or kinds.get(kind).pipeline in self.pipelines


APPLICANT = gettext_lazy("本单位申报用户")
STAFF = gettext_lazy("审核人员")
REVIEWED = frozenset({kinds.REVIEWED})
AUDITED = frozenset({kinds.AUDITED})

# The legal process (SPEC §4). Read a row as: in one of `sources`, `who` may `action`,
# and the filing goes to `target` when `guard` allows it.
TABLE: tuple[Transition, ...] = (
    Transition("submit", gettext_lazy("提交"), frozenset({State.DRAFT}), State.SUBMITTED, _own_organisation, APPLICANT),
    Transition(
        "resubmit",
        gettext_lazy("补正后重新提交"),
        frozenset({State.RETURNED}),
        State.SUBMITTED,
        _own_organisation,
        APPLICANT,
    ),
    Transition(
        "withdraw",
        gettext_lazy("撤回"),
        frozenset({State.SUBMITTED, State.RETURNED}),
        State.WITHDRAWN,
        _own_organisation,
        APPLICANT,
    ),
    Transition(
        "return",
        gettext_lazy("退回补正"),
        frozenset({State.SUBMITTED}),
        State.RETURNED,
        _bureau,
        STAFF,
        needs_comment=True,
    ),
    Transition(
        "audit_pass",
        gettext_lazy("形式审查通过"),
        frozenset({State.SUBMITTED}),
        State.EXPERT_REVIEW,
        _bureau,
        STAFF,
        pipelines=REVIEWED,
    ),
    Transition(
        "review_pass",
        gettext_lazy("评审通过"),
        frozenset({State.EXPERT_REVIEW}),
        State.REVIEWED,
        _bureau,
        STAFF,
        guard=_experts_done,
        pipelines=REVIEWED,
    ),
    Transition(
        "publish",
        gettext_lazy("发布公示"),
        frozenset({State.REVIEWED}),
        State.PUBLICITY,
        _bureau,
        STAFF,
        pipelines=REVIEWED,
    ),
    Transition(
        "register",
        gettext_lazy("入库/立项"),
        frozenset({State.PUBLICITY}),
        State.REGISTERED,
        _bureau,
        STAFF,
        guard=_publicity_clean,
        pipelines=REVIEWED,
    ),
    # PRODUCT (SPEC §2): no experts and no publicity — the product audit passing is 备案成功
    # (seed 003 附件 二.3 试点平台对备案产品信息进行核查，通过后即备案成功).
    Transition(
        "product_register",
        gettext_lazy("审核通过，备案成功"),
        frozenset({State.SUBMITTED}),
        State.REGISTERED,
        _bureau,
        STAFF,
        pipelines=AUDITED,
    ),
    Transition(
        # The holder may withdraw a product record (issue: 专利产品备案; seed 003 has no word on it).
        "withdraw_record",
        gettext_lazy("撤销备案"),
        frozenset({State.REGISTERED}),
        State.WITHDRAWN,
        _own_organisation,
        APPLICANT,
        needs_comment=True,
        pipelines=AUDITED,
    ),
    Transition(
        "uphold_objection",
        gettext_lazy("异议成立，终止入库"),
        frozenset({State.PUBLICITY}),
        State.REJECTED,
        _bureau,
        STAFF,
        needs_comment=True,
        pipelines=REVIEWED,
    ),
    Transition(
        "reject",
        gettext_lazy("不予通过"),
        frozenset({State.SUBMITTED, State.EXPERT_REVIEW, State.REVIEWED}),
        State.REJECTED,
        _bureau,
        STAFF,
        needs_comment=True,
    ),
)

_BY_ACTION = {t.action: t for t in TABLE}


def transitions_from(state: str, kind: str) -> list[Transition]:
    return [t for t in TABLE if state in t.sources and t.applies_to(kind)]


def allowed_actions(filing: Filing, actor) -> list[Transition]:
    return [t for t in transitions_from(filing.state, filing.kind) if t.may_act(actor, filing)]


@transaction.atomic
def filing_transition(
    *,
    filing: Filing,
    action: str,
    actor,
    comment: str = "",
    client_ip: str | None = None,
    extra: dict | None = None,
) -> Filing:
    """Performs one transition of the table, or refuses it with a clear message."""
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    transition = _BY_ACTION.get(action)
    if transition is None or not transition.applies_to(locked.kind):
        raise ValidationError(_("该类申报没有这一操作。"), code="unknown_action")
    if locked.state not in transition.sources:
        raise ValidationError(
            _("该申报当前状态为“%(state)s”，不能执行“%(action)s”。可能已有其他人处理，请刷新页面查看。")
            % {"state": locked.get_state_display(), "action": transition.label},
            code="wrong_state",
        )
    if not transition.may_act(actor, locked):
        raise ValidationError(
            _("“%(action)s”只能由%(who)s执行。") % {"action": transition.label, "who": transition.who},
            code="not_allowed",
        )
    if transition.needs_comment and not comment.strip():
        raise ValidationError(_("请填写意见或理由。"), code="comment_required")
    refusal = transition.guard(locked)
    if refusal:
        raise ValidationError(refusal, code="guard")
    from_state = locked.state
    locked.state = transition.target
    for name, value in (extra or {}).items():
        setattr(locked, name, value)
    locked.save(update_fields=["state", "updated_at", *(extra or {})])
    event = FilingEvent.objects.create(
        filing=locked,
        actor=actor,
        action=transition.action,
        from_state=from_state,
        to_state=transition.target,
        comment=comment,
        client_ip=client_ip,
    )
    # The applicant hears of every change; through the outbox, so a broker outage delays
    # the mail but never loses it or fails the transition.
    outbox.outbox_enqueue(task="filings.tasks.notify_state_change", key=f"notify:{event.pk}", event_id=event.pk)
    if locked.state == State.REGISTERED and kinds.get(locked.kind).document_on_registration:
        # The 备案证明 carries the registry number: it is issued now, from the registered version.
        version = locked.versions.order_by("-number").first()
        if version is not None:
            outbox.outbox_enqueue(
                task="filings.tasks.render_version_document", key=f"pdf:{version.pk}", version_id=version.pk
            )
    if locked.state == State.REGISTERED and kinds.get(locked.kind).registration_template:
        # The bureau's 备案证明 / 立项通知 carries the registry number: issued now.
        outbox.outbox_enqueue(
            task="filings.tasks.render_registration_document", key=f"registration:{locked.pk}", filing_id=locked.pk
        )
    # Public lists (publicity, registry) show states: retire their cached copies.
    transaction.on_commit(bump_state_generation)
    transaction.on_commit(lambda: logs.filing_event_logged(event))
    filing.state = locked.state
    return locked
