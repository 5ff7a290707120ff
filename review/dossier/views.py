"""Dossier downloads: a filing's for staff (everything) and for its applicant (without the
bureau's notes and scores), and a call's, built by a task whose progress the page shows."""

from django.contrib import messages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import applicant_required, bureau_required
from filings.models import Call, Filing
from filings.selectors import filing_for_applicant
from review.dossier import services
from review.dossier.models import CallDossier


def _zip_response(stream, filename: str) -> FileResponse:
    response = FileResponse(stream, as_attachment=True, filename=filename, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _streamed_zip_response(chunks, filename: str) -> StreamingHttpResponse:
    """A ZIP written while it is sent: no length known in advance, nothing kept on disk."""
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@bureau_required
@require_safe
def filing_dossier(request, pk: int):
    filing = get_object_or_404(Filing.objects.select_related("organisation", "call").exclude(number=None), pk=pk)
    chunks = services.filing_dossier_stream(filing=filing)
    return _streamed_zip_response(chunks, f"档案-{filing.number}-{timezone.localdate():%Y%m%d}.zip")


@never_cache
@applicant_required
@require_safe
def applicant_dossier(request, pk: int):
    filing = filing_for_applicant(request.user, pk)
    if filing.number is None:
        raise Http404
    chunks = services.filing_dossier_stream(filing=filing, for_applicant=True)
    return _streamed_zip_response(chunks, f"档案-{filing.number}-{timezone.localdate():%Y%m%d}.zip")


@never_cache
@bureau_required
@require_http_methods(["GET", "HEAD", "POST"])
def call_dossiers(request, pk: int):
    call = get_object_or_404(Call, pk=pk)
    if request.method == "POST":
        services.call_dossier_request(call=call, actor=request.user)
        messages.success(request, _("已开始生成本批次的档案，完成后可在此下载。"))
        return redirect("dossier:call", pk=call.pk)
    dossiers = CallDossier.objects.filter(call=call).select_related("requested_by")[:20]
    running = any(d.state in (CallDossier.State.PENDING, CallDossier.State.RUNNING) for d in dossiers)
    return render(request, "review/dossier/call.html", {"call": call, "dossiers": dossiers, "running": running})


@never_cache
@bureau_required
@require_safe
def call_dossier_download(request, pk: int):
    dossier = get_object_or_404(CallDossier.objects.select_related("call"), pk=pk, state=CallDossier.State.DONE)
    try:
        stream = dossier.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _zip_response(stream, f"批次档案-{dossier.call.pk}-{dossier.finished_at:%Y%m%d%H%M}.zip")
