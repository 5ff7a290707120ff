"""The 专利产品备案 path (seed 003 附件 二): subject audit first, then the product, its audit and the registry."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from accounts.tests.factories import OrganisationFactory, StaffFactory, UserFactory
from filings import kinds, pdf, services
from filings.kinds.product import services as product_services
from filings.kinds.product.models import (
    ProductDetail,
    ProductPatent,
    ProductSubject,
    ProductYearlyData,
    SubjectState,
    SubjectType,
)
from filings.models import FilingEvent
from filings.states import State
from filings.tests.alliance_factories import PDF_BYTES
from filings.tests.product_factories import (
    ProductCallFactory,
    ProductSubjectFactory,
    complete_product_filing,
    make_patent,
)
from review.audit.services import audit_record
from review.models import AuditRecord

pytestmark = pytest.mark.django_db

SUBJECT_PAGE = reverse("filings:product-subject")
SUBJECTS = reverse("review:product-subjects")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def subject_post(**changes):
    data = {
        "subject_type": SubjectType.ENTERPRISE,
        "legal_representative": "张法人",
        "contact_name": "李联系",
        "contact_mobile": "138 0013 8000",
        "contact_email": "li@example.com",
        "pledge_upload": SimpleUploadedFile("诚信承诺书.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def audit_post(filing, outcome="pass", comment=""):
    data = {"outcome": outcome, "comment": comment}
    for key, _label in kinds.get(filing.kind).audit_checklist:
        data[f"check_{key}"] = "on"
    return data


# --- registration and start ----------------------------------------------------------------


def test_the_kind_is_registered_as_its_own_app():
    from django.apps import apps

    spec = kinds.get("PRODUCT")
    assert (spec.number_prefix, spec.pdf_template) == ("ZLCP", "pdf/product.html")
    assert [s.slug for s in spec.steps] == ["subject", "product", "economy", "patents", "materials", "submit"]
    assert apps.get_containing_app_config(ProductDetail.__module__).label == "product"


def test_starting_a_product_creates_its_detail_and_opens_the_subject_step(client):
    call = ProductCallFactory()
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("filings:start", args=[call.pk]))

    detail = ProductDetail.objects.get(filing__organisation=user.organisation)
    step = client.get(response.url, follow=True)
    assert (step.status_code, step.redirect_chain[-1][0]) == (200, f"{SUBJECT_PAGE}?filing={detail.filing.pk}")
    assert reverse("filings:step", args=[detail.filing.pk, "product"]) in step.content.decode()
    assert detail.filing.kind == "PRODUCT"


def test_patents_step_validates_the_patent_number_and_keeps_it_normalised(client):
    filing = complete_product_filing()
    client.force_login(UserFactory(organisation=filing.organisation))
    number = make_patent(42)
    url = reverse("filings:step", args=[filing.pk, "patents"])
    data = {
        "save": "1",
        "patents-TOTAL_FORMS": "2",
        "patents-INITIAL_FORMS": "0",
        "patents-0-number": f"ZL {number[:4]} {number[4:]}",
        "patents-0-role": "holder",
        "patents-0-licence_number": "无",
        "patents-0-no_dispute": "on",
        "patents-1-number": "202010000001.0",
        "patents-1-role": "holder",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert "专利申请号校验位不正确，请核对。" in response.content.decode()
    del data["patents-1-number"], data["patents-1-role"]
    data["patents-TOTAL_FORMS"] = "1"
    assert client.post(url, data).status_code == 302
    assert ProductPatent.objects.filter(filing=filing, number=number).exists()


def test_patents_step_shows_its_title_once(client):
    filing = complete_product_filing()
    client.force_login(UserFactory(organisation=filing.organisation))

    page = client.get(reverse("filings:step", args=[filing.pk, "patents"])).content.decode()

    # Headings and legends that a sighted reader sees.
    visible = re.findall(r'<(?:h2|legend) class="(?!visually-hidden)[^"]*">所使用专利</', page)
    assert len(visible) == 1
    assert '<legend class="visually-hidden">所使用专利</legend>' in page


# --- the subject audit comes first ---------------------------------------------------------


def test_subject_is_submitted_on_its_page_with_the_pledge_and_its_sha256(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(SUBJECT_PAGE, subject_post())

    assert response.status_code == 302
    subject = ProductSubject.objects.get(organisation=user.organisation)
    assert (subject.state, subject.contact_mobile, subject.pledge_name) == (
        SubjectState.PENDING,
        "13800138000",
        "诚信承诺书.pdf",
    )
    assert subject.pledge_content_type == "application/pdf"
    assert len(subject.pledge_sha256) == 64
    assert client.get(SUBJECT_PAGE).status_code == 200


def test_subject_pledge_of_the_wrong_type_is_refused_before_storage(client):
    user = UserFactory()
    client.force_login(user)
    fake = SimpleUploadedFile("承诺书.pdf", b"not a pdf at all", content_type="application/pdf")

    response = client.post(SUBJECT_PAGE, subject_post(pledge_upload=fake))

    assert response.status_code == 200
    assert "文件内容不是 PDF、JPG 或 PNG" in response.content.decode()
    assert not ProductSubject.objects.filter(organisation=user.organisation, state=SubjectState.PENDING).exists()


def test_submitting_a_product_before_the_subject_passed_is_refused():
    organisation = OrganisationFactory()
    ProductSubjectFactory(organisation=organisation, state=SubjectState.PENDING)
    filing = complete_product_filing(organisation=organisation)

    with pytest.raises(services.SubmissionRefused) as refused:
        services.filing_submit(filing=filing, actor=filing.created_by)

    assert [f.rule for f in refused.value.findings] == ["PR-1"]
    filing.refresh_from_db()
    assert filing.state == State.DRAFT


def test_staff_approve_the_subject_and_then_the_product_can_be_submitted(client):
    organisation = OrganisationFactory()
    subject = ProductSubjectFactory(organisation=organisation, state=SubjectState.PENDING, reviewed_by=None)
    filing = complete_product_filing(organisation=organisation)
    staff = StaffFactory()
    client.force_login(staff)

    listing = client.get(SUBJECTS)
    response = client.post(reverse("review:product-subject-review", args=[subject.pk]), {"decision": "approve"})

    assert organisation.name in listing.content.decode()
    assert response.status_code == 302
    subject.refresh_from_db()
    assert (subject.state, subject.reviewed_by) == (SubjectState.APPROVED, staff)
    version = services.filing_submit(filing=filing, actor=filing.created_by)
    filing.refresh_from_db()
    assert (filing.state, version.number) == (State.SUBMITTED, 1)
    assert filing.number.startswith("ZLCP2024")


def test_staff_return_a_subject_only_with_a_reason(client):
    subject = ProductSubjectFactory(state=SubjectState.PENDING)
    client.force_login(StaffFactory())
    url = reverse("review:product-subject-review", args=[subject.pk])

    client.post(url, {"decision": "return", "comment": " "})
    subject.refresh_from_db()
    assert subject.state == SubjectState.PENDING

    client.post(url, {"decision": "return", "comment": "诚信承诺书未盖章"})
    subject.refresh_from_db()
    assert (subject.state, subject.review_comment) == (SubjectState.RETURNED, "诚信承诺书未盖章")


def test_the_subject_pages_are_for_their_audiences(client):
    client.force_login(UserFactory())
    assert client.get(SUBJECTS).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(SUBJECT_PAGE).status_code == 403


def test_an_approved_subject_cannot_be_edited_again():
    subject = ProductSubjectFactory()
    user = UserFactory(organisation=subject.organisation)

    with pytest.raises(ValidationError) as refused:
        product_services.product_subject_submit(
            organisation=subject.organisation, actor=user, data={"contact_name": "王"}
        )

    assert refused.value.code == "wrong_state"


# --- product audit and registry ------------------------------------------------------------


def test_staff_audit_pass_registers_the_product_with_the_calls_number(client):
    call = ProductCallFactory(year=2024)
    filing = complete_product_filing(call=call)
    services.filing_submit(filing=filing, actor=filing.created_by)
    staff = StaffFactory()
    client.force_login(staff)

    response = client.post(reverse("review:filing-audit", args=[filing.pk]), audit_post(filing))

    assert response.status_code == 302
    filing.refresh_from_db()
    assert (filing.state, filing.registry_seq, filing.registry_number) == (
        State.REGISTERED,
        1,
        "沪知产品备〔2024〕第00001号",
    )
    assert filing.registered_at is not None
    event = FilingEvent.objects.filter(filing=filing).latest("id")
    assert (event.action, event.from_state, event.to_state) == ("product_register", State.SUBMITTED, State.REGISTERED)
    assert AuditRecord.objects.get(filing=filing).outcome == "pass"

    second = complete_product_filing(call=call, model="X40")
    services.filing_submit(filing=second, actor=second.created_by)
    client.post(reverse("review:filing-audit", args=[second.pk]), audit_post(second))
    second.refresh_from_db()
    assert second.registry_number == "沪知产品备〔2024〕第00002号"


def test_a_registered_product_blocks_the_same_product_of_anyone():
    first = complete_product_filing()
    services.filing_submit(filing=first, actor=first.created_by)
    again = complete_product_filing(product_name="智能手机", model="ｘ３０")

    with pytest.raises(services.SubmissionRefused) as refused:
        services.filing_submit(filing=again, actor=again.created_by)

    assert [f.rule for f in refused.value.findings] == ["PR-5"]


def test_the_holder_may_withdraw_a_submitted_product(client):
    filing = complete_product_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
    client.force_login(filing.created_by)

    client.post(reverse("filings:withdraw", args=[filing.pk]))

    filing.refresh_from_db()
    assert filing.state == State.WITHDRAWN


def test_the_submitted_version_prints_as_a_one_page_certificate():
    filing = complete_product_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)

    rendered = pdf.render_version(version)
    filing.refresh_from_db()

    reader = PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", "", reader.pages[0].extract_text())
    patent = filing.product_patents.first().number
    for expected in ("专利产品备案证明", filing.number, filing.organisation.name, "智能手机", "X30", patent, "发明"):
        assert expected in text
    assert version.verification_code in text


def test_the_certificate_is_issued_on_registration_with_the_registry_number(django_capture_on_commit_callbacks):
    from filings.models import VersionDocument

    filing = complete_product_filing()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.filing_submit(filing=filing, actor=filing.created_by)
    assert not VersionDocument.objects.filter(version=version).exists()  # nothing to certify yet

    checklist = {key: True for key, _label in kinds.get("PRODUCT").audit_checklist}
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(filing=filing, actor=StaffFactory(), outcome="pass", checklist=checklist)

    filing.refresh_from_db()
    document = VersionDocument.objects.get(version=version)
    text = re.sub(r"\s+", "", PdfReader(document.file.open("rb")).pages[0].extract_text())
    assert filing.registry_number in text


# --- yearly update of last year's data ------------------------------------------------------


def registered_product():
    filing = complete_product_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
    checklist = {key: True for key, _label in kinds.get("PRODUCT").audit_checklist}
    audit_record(filing=filing, actor=StaffFactory(), outcome="pass", checklist=checklist)
    filing.refresh_from_db()
    return filing


YEARLY = {"sales": "13000", "exports": "3500", "profit": "-20", "ip_investment": "320"}


def test_holder_updates_last_years_data_in_the_first_quarter(client, monkeypatch):
    filing = registered_product()
    monkeypatch.setattr(product_services, "yearly_update_year", lambda today=None: 2024)
    client.force_login(filing.created_by)
    url = reverse("filings:product-yearly", args=[filing.pk])

    response = client.post(url, YEARLY)
    client.post(url, {**YEARLY, "sales": "13100"})

    assert response.status_code == 302
    row = ProductYearlyData.objects.get(filing=filing)
    assert (row.year, row.sales, row.profit) == (2024, Decimal("13100.00"), Decimal("-20.00"))
    assert filing.registry_number in client.get(SUBJECT_PAGE).content.decode()


@pytest.mark.parametrize(
    ("today", "year"), [(date(2025, 1, 1), 2024), (date(2025, 3, 31), 2024), (date(2025, 4, 1), None)]
)
def test_the_update_window_is_the_first_quarter(today, year):
    assert product_services.yearly_update_year(today) == year


def test_yearly_update_is_refused_outside_the_window_and_before_registration():
    filing = registered_product()
    draft = complete_product_filing(model="X40")
    data = {"sales": Decimal("1"), "exports": Decimal("0"), "profit": Decimal("0"), "ip_investment": Decimal("0")}

    with pytest.raises(ValidationError) as closed:
        product_services.product_yearly_report(
            filing=filing, actor=filing.created_by, data=data, today=date(2025, 6, 1)
        )
    with pytest.raises(ValidationError) as unregistered:
        product_services.product_yearly_report(filing=draft, actor=draft.created_by, data=data, today=date(2025, 2, 1))

    assert (closed.value.code, unregistered.value.code) == ("closed", "wrong_state")
    assert not ProductYearlyData.objects.exists()


def test_the_holder_may_withdraw_a_registered_record_and_it_leaves_the_registry(client):
    filing = registered_product()
    client.force_login(filing.created_by)
    assert "撤销备案" in client.get(reverse("filings:detail", args=[filing.pk])).content.decode()

    refused = client.post(reverse("filings:withdraw", args=[filing.pk]), {"action": "withdraw_record"}, follow=True)
    assert "请填写意见或理由" in refused.content.decode()

    client.post(reverse("filings:withdraw", args=[filing.pk]), {"action": "withdraw_record", "comment": "产品已停产"})

    filing.refresh_from_db()
    assert filing.state == State.WITHDRAWN
    registry = client.get(reverse("public:registry")).content.decode()
    assert filing.registry_number not in registry
