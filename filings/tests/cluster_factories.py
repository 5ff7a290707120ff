"""Factories for 上海市知识产权运营服务集聚区 项目申报 filings (seed 004)."""

import datetime
from decimal import Decimal

import factory

from accounts.models import District
from accounts.tests.factories import OrganisationFactory, UserFactory, make_uscc
from filings.kinds.cluster.models import ClusterDetail, ClusterPartner, PartnerCategory, Recognition
from filings.models import Filing
from filings.tests.alliance_factories import MaterialFactory
from filings.tests.factories import CallFactory


class ClusterCallFactory(CallFactory):
    kind = "CLUSTER"
    title = factory.Sequence(lambda n: f"上海市知识产权运营服务集聚区项目申报（第{n}批）")
    notice_number = ""
    number_format = "沪知集聚〔{year}〕第{seq:03d}号"


class ClusterDetailFactory(factory.django.DjangoModelFactory):
    """An empty 申报书, as a new draft has it."""

    class Meta:
        model = ClusterDetail

    filing = None


class ClusterFilingFactory(factory.django.DjangoModelFactory):
    """A draft CLUSTER filing of a park management company on an open call, with its empty detail."""

    class Meta:
        model = Filing
        skip_postgeneration_save = True

    kind = "CLUSTER"
    call = factory.SubFactory(ClusterCallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))
    cluster = factory.RelatedFactory(ClusterDetailFactory, factory_related_name="filing")


class ClusterPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterPartner

    filing = factory.SubFactory(ClusterFilingFactory)
    position = factory.Sequence(lambda n: n + 1)
    category = PartnerCategory.BANK
    name = factory.Sequence(lambda n: f"某商业银行上海分行{n}")
    uscc = factory.Sequence(lambda n: make_uscc(500000 + n, division="310000"))
    agreement_date = datetime.date(2024, 3, 1)


def service_partner(filing, uscc: str, name: str = "上海某知识产权代理有限公司", **fields) -> ClusterPartner:
    return ClusterPartnerFactory(
        filing=filing,
        category=PartnerCategory.SERVICE,
        name=name,
        uscc=uscc,
        dual_certified_staff=fields.pop("dual_certified_staff", 2),
        dual_certified_names=fields.pop("dual_certified_names", "张代理、李经纪"),
        **fields,
    )


SERVICE_A = make_uscc(610001, division="310104")
SERVICE_B = make_uscc(610002, division="310104")

COMPLETE_DETAIL = {
    "park_name": "张江高新技术产业开发区核心园",
    "district": District.PUDONG,
    "recognition": Recognition.NATIONAL_HITECH,
    "recognition_document": "国务院国函〔1992〕169号",
    "is_ip_demo_park": True,
    "leading_industries": "集成电路、生物医药、人工智能",
    # 浦东新区 is outside 中心城区: ≥50 and ≥300.
    "hitech_count": 50,
    "sme_count": 300,
    "ip_department": "园区知识产权服务中心",
    "ip_staff": 6,
    "ip_policies": "《园区知识产权专项资助办法》",
    "ip_funding": "每年安排知识产权工作经费500万元。",
    "no_bad_credit": True,
    "no_mass_infringement": True,
    **{f"task{n}": f"工作任务（{n}）的方案。" for n in range(1, 9)},
    "pledge_amount_base": Decimal("1000.00"),
    "pledge_amount_year1": Decimal("1300.00"),
    "pledge_amount_year2": Decimal("1690.00"),
    "pledge_amount_year3": Decimal("2197.00"),
    "pledge_projects_base": 10,
    "pledge_projects_year1": 12,
    "pledge_projects_year2": 15,
    "pledge_projects_year3": 18,
    "sme_licences_base": 100,
    "sme_licences_year1": 120,
    "sme_licences_year2": 144,
    "sme_licences_year3": 173,
    "sme_from_academia_base": 20,
    "sme_from_academia_year1": 24,
    "sme_from_academia_year2": 29,
    "sme_from_academia_year3": 35,
    "satisfaction_base": Decimal("90.00"),
    "satisfaction_year1": Decimal("91.00"),
    "satisfaction_year2": Decimal("92.00"),
    "satisfaction_year3": Decimal("93.00"),
    "high_value_target": "每万人口高价值发明专利拥有量逐年上升。",
    "declaration_accepted": True,
}


def complete_cluster_filing(*, call=None, services=(SERVICE_A, SERVICE_B), **detail) -> Filing:
    """A filing that passes every CLUSTER rule (CL-2, CL-3 and CL-6 stay `review`).

    A national 高新区 in 浦东新区 with exactly 50/300 enterprises; 上海技术交易所, two banks, one
    insurer and two service institutions with 2 dual-certified staff each; materials M2–M4.
    """
    filing = ClusterFilingFactory(**({"call": call} if call else {}))
    values = {**COMPLETE_DETAIL, "manager_name": filing.organisation.name, **detail}
    ClusterDetail.objects.filter(pk=filing.pk).update(**values)
    ClusterPartnerFactory(
        filing=filing, category=PartnerCategory.EXCHANGE, name="上海技术交易所", uscc=make_uscc(600001, "310000")
    )
    ClusterPartnerFactory(filing=filing, name="某商业银行上海分行")
    ClusterPartnerFactory(filing=filing, name="另一商业银行上海分行")
    ClusterPartnerFactory(
        filing=filing, category=PartnerCategory.INSURER, name="某保险上海分公司", uscc=make_uscc(600002, "310000")
    )
    for number, uscc in enumerate(services, start=1):
        service_partner(filing, uscc, name=f"上海某知识产权服务机构{number}")
    for code in ("M2", "M3", "M4"):
        MaterialFactory(filing=filing, code=code)
    Filing.objects.filter(pk=filing.pk).update(title=values["park_name"])
    return Filing.objects.get(pk=filing.pk)
