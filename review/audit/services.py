"""Writes of the material audit (审核): the checklist and its outcome (SPEC §4)."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import kinds, workflow
from filings.models import Filing
from filings.states import State
from review.models import AuditRecord
from review.registry.services import registry_entry_next
from workdays.calendar import CalendarUnknown, add_working_days, working_days_between

log = logging.getLogger(__name__)

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
    if outcome == AuditRecord.Outcome.RETURN:
        # 补正 has a deadline in working days by the official calendar (CalendarUnknown is refused here).
        due = add_working_days(timezone.localdate(), filing.call.correction_working_days)
        extra = {"correction_due_on": due, "correction_reminded_at": None}
    workflow.filing_transition(
        filing=filing, action=action, actor=actor, comment=comment, client_ip=client_ip, extra=extra
    )
    record = AuditRecord(
        filing=filing, version=version, checklist=checklist, outcome=outcome, comment=comment, staff=actor
    )
    record.full_clean()
    record.save()
    return record


# --- the 补正 deadline's reminder (review.audit.tasks) ---------------------------------------


def correction_reminders_due(today=None) -> list[Filing]:
    """Returned filings not reminded yet whose deadline is CORRECTION_REMINDER_WORKING_DAYS working days away or less."""
    today = today or timezone.localdate()
    due = []
    candidates = Filing.objects.filter(
        state=State.RETURNED, correction_due_on__isnull=False, correction_reminded_at__isnull=True
    ).select_related("created_by", "organisation")
    for filing in candidates:
        try:
            left = working_days_between(today, filing.correction_due_on)
        except CalendarUnknown:
            log.warning("correction reminder of filing %s: calendar of its year unknown", filing.pk)
            continue
        if left <= settings.CORRECTION_REMINDER_WORKING_DAYS:
            due.append(filing)
    return due


def correction_reminder_claim(*, filing: Filing) -> bool:
    """Marks the filing as reminded before the mail goes out, so that two runs never remind twice."""
    claimed = Filing.objects.filter(pk=filing.pk, correction_reminded_at__isnull=True).update(
        correction_reminded_at=timezone.now()
    )
    return claimed == 1


def correction_reminder_release(*, filing: Filing) -> None:
    Filing.objects.filter(pk=filing.pk, state=State.RETURNED).update(correction_reminded_at=None)


def correction_recipients(filing: Filing) -> list[str]:
    """The organisation's active applicant accounts."""
    return sorted(
        {email for email in filing.organisation.users.filter(is_active=True).values_list("email", flat=True) if email}
    )
