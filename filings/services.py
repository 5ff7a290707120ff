"""Writes of the applicant side. Each is one function, keyword-only, atomic."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import kinds
from filings.models import Call, Filing


@transaction.atomic
def filing_start(*, call: Call, actor) -> Filing:
    """A new draft for the actor's organisation. Refused outside the call's dates."""
    now = timezone.now()
    if call.has_not_opened(now):
        raise ValidationError(
            _("“%(title)s”将于 %(opens)s 开始受理，届时方可填报。")
            % {"title": call.title, "opens": timezone.localtime(call.opens_at).strftime("%Y年%m月%d日 %H:%M")},
            code="call_not_open",
        )
    if not call.is_open(now):
        raise ValidationError(
            _("“%(title)s”已于 %(closes)s 截止受理，不能再新建申报。")
            % {"title": call.title, "closes": timezone.localtime(call.closes_at).strftime("%Y年%m月%d日 %H:%M")},
            code="call_closed",
        )
    spec = kinds.get(call.kind)
    if spec is None:
        raise ValidationError(_("该类申报的网上填报尚未开通，请按通知要求报送纸质材料。"), code="kind_unavailable")
    filing = Filing(kind=call.kind, call=call, organisation=actor.organisation, created_by=actor)
    filing.full_clean()
    filing.save()
    spec.create_detail(filing)
    return filing
