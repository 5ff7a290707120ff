"""The material audit's action on the filing page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import bureau_required
from filings import kinds
from portal.http import client_ip
from review.audit import services
from review.audit.forms import AuditForm
from review.models import AuditRecord
from review.queue import selectors as queue_selectors
from review.queue.views import STALE, filing_page, stale_redirect


@bureau_required
@require_POST
def filing_audit(request, pk: int):
    filing = queue_selectors.filing_for_staff(pk)
    spec = kinds.get(filing.kind)
    form = AuditForm(request.POST, checklist=spec.audit_checklist)
    if form.is_valid():
        outcome = form.cleaned_data["outcome"]
        try:
            services.audit_record(
                filing=filing,
                actor=request.user,
                outcome=outcome,
                checklist=form.checklist_result(),
                comment=form.cleaned_data["comment"].strip(),
                client_ip=client_ip(request),
            )
        except ValidationError as error:
            if getattr(error, "code", None) in STALE:
                return stale_redirect(request, error, pk)
            form.add_error("comment" if getattr(error, "code", None) == "comment_required" else None, error)
        else:
            messages.success(
                request, _("已记录形式审查结论：%(outcome)s。") % {"outcome": AuditRecord.Outcome(outcome).label}
            )
            return redirect("review:filing", pk=pk)
    return filing_page(request, filing, audit_form=form)
