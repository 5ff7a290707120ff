"""The applicant's path through a 知识产权运营服务集聚区 filing (seed 004): steps, drafts, submission, versions."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import District
from accounts.tests.factories import UserFactory, make_uscc
from filings import kinds, pdf, services
from filings.kinds.cluster.models import ClusterDetail, ClusterPartner, PartnerCategory, Recognition
from filings.models import FilingEvent, FilingVersion
from filings.states import State
from filings.tests.cluster_factories import (
    SERVICE_A,
    ClusterCallFactory,
    ClusterFilingFactory,
    complete_cluster_filing,
)

pytestmark = pytest.mark.django_db


def owner_client(client, filing):
    user = UserFactory(organisation=filing.organisation)
    client.force_login(user)
    return client, user


def step_url(filing, slug):
    return reverse("filings:step", args=[filing.pk, slug])


def rows_post(tables: dict[str, list[dict]]) -> dict:
    data = {"save": "1"}
    for prefix, rows in tables.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"})
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


# --- registration and start ----------------------------------------------------------------


def test_the_kind_is_registered_as_its_own_app():
    from django.apps import apps

    spec = kinds.get("CLUSTER")
    assert (spec.number_prefix, spec.pdf_template) == ("JJQ", "pdf/cluster.html")
    assert [s.slug for s in spec.steps] == [
        "park",
        "ip",
        "partners",
        "credit",
        "tasks",
        "targets",
        "declaration",
        "materials",
        "submit",
    ]
    assert ClusterDetail._meta.app_label == "cluster"
    assert apps.get_app_config("cluster").verbose_name == "知识产权运营服务集聚区"
    assert 4 <= len(spec.score_sheet) <= 6
    assert [(m.code, m.required, m.many, m.after_submission) for m in spec.materials] == [
        ("M1", False, False, True),
        ("M2", True, False, False),
        ("M3", True, True, False),
        ("M4", True, True, False),
        ("M5", False, True, False),
    ]


def test_start_creates_a_draft_prefilled_from_the_organisation(applicant_client, applicant):
    call = ClusterCallFactory()

    response = applicant_client.post(reverse("filings:start", args=[call.pk]))

    filing = applicant.organisation.filings.get()
    assert (filing.state, filing.kind, filing.number) == (State.DRAFT, "CLUSTER", None)
    assert response.url == step_url(filing, "park")
    detail = ClusterDetail.objects.get(pk=filing.pk)
    assert (detail.park_name, detail.manager_name, detail.district) == (
        "",
        applicant.organisation.name,
        applicant.organisation.district,
    )


# --- steps -------------------------------------------------------------------------------


def test_park_step_saves_the_draft(client):
    filing = ClusterFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(
        step_url(filing, "park"),
        {
            "park_name": "漕河泾新兴技术开发区",
            "manager_name": "上海漕河泾开发区管理有限公司",
            "district": District.XUHUI,
            "recognition": Recognition.NATIONAL_HITECH,
            "recognition_document": "无",
            "is_ip_demo_park": "on",
            "leading_industries": "电子信息",
            "hitech_count": "20",
            "sme_count": "200",
            "save-next": "1",
        },
    )

    assert response.url == step_url(filing, "ip")
    detail = ClusterDetail.objects.get(pk=filing.pk)
    assert (detail.park_name, detail.district, detail.is_ip_demo_park, detail.hitech_count) == (
        "漕河泾新兴技术开发区",
        "徐汇区",
        True,
        20,
    )
    filing.refresh_from_db()
    assert (filing.title, filing.industry) == ("漕河泾新兴技术开发区", "电子信息")


def test_partner_tables_save_by_category_with_normalised_usccs(client):
    filing = ClusterFilingFactory()
    client, _user = owner_client(client, filing)
    bank_uscc = make_uscc(700001, "310000")
    service_uscc = make_uscc(700002, "310104")

    client.post(
        step_url(filing, "partners"),
        rows_post(
            {
                "exchanges": [{"name": "上海技术交易所", "uscc": "", "agreement_date": "2024-03-01"}],
                "banks": [{"name": "某银行", "uscc": bank_uscc.lower(), "agreement_date": "2024-03-01"}],
                "insurers": [],
                "services": [
                    {
                        "name": "某代理所",
                        "uscc": f"{service_uscc[:9]} {service_uscc[9:]}",
                        "agreement_date": "2024-03-01",
                        "dual_certified_staff": "3",
                        "dual_certified_names": "甲、乙、丙",
                    }
                ],
            }
        ),
    )

    rows = list(ClusterPartner.objects.filter(filing=filing).order_by("category", "position"))
    assert [(p.category, p.name, p.uscc, p.dual_certified_staff) for p in rows] == [
        (PartnerCategory.BANK, "某银行", bank_uscc, None),
        (PartnerCategory.EXCHANGE, "上海技术交易所", "", None),
        (PartnerCategory.SERVICE, "某代理所", service_uscc, 3),
    ]
    assert kinds.get("CLUSTER").parties(filing) == ["上海技术交易所", "某银行", bank_uscc, "某代理所", service_uscc]


def test_a_bad_partner_uscc_is_refused_at_the_cell(client):
    filing = ClusterFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(
        step_url(filing, "partners"),
        rows_post({"banks": [{"name": "某银行", "uscc": "913100000000000000", "agreement_date": "2024-03-01"}]}),
    )

    assert response.status_code == 200
    assert not ClusterPartner.objects.filter(filing=filing).exists()
    assert "913100000000000000" in response.content.decode()


def test_targets_step_shows_the_table(client):
    filing = ClusterFilingFactory()
    client, _user = owner_client(client, filing)

    page = client.get(step_url(filing, "targets")).content.decode()

    assert "专利商标质押融资金额（万元）" in page and "第三年目标值" in page and "服务对象满意度（%）" in page


# --- submission ----------------------------------------------------------------------------


def test_submit_is_refused_for_a_third_application_of_a_service_institution(client):
    call = ClusterCallFactory()
    for _n in range(2):
        other = complete_cluster_filing(call=call)
        services.filing_submit(filing=other, actor=other.created_by)
    filing = complete_cluster_filing(call=call, services=(SERVICE_A, make_uscc(710001, "310104")))
    client, _user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert [(f.rule, f.step) for f in response.context["refused"]] == [("CL-5", "partners")]
    filing.refresh_from_db()
    assert (filing.state, filing.version, filing.number) == (State.DRAFT, 0, None)


def test_submit_freezes_a_version_with_data_findings_badges_and_materials(client):
    filing = complete_cluster_filing()
    client, user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert response.url == reverse("filings:detail", args=[filing.pk])
    filing.refresh_from_db()
    assert (filing.state, filing.version) == (State.SUBMITTED, 1)
    assert filing.number == f"JJQ{filing.call.year}-{filing.call.pk:03d}-0001"
    version = FilingVersion.objects.get(filing=filing)
    detail = version.data["detail"]
    assert (detail["name"], detail["recognition_label"], detail["district"]) == (
        "张江高新技术产业开发区核心园",
        "国家级高新技术产业开发区",
        "浦东新区",
    )
    assert [(p["category_label"], p["name"]) for p in version.data["partners"]][:2] == [
        ("知识产权交易机构", "上海技术交易所"),
        ("商业银行", "某商业银行上海分行"),
    ]
    assert sorted(m["code"] for m in version.materials) == ["M2", "M3", "M4"]
    assert [(f["rule"], f["verdict"]) for f in version.findings] == [
        ("CL-0", "pass"),
        ("CL-1", "pass"),
        ("CL-2", "review"),
        ("CL-2", "pass"),
        ("CL-3", "review"),
        ("CL-4", "pass"),
        ("CL-5", "pass"),
        ("CL-6", "review"),
        ("ip_demo_park", "badge"),
    ]
    event = FilingEvent.objects.get(filing=filing)
    assert (event.action, event.to_state, event.actor) == ("submit", "submitted", user)
    # Editing the draft afterwards never changes the frozen version.
    ClusterDetail.objects.filter(pk=filing.pk).update(park_name="改名")
    assert FilingVersion.objects.get(pk=version.pk).data["detail"]["park_name"] == "张江高新技术产业开发区核心园"


def test_the_submitted_version_prints_as_a_shenbaoshu():
    filing = complete_cluster_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)

    data = pdf.render_version_pdf(version)
    filing.refresh_from_db()

    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    for expected in (
        "项目编号：" + filing.number,
        "上海市知识产权运营服务集聚区",
        "项目申报书",
        "填报说明",
        "一、园区基本情况",
        "二、合作机构",
        "三、工作方案",
        "（八）做好知识产权运营绩效管理工作",
        "四、绩效目标",
        "五、信用承诺",
        "六、申报单位意见",
        "单位签章：",
        "上海技术交易所",
        SERVICE_A,
    ):
        assert expected in text, expected


def test_staff_read_the_frozen_version(client, staff):
    filing = complete_cluster_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
    client.force_login(staff)

    response = client.get(reverse("review:filing", args=[filing.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "园区认定级别" in page and "国家级高新技术产业开发区" in page
    assert "上海技术交易所" in page
