"""The A4 PDF of a submitted yearly report, like the 申请书: rendered once, off the request path."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from filings import kinds
from filings.pdf import RenderedPdf, html_to_pdf, portal_base_url, qr_data_uri
from review.reports.growth import HOW_COMPUTED, growth_table
from review.reports.models import ReportDocument, ReportVersion


def report_verification_url(code: str) -> str:
    return portal_base_url() + reverse("reports:verify", args=[code])


def render_report_version(version: ReportVersion) -> RenderedPdf:
    report = version.report
    filing = report.filing
    spec = kinds.get(filing.kind)
    # The table of what was submitted in this version, not of today's draft.
    report.figures = version.figures
    url = report_verification_url(version.verification_code)
    names = {m.code: m.label for m in spec.report_materials}
    context = {
        "report": report,
        "filing": filing,
        "kind_label": spec.label,
        "rows": growth_table(report),
        "how_computed": HOW_COMPUTED,
        "materials": [{**m, "label": names.get(m["code"], m["code"])} for m in version.materials],
        "notes": version.notes,
        "filing_number": filing.registry_number or filing.number,
        "version_number": version.number,
        "submitted_on": timezone.localdate(version.submitted_at),
        "verification_code": version.verification_code,
        "verification_url": url,
        "qr_data_uri": qr_data_uri(url),
    }
    return html_to_pdf(render_to_string("pdf/report.html", context))


def report_document_issue(*, version_id: int) -> tuple[ReportDocument, bool]:
    """Renders and stores a version's PDF once (idempotent: the one-to-one row decides a race)."""
    existing = ReportDocument.objects.filter(version_id=version_id).first()
    if existing is not None:
        return existing, False
    version = ReportVersion.objects.select_related("report__filing__call", "report__filing__organisation").get(
        pk=version_id
    )
    rendered = render_report_version(version)
    name = default_storage.save(
        f"report-documents/{version.report_id}/v{version.number}-{version.verification_code}.pdf",
        ContentFile(rendered.data),
    )
    try:
        with transaction.atomic():
            document = ReportDocument.objects.create(
                version=version, file=name, sha256=rendered.sha256, size=len(rendered.data)
            )
    except IntegrityError:
        default_storage.delete(name)
        return ReportDocument.objects.get(version_id=version_id), False
    return document, True
