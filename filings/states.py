"""The states a filing passes through. The transitions between them are declared
in filings/workflow.py, the one place that changes a filing's state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待形式审查")
    RETURNED = "returned", _("退回补正")
    EXPERT_REVIEW = "expert_review", _("专家评审中")
    REVIEWED = "reviewed", _("评审通过待公示")
    PUBLICITY = "publicity", _("公示中")
    REGISTERED = "registered", _("已入库/已立项")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# States in which the applicant may edit the filing's content.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# States after which nothing more happens.
FINAL_STATES = frozenset({State.REGISTERED, State.REJECTED, State.WITHDRAWN})
