"""A yearly report's files pass the virus scan (filings.scan, a real clamd) before anyone gets them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from filings.models import ScanState
from filings.tests.clamd import EICAR, EICAR_FOUND
from filings.tests.processes import free_port
from filings.tests.samples import PDF
from review.reports.services import report_file_upload
from review.reports.tests.factories import registered_consortium, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def row():
    filing = registered_consortium()
    return report(filing, filing.registered_at.year)


def upload(row, content: bytes, capture=None):
    arguments = {
        "report": row,
        "code": "R1",
        "uploaded_file": SimpleUploadedFile("年度工作报告.pdf", content, content_type="application/pdf"),
        "actor": row.created_by,
    }
    if capture is None:
        stored = report_file_upload(**arguments)
    else:
        with capture(execute=True):
            stored = report_file_upload(**arguments)
    stored.refresh_from_db()
    return stored


def test_an_infected_file_leaves_the_report_and_is_served_to_nobody(
    clamd, row, staff_client, django_capture_on_commit_callbacks
):
    infected = upload(row, PDF + EICAR + b"\n", django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(row.created_by)

    assert (infected.scan_state, infected.scan_result, infected.is_current) == (ScanState.INFECTED, EICAR_FOUND, False)
    assert client.get(reverse("reports:file", args=[row.pk, infected.pk])).status_code == 404
    assert staff_client.get(reverse("review:report-file", args=[row.pk, infected.pk])).status_code == 404


def test_a_clean_file_is_served_once_scanned(clamd, row, staff_client, django_capture_on_commit_callbacks):
    clean = upload(row, PDF, django_capture_on_commit_callbacks)

    response = staff_client.get(reverse("review:report-file", args=[row.pk, clean.pk]))

    assert (clean.scan_state, clean.is_current) == (ScanState.CLEAN, True)
    assert response.status_code == 200
    response.close()


def test_a_file_waiting_for_its_scan_is_shown_so_and_not_served(settings, row, client):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    waiting = upload(row, PDF)
    client.force_login(row.created_by)

    page = client.get(reverse("reports:report", args=[row.pk])).content.decode()
    download = client.get(reverse("reports:file", args=[row.pk, waiting.pk]))

    assert waiting.scan_state == ScanState.PENDING
    assert "待扫描" in page
    assert download.status_code == 404
