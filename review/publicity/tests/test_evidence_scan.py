"""An objector's evidence passes the virus scan (filings.scan, a real clamd) before staff see it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filings.models import ScanState
from filings.tests.clamd import EICAR, EICAR_FOUND
from filings.tests.processes import free_port
from filings.tests.samples import PDF
from review.publicity.services import objection_lodge
from review.publicity.tests.test_publicity import running_batch

pytestmark = pytest.mark.django_db


def lodge(evidence: bytes, capture=None):
    entry = running_batch().entries.get()
    arguments = {
        "entry": entry,
        "name": "赵异议",
        "organisation": "上海某竞争企业有限公司",
        "phone": "13912340000",
        "email": "objector@example.org",
        "reasons": "该联盟成员名单中的上海晶圆制造有限公司并未签署合作协议。",
        "evidence": SimpleUploadedFile("证明.pdf", evidence, content_type="application/pdf"),
        "evidence_content_type": "application/pdf",
    }
    if capture is None:
        objection = objection_lodge(**arguments)
    else:
        with capture(execute=True):
            objection = objection_lodge(**arguments)
    objection.refresh_from_db()
    return objection


def test_infected_evidence_is_kept_from_staff(clamd, staff_client, django_capture_on_commit_callbacks):
    objection = lodge(PDF + EICAR + b"\n", django_capture_on_commit_callbacks)

    page = staff_client.get(reverse("review:objection-decide", args=[objection.pk])).content.decode()
    download = staff_client.get(reverse("review:objection-evidence", args=[objection.pk]))

    assert (objection.scan_state, objection.scan_result) == (ScanState.INFECTED, EICAR_FOUND)
    assert "检出病毒，已拦截" in page
    assert download.status_code == 404


def test_clean_evidence_reaches_staff_once_scanned(clamd, staff_client, django_capture_on_commit_callbacks):
    objection = lodge(PDF, django_capture_on_commit_callbacks)

    download = staff_client.get(reverse("review:objection-evidence", args=[objection.pk]))

    assert objection.scan_state == ScanState.CLEAN
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_evidence_waiting_for_its_scan_is_not_served(settings, staff_client):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    objection = lodge(PDF)

    page = staff_client.get(reverse("review:objection-decide", args=[objection.pk])).content.decode()
    download = staff_client.get(reverse("review:objection-evidence", args=[objection.pk]))

    assert objection.scan_state == ScanState.PENDING
    assert "待扫描" in page
    assert download.status_code == 404
