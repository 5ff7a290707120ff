"""The virus-scan hook with a real clamd (ClamAV, filings.tests.clamd), switched on by
PORTAL_CLAMD_ADDRESS: materials here, the other uploads beside their own tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.materials import material_upload, materials_for_user
from filings.models import Material, ScanState
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.clamd import EICAR, EICAR_FOUND
from filings.tests.processes import free_port
from filings.tests.samples import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing():
    return AllianceFilingFactory()


def upload(filing, content: bytes, django_capture_on_commit_callbacks) -> Material:
    with django_capture_on_commit_callbacks(execute=True):
        material = material_upload(
            filing=filing,
            code="M2",
            uploaded_file=SimpleUploadedFile("章程.pdf", content, content_type="application/pdf"),
            actor=filing.created_by,
        )
    material.refresh_from_db()
    return material


def test_an_infected_pdf_is_refused_and_kept_from_staff(clamd, filing, staff, django_capture_on_commit_callbacks):
    infected = upload(filing, PDF + EICAR + b"\n", django_capture_on_commit_callbacks)

    assert infected.scan_state == ScanState.INFECTED
    assert infected.scan_result == EICAR_FOUND
    assert infected.is_current is False
    assert not materials_for_user(staff).filter(pk=infected.pk).exists()


def test_a_clean_pdf_is_served_once_scanned(clamd, filing, django_capture_on_commit_callbacks, client):
    clean = upload(filing, PDF, django_capture_on_commit_callbacks)

    assert clean.scan_state == ScanState.CLEAN
    client.force_login(filing.created_by)
    response = client.get(reverse("filings:material-download", args=[filing.pk, clean.pk]))
    assert response.status_code == 200
    response.close()


def test_a_file_waits_for_the_scan_and_is_not_served_meanwhile(filing, settings, client):
    # Scanning on, but no clamd answering: the upload is kept, marked 待扫描, served to nobody.
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    material = material_upload(
        filing=filing,
        code="M2",
        uploaded_file=SimpleUploadedFile("章程.pdf", PDF, content_type="application/pdf"),
        actor=filing.created_by,
    )
    client.force_login(filing.created_by)

    page = client.get(reverse("filings:materials", args=[filing.pk])).content.decode()
    download = client.get(reverse("filings:material-download", args=[filing.pk, material.pk]))

    assert material.scan_state == ScanState.PENDING
    assert "待扫描" in page
    assert download.status_code == 404

