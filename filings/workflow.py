"""The legal process as a table, and the one function that moves a filing through it.

Nothing else changes `Filing.state`. Each transition locks the row, checks the
table and the actor, saves, and writes an append-only event in the same transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import roles
from filings.models import Filing, FilingEvent
from filings.states import State


def _own_organisation(actor, filing) -> bool:
    return roles.is_applicant(actor) and actor.organisation_id == filing.organisation_id


def _bureau(actor, filing) -> bool:
    return roles.is_bureau(actor)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    may_act: Callable[[object, Filing], bool]
    who: str  # for people reading the table and the refusal message
    needs_comment: bool = False


APPLICANT = gettext_lazy("本单位申报用户")
STAFF = gettext_lazy("审核人员")

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
        "reject",
        gettext_lazy("不予通过"),
        frozenset({State.SUBMITTED, State.EXPERT_REVIEW, State.REVIEWED}),
        State.REJECTED,
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
    ),
)

_BY_ACTION = {t.action: t for t in TABLE}


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TABLE if state in t.sources]


def allowed_actions(filing: Filing, actor) -> list[Transition]:
    return [t for t in transitions_from(filing.state) if t.may_act(actor, filing)]


@transaction.atomic
def filing_transition(*, filing: Filing, action: str, actor, comment: str = "", client_ip: str | None = None) -> Filing:
    """Performs one transition of the table, or refuses it with a clear message."""
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    transition = _BY_ACTION.get(action)
    if transition is None:
        raise ValidationError(_("未知的操作。"), code="unknown_action")
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
    from_state = locked.state
    locked.state = transition.target
    locked.save(update_fields=["state", "updated_at"])
    FilingEvent.objects.create(
        filing=locked,
        actor=actor,
        action=transition.action,
        from_state=from_state,
        to_state=transition.target,
        comment=comment,
        client_ip=client_ip,
    )
    filing.state = locked.state
    return locked
