"""The staff queue's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from filings import kinds
from filings.selectors import call_choices
from portal.filterbar import FilterBarMixin
from review.queue import selectors

SELECTS = ("call", "kind", "state", "district", "objection", "correction")


class QueueFilterForm(FilterBarMixin, forms.Form):
    """The queue's GET parameters. A value that does not validate is ignored, never an error page.

    The filter bar is drawn from `bar()` (portal/filterbar.py), not by the widgets.
    """

    bar_fields = ("q", *SELECTS)

    q = forms.CharField(label=_("名称、编号或统一社会信用代码"), required=False, max_length=100)
    call = forms.TypedChoiceField(label=_("申报批次"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label=_("申报类型"), choices=lambda: [("", _("全部类型")), *kinds.choices()], required=False
    )
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("", _("全部状态")), *((s.value, s.label) for s in selectors.QUEUE_STATES)],
        required=False,
    )
    district = forms.ChoiceField(label=_("所在区"), choices=[("", _("全部区")), *District.choices], required=False)
    # Badge codes are what kinds declare (filings.rules.Badge.code); each badge in the list links here.
    badge = forms.RegexField(label=_("优先情形"), regex=r"^[a-z0-9_]{1,40}$", required=False)
    objection = forms.ChoiceField(
        label=_("异议"), choices=[("", _("全部")), (selectors.PENDING_OBJECTION, _("有待处理的异议"))], required=False
    )
    correction = forms.ChoiceField(
        label=_("补正"), choices=[("", _("全部")), (selectors.CORRECTION_OVERDUE, _("补正已逾期"))], required=False
    )
    sort = forms.ChoiceField(
        choices=[(f"{d}{key}", key) for key in selectors.QUEUE_SORTS for d in ("", "-")], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("call", [("", _("全部批次")), *call_choices()])

    def filters(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
