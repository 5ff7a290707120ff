"""The 申请书 PDF of a submitted version: whether it is ready, and the file itself.

The filing's own organisation and bureau staff may read it; for anyone else the
answer is the same 404 as for a filing that does not exist.
"""

import logging

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.roles import is_applicant, is_bureau
from filings import kinds, outbox, selectors
from filings.models import Filing, FilingVersion, RegistrationDocument

logger = logging.getLogger(__name__)


def _version_for(user, pk: int, number: int) -> FilingVersion:
    if is_bureau(user):
        filing = get_object_or_404(Filing, pk=pk)
    elif is_applicant(user):
        filing = selectors.filing_for_applicant(user, pk)
    else:
        raise Http404
    return get_object_or_404(filing.versions.select_related("filing", "document"), number=number)


def _document(version: FilingVersion):
    try:
        return version.document
    except FilingVersion.document.RelatedObjectDoesNotExist:
        return None


def _document_progress(version: FilingVersion) -> dict:
    """Where the render of a version stands, as the outbox knows it (filings.outbox)."""
    message = outbox.outbox_message_for_key(f"pdf:{version.pk}")
    if message is not None and message.dead_at is not None:
        return {"state": "failed", "message": _("申请书PDF生成失败，工作人员已收到提示并将重新生成，请稍后再查看。")}
    if message is not None and message.dispatched_at is None:
        return {"state": "queued", "message": _("申请书PDF排队等待生成…")}
    return {"state": "pending", "message": _("正在生成申请书PDF…")}


@never_cache
@require_safe
def document_status(request, pk: int, version: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _version_for(request.user, pk, version)
    document = _document(found)
    if document is None:
        return JsonResponse(_document_progress(found))
    return JsonResponse(
        {
            "state": "ready",
            "url": reverse("filings:document", args=[pk, version]),
            "sha256": document.sha256,
            "pages": document.pages,
            "size": document.size,
        }
    )


@never_cache
@require_safe
def document_download(request, pk: int, version: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = _version_for(request.user, pk, version)
    document = _document(found)
    if document is None:
        raise Http404
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error("version document %s: file %s is missing from storage", document.pk, document.file.name)
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=f"{found.filing.number}-第{found.number}版-申请书.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_safe
def registration_download(request, pk: int):
    """The 备案证明 / 立项通知 of a registered filing, to its organisation and to staff."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_bureau(request.user):
        filing = get_object_or_404(Filing, pk=pk)
    elif is_applicant(request.user):
        filing = selectors.filing_for_applicant(request.user, pk)
    else:
        raise Http404
    document = RegistrationDocument.objects.filter(filing=filing).first()
    if document is None:
        raise Http404
    try:
        stream = document.file.open("rb")
    except FileNotFoundError:
        logger.error("registration document %s: file %s is missing from storage", document.pk, document.file.name)
        raise Http404 from None
    name = kinds.get(filing.kind).registration_document_name or "registration"
    response = FileResponse(
        stream, as_attachment=True, filename=f"{filing.registry_number}-{name}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
