"""Every kind with a registration document issues it on registration: the alliance's 备案证明,
the consortium's and the cluster's 立项通知; the applicant sees the number and downloads it."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.tests.factories import StaffFactory, UserFactory
from filings.models import Filing, FilingVersion, RegistrationDocument
from filings.states import State
from filings.tests.consortium_factories import ConsortiumFilingFactory
from review.models import PublicityBatch, PublicityEntry
from review.registry.services import filing_register
from review.tests.desk import queued

pytestmark = pytest.mark.django_db


def after_clean_publicity(filing: Filing) -> Filing:
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=1),
        published_by=StaffFactory(),
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)
    Filing.objects.filter(pk=filing.pk).update(state=State.PUBLICITY)  # test setup
    return Filing.objects.get(pk=filing.pk)


def pdf_text(document: RegistrationDocument) -> str:
    with document.file.open("rb") as stream:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(stream.read())).pages)


def test_alliance_registration_issues_a_certificate_the_applicant_downloads(staff, django_capture_on_commit_callbacks):
    filing = after_clean_publicity(queued(title="上海车规芯片产业知识产权联盟"))

    with django_capture_on_commit_callbacks(execute=True):
        registered = filing_register(filing=filing, actor=staff)
    applicant = Client()
    applicant.force_login(filing.created_by)
    detail = applicant.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    dashboard = applicant.get(reverse("filings:dashboard")).content.decode()
    download = applicant.get(reverse("filings:registration-document", args=[filing.pk]))
    stranger = Client()
    stranger.force_login(UserFactory())

    document = RegistrationDocument.objects.get(filing=filing)
    text = pdf_text(document)
    assert "备案证明" in text and registered.registry_number in text.replace(" ", "")
    assert registered.registry_number in detail and "下载备案证明PDF" in detail
    assert registered.registry_number in dashboard
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert stranger.get(reverse("filings:registration-document", args=[filing.pk])).status_code == 404


def test_consortium_registration_issues_a_project_notice(staff, django_capture_on_commit_callbacks):
    filing = ConsortiumFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(number="CX2026-001-0001", title="产学研运营联合体项目")
    FilingVersion.objects.create(filing=filing, number=1, data={}, findings=[], materials=[], submitted_by=staff)
    filing = after_clean_publicity(Filing.objects.get(pk=filing.pk))

    with django_capture_on_commit_callbacks(execute=True):
        filing_register(filing=filing, actor=staff)

    assert "立项通知" in pdf_text(RegistrationDocument.objects.get(filing=filing))


def test_the_project_notice_is_signed_by_the_bureau(staff, settings, tmp_path, django_capture_on_commit_callbacks):
    from filings import signing

    p12, ca = signing.signing_demo_create(tmp_path, "test-only")
    settings.SIGNING_PKCS12, settings.SIGNING_PASSPHRASE, settings.SIGNING_TRUST_ROOTS = str(p12), "test-only", [str(ca)]
    filing = ConsortiumFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(number="CX2026-001-0002", title="产学研运营联合体项目")
    FilingVersion.objects.create(filing=filing, number=1, data={}, findings=[], materials=[], submitted_by=staff)
    filing = after_clean_publicity(Filing.objects.get(pk=filing.pk))

    with django_capture_on_commit_callbacks(execute=True):
        filing_register(filing=filing, actor=staff)

    document = RegistrationDocument.objects.get(filing=filing)
    data = document.file.open("rb").read()
    [check] = signing.signatures_of(data)
    assert (check.intact, check.trusted, check.covers_whole_file) == (True, True, True)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
