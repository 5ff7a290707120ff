"""The unit's pages of its yearly reports (/reports/) and the public check of a report's PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import applicant_required
from filings import kinds
from filings.models import ScanState
from portal.http import client_ip
from review.reports import selectors, services
from review.reports.forms import ReportForm, ReportUploadForm
from review.reports.growth import HOW_COMPUTED, growth_table
from review.reports.models import ReportDocument, ReportFile, ReportVersion
from review.reports.periods import period_of, periods_of
from review.reports.workflow import missing_for_submission

ERROR_FIELDS = {"unknown_material": "code"}


@applicant_required
@require_safe
def home(request):
    filings = selectors.reporting_filings_for_applicant(request.user)
    rows = [{"filing": filing, "periods": periods_of(filing)} for filing in filings]
    return render(request, "reports/home.html", {"rows": rows})


@applicant_required
@require_POST
def start(request, filing_pk: int, year: int):
    filing = selectors.filing_for_applicant(request.user, filing_pk)
    try:
        report = services.report_start(filing=filing, year=year, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:home")
    return redirect("reports:report", pk=report.pk)


def report_context(report, **extra) -> dict:
    spec = kinds.get(report.filing.kind)
    files = list(report.files.filter(is_current=True))
    slots = [
        {"spec": material, "files": [f for f in files if f.code == material.code]} for material in spec.report_materials
    ]
    return {
        "report": report,
        "filing": report.filing,
        "period": period_of(report.filing, report.year),
        "slots": slots,
        "rows": growth_table(report),
        "how_computed": HOW_COMPUTED,
        "events": report.events.select_related("actor"),
        "versions": report.versions.select_related("document"),
        **extra,
    }


@applicant_required
@never_cache
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    report = selectors.report_for_applicant(request.user, pk)
    spec = kinds.get(report.filing.kind)
    if request.method == "POST" and not report.is_editable:
        messages.error(request, _("年度报告当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()})
        return redirect("reports:report", pk=report.pk)
    initial = {**report.figures, "notes": report.notes}
    form = ReportForm(request.POST or None, initial=initial, metrics=spec.report_metrics)
    if request.method == "POST":
        valid = form.is_valid()
        notes = form.cleaned_data.get("notes") if "notes" in form.cleaned_data else None
        try:
            # What passed its checks is kept even when another field is refused: nothing typed is lost.
            report = services.report_save(report=report, actor=request.user, figures=form.valid_figures(), notes=notes)
            if valid and "submit" in request.POST:
                version = services.report_submit(report=report, actor=request.user, client_ip=client_ip(request))
                messages.success(
                    request, _("%(year)s 年度报告已报送（第 %(n)s 版）。") % {"year": report.year, "n": version.number}
                )
                return redirect("reports:report", pk=report.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if valid:
                messages.success(request, _("草稿已保存。"))
                return redirect("reports:report", pk=report.pk)
        report.refresh_from_db()
    context = report_context(
        report,
        form=form,
        upload_form=ReportUploadForm(materials=spec.report_materials),
        missing=missing_for_submission(report) if report.is_editable else [],
    )
    return render(request, "reports/report.html", context, status=400 if form.errors else 200)


@applicant_required
@require_POST
def upload(request, pk: int):
    report = selectors.report_for_applicant(request.user, pk)
    spec = kinds.get(report.filing.kind)
    upload_form = ReportUploadForm(request.POST, request.FILES, materials=spec.report_materials)
    if upload_form.is_valid():
        try:
            services.report_file_upload(
                report=report,
                code=upload_form.cleaned_data["code"],
                uploaded_file=upload_form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            upload_form.add_error(ERROR_FIELDS.get(error.code, "file"), error)
        else:
            messages.success(request, _("文件已上传。"))
            return redirect("reports:report", pk=report.pk)
    form = ReportForm(initial={**report.figures, "notes": report.notes}, metrics=spec.report_metrics)
    context = report_context(report, form=form, upload_form=upload_form, missing=missing_for_submission(report))
    return render(request, "reports/report.html", context, status=400)


@applicant_required
@require_POST
def file_remove(request, pk: int, file_id: int):
    report = selectors.report_for_applicant(request.user, pk)
    try:
        services.report_file_remove(report=report, file_id=file_id, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:report", pk=report.pk)


def file_response(report, file_id: int) -> FileResponse:
    # Only what the virus scan passed is served, to staff as to the applicant.
    row = ReportFile.objects.filter(report=report, pk=file_id, scan_state=ScanState.CLEAN).first()
    if row is None:
        raise Http404
    return FileResponse(
        row.file.open("rb"), as_attachment=True, filename=row.original_name, content_type=row.content_type
    )


def document_response(report, number: int) -> FileResponse:
    document = ReportDocument.objects.filter(version__report=report, version__number=number).first()
    if document is None:
        raise Http404
    name = f"{report.filing.registry_number or report.filing.number}-{report.year}年度绩效报告-v{number}.pdf"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@applicant_required
@require_safe
def file_download(request, pk: int, file_id: int):
    return file_response(selectors.report_for_applicant(request.user, pk), file_id)


@applicant_required
@require_safe
def document(request, pk: int, number: int):
    return document_response(selectors.report_for_applicant(request.user, pk), number)


@never_cache
@require_safe
def verify(request, code: str):
    """What the QR code of a report's PDF opens: which report and version, and the PDF's SHA-256."""
    version = (
        ReportVersion.objects.select_related("report__filing__organisation", "document")
        .filter(verification_code=code.strip().upper()[:20])
        .first()
    )
    if version is None:
        return render(request, "reports/verify.html", {"not_found": True}, status=404)
    return render(request, "reports/verify.html", {"version": version, "report": version.report})
