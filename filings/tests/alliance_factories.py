"""Factories for 上海市产业知识产权联盟备案 filings (seed 000)."""

import datetime
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from accounts.tests.factories import OrganisationFactory, UserFactory
from filings.kinds.alliance.models import (
    AllianceDetail,
    AllianceMember,
    AllianceType,
    MemberCategory,
    PatentPool,
    PoolRole,
)
from filings.models import Filing, Material
from filings.tests import samples
from filings.tests.factories import CallFactory

# A real one-page PDF: uploads are opened with pypdf.
PDF_BYTES = samples.PDF


class AllianceDetailFactory(factory.django.DjangoModelFactory):
    """An empty 申请书, as a new draft has it."""

    class Meta:
        model = AllianceDetail

    filing = None


class AllianceFilingFactory(factory.django.DjangoModelFactory):
    """A draft ALLIANCE filing of a Shanghai enterprise on an open call, with its empty detail.

    Detail fields can be given as `alliance__<field>=…`.
    """

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    kind = "ALLIANCE"
    call = factory.SubFactory(CallFactory, kind="ALLIANCE")
    organisation = factory.SubFactory(OrganisationFactory)  # division 310115: 浦东新区, an enterprise
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    alliance = factory.RelatedFactory(AllianceDetailFactory, factory_related_name="filing")


class AllianceMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceMember

    filing = factory.SubFactory(AllianceFilingFactory)
    category = MemberCategory.ENTERPRISE
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"上海成员单位{n}有限公司")
    amount = Decimal("1200.00")
    inventions = factory.Maybe("files_patents", yes_declaration=12, no_declaration=None)
    utility_models = factory.Maybe("files_patents", yes_declaration=5, no_declaration=None)
    designs = factory.Maybe("files_patents", yes_declaration=0, no_declaration=None)
    main_business = factory.Maybe("files_patents", yes_declaration="", no_declaration="知识产权质押融资")
    # seed 000 一.5 asks it of enterprises only.
    pool_role = factory.Maybe("is_enterprise", yes_declaration=PoolRole.CONTRIBUTES, no_declaration="")

    class Params:
        # seed 000 附件 二: enterprises and 高校/科研机构 report patents; service and financial
        # institutions their main business instead.
        files_patents = factory.LazyAttribute(
            lambda m: m.category not in (MemberCategory.SERVICE, MemberCategory.FINANCIAL)
        )
        is_enterprise = factory.LazyAttribute(lambda m: m.category == MemberCategory.ENTERPRISE)


class PatentPoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatentPool

    filing = factory.SubFactory(AllianceFilingFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"车规级芯片专利池{n}")
    chain_node = "车规级功率半导体"
    patent_count = 36
    description = "成员以自有专利入池，池内交叉许可，对外打包许可。"


class MaterialFactory(factory.django.DjangoModelFactory):
    """A current upload: a tiny PDF with its SHA-256 and size recorded."""

    class Meta:
        model = Material

    class Params:
        content = PDF_BYTES

    filing = factory.SubFactory(AllianceFilingFactory)
    code = "M2"
    file = factory.LazyAttribute(lambda m: ContentFile(m.content, name=f"{m.code}.pdf"))
    original_name = factory.LazyAttribute(lambda m: f"{m.code}.pdf")
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda m: len(m.content))
    sha256 = factory.LazyAttribute(lambda m: hashlib.sha256(m.content).hexdigest())
    uploaded_by = factory.SelfAttribute("filing.created_by")


COMPLETE_DETAIL = {
    "contact_name": "李联系",
    "contact_title": "上海智芯科技有限公司 知识产权部经理",
    "contact_phone": "021-23170417",
    "contact_mobile": "13800138000",
    "contact_email": "lianxi@example.com",
    "name": "上海车规芯片产业知识产权联盟",
    "address": "上海市浦东新区张江路1号",
    "postcode": "201203",
    "founded_on": datetime.date(2023, 6, 1),
    "industry": "集成电路",
    "alliance_type": AllianceType.COOPERATIVE,
    "chair_name": "张理事",
    "chair_phone": "021-50801234",
    "chair_title": "上海智芯科技有限公司 董事长",
    "secretary_name": "陈秘书",
    "secretary_phone": "13900139000",
    "secretary_title": "上海智芯科技有限公司 知识产权总监",
    "std_international": 0,
    "std_national": 2,
    "std_industry": 3,
    "count_enterprise": 3,
    "count_university": 1,
    "count_institute": 0,
    "count_service": 0,
    "count_financial": 1,
    "patent_office_name": "联盟知识产权工作委员会",
    "patent_staff_count": 2,
    "funding_source": "成员单位会费",
    "tasks_text": "加强车规芯片关键领域知识产权运营。",
    "operation_text": "工作例会制度，按专利价值比例分配收益。",
    "pool_text": "围绕功率半导体构建专利池，内部交叉许可，对外打包许可。",
    "declarant_name": "张理事",
    "declaration_accepted": True,
}


def complete_alliance_filing(**detail) -> Filing:
    """A filing that passes every ALLIANCE rule and earns no priority badge.

    Members: three enterprises in the pool (the sponsor first), one university, one bank;
    one patent pool; materials M2, M3 and M4. Detail fields can be overridden.
    """
    filing = AllianceFilingFactory()
    AllianceDetail.objects.filter(pk=filing.pk).update(**{**COMPLETE_DETAIL, **detail})
    enterprise = MemberCategory.ENTERPRISE
    AllianceMemberFactory(filing=filing, category=enterprise, name=filing.organisation.name, position=1)
    AllianceMemberFactory(filing=filing, category=enterprise, name="上海晶圆制造有限公司", position=2)
    AllianceMemberFactory(
        filing=filing, category=enterprise, name="上海整车集团有限公司", position=3, pool_role=PoolRole.LICENSED
    )
    AllianceMemberFactory(
        filing=filing, category=MemberCategory.UNIVERSITY, name="上海某大学", amount=Decimal("800.50")
    )
    AllianceMemberFactory(filing=filing, category=MemberCategory.FINANCIAL, name="上海某银行", main_business="科技信贷")
    PatentPoolFactory(filing=filing)
    for code in ("M2", "M3", "M4"):
        MaterialFactory(filing=filing, code=code)
    # What the applicant's last step save does: the filing takes its name and industry from the form.
    detail_values = {**COMPLETE_DETAIL, **detail}
    Filing.objects.filter(pk=filing.pk).update(title=detail_values["name"], industry=detail_values["industry"])
    return Filing.objects.get(pk=filing.pk)
