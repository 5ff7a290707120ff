"""立项 filings and their yearly reports, for the reports' tests. Rows are written directly:
the steps up to 立项 are tested where they belong."""

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings.models import Filing
from filings.states import State
from filings.tests.cluster_factories import complete_cluster_filing
from filings.tests.consortium_factories import complete_consortium_filing
from review.reports.models import ReportFile, ReportState, ReportVersion, YearlyReport

_serial = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A consortium's figures meeting its targets of the first year exactly (base 100 → 130).
CONSORTIUM_YEAR1 = {
    "deals": "130",
    "patents": "130",
    "value": "130.00",
    "received": "130.00",
    "pledge_projects": "3",
    "pledge_amount": "500.00",
    "sme_count": "12",
    "sme_revenue": "8000.00",
    "sme_employees": "450",
}

CLUSTER_YEAR1 = {
    "pledge_amount": "1300.00",
    "pledge_projects": "12",
    "sme_licences": "120",
    "sme_from_academia": "24",
    "satisfaction": "91.00",
    "demand_items": "400",
    "supply_items": "40",
    "deals": "30",
    "patents": "45",
    "value": "800.00",
    "received": "600.00",
    "sme_count": "60",
    "sme_revenue": "90000.00",
    "sme_employees": "3000",
}


def registered(filing: Filing, *, year: int | None = None) -> Filing:
    """The filing at 立项, registered on 1 March of `year` (this year by default)."""
    n = next(_serial)
    moment = timezone.make_aware(datetime.datetime(year or timezone.localdate().year, 3, 1, 10))
    Filing.objects.filter(pk=filing.pk).update(
        state=State.REGISTERED,
        number=filing.number or f"{filing.kind[:3]}2024-{n:04d}",
        registry_number=f"沪知立项〔2024〕第{n:03d}号",
        registered_at=moment,
        title=filing.title or f"测试项目{n}",
    )
    return Filing.objects.get(pk=filing.pk)


def registered_consortium(*, year: int | None = None, **detail) -> Filing:
    return registered(complete_consortium_filing(**detail), year=year)


def registered_cluster(*, year: int | None = None, **detail) -> Filing:
    return registered(complete_cluster_filing(**detail), year=year)


def pdf_upload(name: str = "年度工作报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def report_file(report: YearlyReport, code: str) -> ReportFile:
    row = ReportFile(
        report=report,
        code=code,
        original_name=f"{code}.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=report.created_by,
    )
    row.file.save("upload.pdf", SimpleUploadedFile("x.pdf", PDF), save=False)
    row.save()
    return row


def report(
    filing: Filing, year: int, figures: dict | None = None, *, state=ReportState.DRAFT, files=()
) -> YearlyReport:
    """A report row as its year's stage has it; a submitted or accepted one has its frozen version."""
    row = YearlyReport.objects.create(
        filing=filing,
        year=year,
        state=state,
        figures=dict(figures or {}),
        created_by=filing.created_by,
        version=0 if state == ReportState.DRAFT else 1,
    )
    for code in files:
        report_file(row, code)
    if state != ReportState.DRAFT:
        ReportVersion.objects.create(
            report=row, number=1, figures=dict(figures or {}), materials=[], submitted_by=filing.created_by
        )
    return row


def as_decimal(figures: dict) -> dict:
    return {code: Decimal(value) for code, value in figures.items()}
