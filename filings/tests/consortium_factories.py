"""Factories for 上海市知识产权产学研运营联合体 项目申报 filings (seed 001)."""

import datetime
from decimal import Decimal

import factory
from stdnum.cn import ric as stdnum_ric

from accounts.tests.factories import OrganisationFactory, UserFactory
from filings.kinds.consortium.models import (
    ConsortiumDetail,
    ConsortiumMember,
    ConsortiumPartner,
    Gender,
    Industry,
    UnitNature,
)
from filings.models import Filing
from filings.tests.alliance_factories import MaterialFactory
from filings.tests.factories import CallFactory


def make_ric(body: str) -> str:
    """A valid 身份证号码 for tests: 17 digits and the GB 11643-1999 check digit."""
    return body + stdnum_ric.calc_check_digit(body + "0")


LEGAL_REP_ID = make_ric("31011519700101123")
LEADER_ID = make_ric("31010419820315234")  # born 1982, an odd sequence digit: 男
CONTACT_ID = make_ric("31011019900720346")
MEMBER_ID = make_ric("31011219950102458")


class ConsortiumCallFactory(CallFactory):
    kind = "CONSORTIUM"
    title = factory.Sequence(lambda n: f"上海市知识产权产学研运营联合体项目申报（第{n}批）")
    notice_number = ""
    number_format = "沪知产学研〔{year}〕第{seq:03d}号"


class ConsortiumDetailFactory(factory.django.DjangoModelFactory):
    """An empty 申报书, as a new draft has it."""

    class Meta:
        model = ConsortiumDetail

    filing = None


class ConsortiumFilingFactory(factory.django.DjangoModelFactory):
    """A draft CONSORTIUM filing of a Shanghai enterprise on an open call, with its empty detail.

    Detail fields can be given as `consortium__<field>=…`.
    """

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    kind = "CONSORTIUM"
    call = factory.SubFactory(ConsortiumCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)  # division 310115: 浦东新区, an enterprise
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    consortium = factory.RelatedFactory(ConsortiumDetailFactory, factory_related_name="filing")


class ConsortiumPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumPartner

    filing = factory.SubFactory(ConsortiumFilingFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"上海某大学{n}")
    started_on = datetime.date(2015, 9, 1)
    content = "联合研发与专利许可"
    patents = 8


class ConsortiumMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsortiumMember

    filing = factory.SubFactory(ConsortiumFilingFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"成员{n}")
    id_number = MEMBER_ID
    department = "知识产权部"
    title = "工程师"
    education = "硕士研究生"
    specialty = "集成电路设计"
    task = "专利布局与许可"


COMPLETE_DETAIL = {
    "unit_name": None,  # the organisation's name, set below
    "is_park": False,
    "park_company": "",
    "unit_nature": UnitNature.ENTERPRISE,
    "already_undertaking": False,
    "bank_name": "上海浦东发展银行张江科技支行",
    "bank_account": "97160078801200001234",
    "address": "上海市浦东新区张江路1号",
    "postcode": "201203",
    "legal_rep_name": "王法人",
    "legal_rep_id": LEGAL_REP_ID,
    "legal_rep_mobile": "13800138000",
    "legal_rep_email": "faren@example.com",
    "leader_name": "李负责",
    "leader_id": LEADER_ID,
    "leader_mobile": "13900139000",
    "leader_email": "fuze@example.com",
    "contact_name": "张联系",
    "contact_id": CONTACT_ID,
    "contact_mobile": "13700137000",
    "contact_email": "lianxi@example.com",
    "main_business": "集成电路设计与技术服务",
    "industry": Industry.IC,
    "rd_spending": Decimal("3200.00"),
    "rd_staff": 120,
    "rd_results": "发明专利授权56件，主导行业标准2项。",
    "cooperation_patents": 12,
    "capability_text": "公司成立于2010年，研发人员120人，与上海某大学合作十年。",
    "plan_text": "建设任务：专利导航、高价值专利培育、许可转让。资金使用计划：……",
    # 30% a year on every metric: 100 → 130 → 169.
    "deals_base": 100,
    "deals_year1": 130,
    "deals_year2": 169,
    "patents_base": 100,
    "patents_year1": 130,
    "patents_year2": 169,
    "value_base": Decimal("100.00"),
    "value_year1": Decimal("130.00"),
    "value_year2": Decimal("169.00"),
    "received_base": Decimal("100.00"),
    "received_year1": Decimal("130.00"),
    "received_year2": Decimal("169.00"),
    "leader_gender": Gender.MALE,
    "leader_education": "博士研究生",
    "leader_title": "副总经理/高级工程师",
    "leader_specialty": "集成电路设计",
    "leader_department": "知识产权部",
    "leader_position": "部长",
    "leader_phone": "021-50801234",
    "declaration_accepted": True,
}


def complete_consortium_filing(**detail) -> Filing:
    """A filing of an enterprise that passes every CONSORTIUM rule (CO-3 stays `review`).

    Industry 集成电路 (a priority badge); one partner since 2015 with 8 patents of the 12;
    one team member; materials M2, M3 and M4. Detail fields can be overridden.
    """
    filing = ConsortiumFilingFactory()
    values = {**COMPLETE_DETAIL, "unit_name": filing.organisation.name, "uscc": filing.organisation.uscc, **detail}
    ConsortiumDetail.objects.filter(pk=filing.pk).update(**values)
    ConsortiumPartnerFactory(filing=filing, name="上海某大学", position=1)
    ConsortiumMemberFactory(filing=filing, name="李负责", id_number=LEADER_ID, position=1)
    for code in ("M2", "M3", "M4"):
        MaterialFactory(filing=filing, code=code)
    return Filing.objects.get(pk=filing.pk)
