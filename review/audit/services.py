"""Writes of the material audit (审核): the checklist and its outcome (SPEC §4)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from filings import kinds, workflow
from filings.models import Filing
from review.models import AuditRecord
from review.registry.services import registry_entry_next

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
        action, extra = "product_register", registry_entry_next(filing)
    workflow.filing_transition(
        filing=filing, action=action, actor=actor, comment=comment, client_ip=client_ip, extra=extra
    )
    record = AuditRecord(
        filing=filing, version=version, checklist=checklist, outcome=outcome, comment=comment, staff=actor
    )
    record.full_clean()
    record.save()
    return record
