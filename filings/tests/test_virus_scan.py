"""The virus-scan hook with a real clamd (ClamAV, filings.tests.clamd), switched on by
PORTAL_CLAMD_ADDRESS: materials here, the other uploads beside their own tests."""

from contextlib import nullcontext

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import OrganisationFactory, UserFactory
from filings.kinds.product.models import ProductSubject, SubjectState, SubjectType
from filings.kinds.product.services import product_subject_review, product_subject_submit
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


# --- the 诚信承诺书 of a 专利产品备案主体: the same hook ------------------------------------------


def submit_subject(pledge: bytes, capture=None) -> ProductSubject:
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    data = {
        "subject_type": SubjectType.ENTERPRISE,
        "legal_representative": "张法人",
        "contact_name": "李联系",
        "contact_mobile": "13800138000",
        "contact_email": "li@example.com",
    }
    pledge_file = SimpleUploadedFile("诚信承诺书.pdf", pledge, content_type="application/pdf")
    with capture(execute=True) if capture else nullcontext():
        subject = product_subject_submit(organisation=organisation, actor=user, data=data, pledge_file=pledge_file)
    subject.refresh_from_db()
    return subject


def test_an_infected_pledge_is_refused_returned_and_kept_from_staff(
    clamd, staff_client, django_capture_on_commit_callbacks
):
    subject = submit_subject(PDF + EICAR + b"\n", django_capture_on_commit_callbacks)

    assert (subject.scan_state, subject.scan_result, subject.state) == (
        ScanState.INFECTED,
        EICAR_FOUND,
        SubjectState.RETURNED,
    )
    assert subject.review_comment == "上传的诚信承诺书未通过病毒扫描，已拦截，请重新上传。"
    assert staff_client.get(reverse("review:product-subject-pledge", args=[subject.pk])).status_code == 404
    # Sent again without a new file: refused, the infected one is no pledge.
    with pytest.raises(ValidationError) as refused:
        product_subject_submit(
            organisation=subject.organisation, actor=subject.organisation.users.get(), data={"contact_name": "王"}
        )
    assert refused.value.code == "pledge_required"


def test_a_clean_pledge_reaches_staff_once_scanned(clamd, staff_client, django_capture_on_commit_callbacks):
    subject = submit_subject(PDF, django_capture_on_commit_callbacks)

    assert (subject.scan_state, subject.state) == (ScanState.CLEAN, SubjectState.PENDING)
    response = staff_client.get(reverse("review:product-subject-pledge", args=[subject.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_pledge_waiting_for_its_scan_is_neither_served_nor_approved(settings, staff, staff_client):
    settings.CLAMD_ADDRESS = f"127.0.0.1:{free_port()}"
    subject = submit_subject(PDF)

    page = staff_client.get(reverse("review:product-subjects")).content.decode()
    download = staff_client.get(reverse("review:product-subject-pledge", args=[subject.pk]))
    with pytest.raises(ValidationError) as refused:
        product_subject_review(subject=subject, actor=staff, approve=True)

    assert subject.scan_state == ScanState.PENDING
    assert "待扫描" in page
    assert reverse("review:product-subject-pledge", args=[subject.pk]) not in page
    assert download.status_code == 404
    assert refused.value.code == "pledge_not_scanned"
