"""The virus-scan hook with a real clamd (ClamAV), switched on by PORTAL_CLAMD_ADDRESS.

clamd runs here with a signature database of one entry, the EICAR test string anywhere
in a file (official databases need a download); the scan itself is ClamAV's own. Skips
where clamd is not installed (the CI script installs clamav-daemon).
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.materials import material_upload, materials_for_user
from filings.models import Material, ScanState
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.processes import free_port, wait_until
from filings.tests.samples import PDF

pytestmark = pytest.mark.django_db

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
# The EICAR test file: harmless, and recognised as "a virus" by every scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture
def clamd(tmp_path, settings):
    if not Path(CLAMD).exists():
        pytest.skip("needs clamd (Debian's clamav-daemon; the CI script installs it)")
    database = tmp_path / "clamav-db"
    database.mkdir()
    (database / "eicar.ndb").write_text(f"Portal-Test-EICAR:0:*:{EICAR.hex()}\n")
    port = free_port()
    config = tmp_path / "clamd.conf"
    config.write_text(
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {database}\nForeground yes\n"
        f"PidFile {tmp_path}/clamd.pid\nLogFile {tmp_path}/clamd.log\nUser root\n"
    )
    process = subprocess.Popen(
        [CLAMD, "--config-file", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    settings.CLAMD_ADDRESS = f"127.0.0.1:{port}"
    try:
        from filings.materials import _clamd

        def answers():
            try:
                return _clamd().ping() == "PONG"
            except Exception:
                return False

        wait_until(answers, timeout=60, interval=0.2, message="clamd did not start")
        yield
    finally:
        process.terminate()
        process.wait(timeout=15)


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
    assert infected.scan_result == "Portal-Test-EICAR.UNOFFICIAL"
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
