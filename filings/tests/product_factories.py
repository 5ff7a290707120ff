"""Factories for 专利产品备案 filings (seed 003)."""

from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.tests.factories import OrganisationFactory, StaffFactory, UserFactory
from filings.kinds.product.models import (
    PatentRole,
    ProductDetail,
    ProductPatent,
    ProductSubject,
    SubjectState,
    SubjectType,
)
from filings.models import Filing
from filings.tests.alliance_factories import PDF_BYTES, MaterialFactory
from filings.tests.factories import CallFactory
from filings.validators import calc_patent_check_digit


def make_patent(serial: int, year: int = 2020, type_digit: str = "1") -> str:
    """A valid 专利申请号 for tests, e.g. 202010000001.X."""
    body = f"{year}{type_digit}{serial:07d}"
    return f"{body}.{calc_patent_check_digit(body)}"


class ProductCallFactory(CallFactory):
    kind = "PRODUCT"
    title = factory.Sequence(lambda n: f"关于组织开展专利产品备案工作的通知（第{n}批）")
    notice_number = ""
    number_format = "沪知产品备〔{year}〕第{seq:05d}号"


class ProductDetailFactory(factory.django.DjangoModelFactory):
    """An empty product, as a new draft has it."""

    class Meta:
        model = ProductDetail

    filing = None


class ProductFilingFactory(factory.django.DjangoModelFactory):
    """A draft PRODUCT filing on an open call, with its empty detail."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    kind = "PRODUCT"
    call = factory.SubFactory(ProductCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    product = factory.RelatedFactory(ProductDetailFactory, factory_related_name="filing")


class ProductPatentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductPatent

    filing = factory.SubFactory(ProductFilingFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.Sequence(lambda n: make_patent(n + 1))
    role = PatentRole.HOLDER
    licence_number = "无"
    no_dispute = True


class ProductSubjectFactory(factory.django.DjangoModelFactory):
    """An approved 备案主体."""

    class Meta:
        model = ProductSubject

    organisation = factory.SubFactory(OrganisationFactory)
    subject_type = SubjectType.ENTERPRISE
    legal_representative = "张法人"
    contact_name = "李联系"
    contact_mobile = "13800138000"
    contact_email = "contact@example.com"
    pledge = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="pledge.pdf"))
    pledge_name = "诚信承诺书.pdf"
    pledge_content_type = "application/pdf"
    pledge_size = len(PDF_BYTES)
    state = SubjectState.APPROVED
    submitted_at = factory.LazyFunction(timezone.now)
    reviewed_by = factory.SubFactory(StaffFactory)
    reviewed_at = factory.LazyFunction(timezone.now)


COMPLETE_DETAIL = {
    "product_name": "智能手机",
    "model": "X30",
    "variants": "星空黑、冰川白\n8GB+256GB、12GB+512GB",
    "industry": "新一代信息技术产业",
    "sales": Decimal("12000.00"),
    "exports": Decimal("3000.00"),
    "profit": Decimal("1500.00"),
    "ip_investment": Decimal("300.00"),
}


def complete_product_filing(*, call=None, organisation=None, subject=True, **detail) -> Filing:
    """A filing that passes every PRODUCT rule (PR-4 stays `review`).

    The organisation's subject is approved (unless subject=False); one patent held, one licensed
    with its licence-contract filing number; materials M1 and M2.
    """
    fields = {}
    if call:
        fields["call"] = call
    if organisation:
        fields["organisation"] = organisation
    filing = ProductFilingFactory(**fields)
    if subject and not ProductSubject.objects.filter(organisation=filing.organisation).exists():
        ProductSubjectFactory(organisation=filing.organisation)
    values = {**COMPLETE_DETAIL, **detail}
    ProductDetail.objects.filter(pk=filing.pk).update(**values)
    ProductPatentFactory(filing=filing)
    ProductPatentFactory(filing=filing, role=PatentRole.LICENSEE, licence_number="2023310000123")
    for code in ("M1", "M2"):
        MaterialFactory(filing=filing, code=code)
    Filing.objects.filter(pk=filing.pk).update(title=f"{values['product_name']} {values['model']}")
    return Filing.objects.get(pk=filing.pk)
