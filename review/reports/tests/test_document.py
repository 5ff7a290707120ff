import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from review.reports.models import ReportState, YearlyReport
from review.reports.services import report_save, report_submit
from review.reports.tests.factories import CONSORTIUM_YEAR1, as_decimal, registered_consortium, report

pytestmark = pytest.mark.django_db


def test_the_reports_pdf_is_a4_with_its_figures_growth_and_verification_code(
    client, django_capture_on_commit_callbacks
):
    filing = registered_consortium()
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, files=("R1",))
    with django_capture_on_commit_callbacks(execute=True):
        version = report_submit(report=row, actor=filing.created_by)
    client.force_login(filing.created_by)

    response = client.get(reverse("reports:document", args=[row.pk, 1]))

    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.28, abs=1)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=1)
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert f"验证码：{version.verification_code}" in text
    assert f"{row.year}年度绩效报告" in text
    # The deals row: 130 this year, 100 the base, +30.0% both ways, against the target 130.
    assert "专利许可、转让、作价入股次数次13010030.0%30.0%130（达到）" in text


def test_the_pdf_prints_the_submitted_version_not_a_later_draft(django_capture_on_commit_callbacks):
    filing = registered_consortium()
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, files=("R1",))
    with django_capture_on_commit_callbacks(execute=True):
        version = report_submit(report=row, actor=filing.created_by)
    # Staff return it and the unit types a new figure: version 1's paper keeps the old one.
    YearlyReport.objects.filter(pk=row.pk).update(state=ReportState.RETURNED)
    report_save(
        report=YearlyReport.objects.get(pk=row.pk), actor=filing.created_by, figures=as_decimal({"deals": "999"})
    )

    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(version.document.file.open("rb")).pages))
    assert "999" not in text
