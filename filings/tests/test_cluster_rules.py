import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import District
from accounts.tests.factories import make_uscc
from filings.kinds.cluster.models import PartnerCategory, Recognition
from filings.kinds.cluster.rules import (
    RULES,
    badges,
    cl1_recognised_park,
    cl2_innovation_entities,
    cl3_ip_management,
    cl4_cooperation,
    cl5_service_institutions,
    cl6_credit,
    completeness,
)
from filings.models import Filing
from filings.rules import Badge, Verdict, blocking, evaluate
from filings.states import State
from filings.tests.cluster_factories import (
    SERVICE_A,
    SERVICE_B,
    ClusterCallFactory,
    ClusterFilingFactory,
    ClusterPartnerFactory,
    complete_cluster_filing,
    service_partner,
)

pytestmark = pytest.mark.django_db

PASS, FAIL, REVIEW = Verdict.PASS, Verdict.FAIL, Verdict.REVIEW
FILL_IN = "各栏目不得空缺，无内容时请填“无”。"
CENTRAL_READING = (
    "（“中心城区”按黄浦区、徐汇区、长宁区、静安区、普陀区、虹口区、杨浦区理解，为本平台的解释，可由管理员调整。）"
)


@pytest.fixture
def filing():
    return complete_cluster_filing()


def _update(filing, **fields):
    detail = filing.cluster
    for name, value in fields.items():
        setattr(detail, name, value)
    detail.save()


def _verdicts(findings):
    return [(f.rule, f.verdict) for f in findings]


def _failing(findings):
    return [(f.step, f.message) for f in findings if f.verdict == FAIL]


def _submitted(filing, number):
    Filing.objects.filter(pk=filing.pk).update(state=State.SUBMITTED, number=number)
    return Filing.objects.get(pk=filing.pk)


# --- all rules -----------------------------------------------------------------------------


def test_rules_complete_filing_passes_every_rule(filing):
    findings = evaluate(filing, RULES)

    assert _verdicts(findings) == [
        ("CL-0", PASS),
        ("CL-1", PASS),
        ("CL-2", REVIEW),
        ("CL-2", PASS),
        ("CL-3", REVIEW),
        ("CL-4", PASS),
        ("CL-5", PASS),
        ("CL-6", REVIEW),
    ]
    assert blocking(findings) == []
    assert [f.source for f in findings] == [
        "seed 004 二",
        "seed 004 一",
        "seed 004 二（一）",
        "seed 004 二（一）",
        "seed 004 二（二）",
        "seed 004 二（三）",
        "seed 004 二（四）",
        "seed 004 二（五）",
    ]
    assert findings[1].citation == "《上海市知识产权运营服务集聚区申报指南》一"
    # Completeness cites the cluster's own notice, never the alliance one.
    assert findings[0].citation == "《上海市知识产权运营服务集聚区申报指南》二"


def test_rules_empty_draft_fails_the_blocking_rules():
    findings = evaluate(ClusterFilingFactory(), RULES)

    assert sorted({f.rule for f in blocking(findings)}) == ["CL-0", "CL-4", "CL-6"]


def test_rules_query_count_does_not_grow_with_rows(filing):
    def queries() -> int:
        fresh = Filing.objects.get(pk=filing.pk)
        with CaptureQueriesContext(connection) as captured:
            evaluate(fresh, RULES)
            badges(fresh)
        return len(captured)

    before = queries()
    for serial in range(5):
        ClusterPartnerFactory(filing=filing)
        service_partner(filing, make_uscc(620000 + serial, division="310104"))

    assert queries() == before


# --- CL-0 completeness --------------------------------------------------------------------


def test_completeness_empty_draft_fails_per_step():
    findings = completeness(ClusterFilingFactory())

    assert [f.step for f in findings] == ["park", "ip", "tasks", "targets", "declaration", "materials", "materials"]
    assert findings[0].message == (
        "“园区基本情况（申报对象、科技创新主体集中）”未填写完整：园区名称、园区管理主体、所在区、园区认定级别、"
        f"认定文件名称及文号、主导产业、高新技术企业数量（家）、中小微企业数量（家）。{FILL_IN}"
    )
    assert findings[1].message == (
        "“知识产权工作基础扎实”未填写完整：园区知识产权管理部门名称、知识产权工作人员数量（人）、"
        f"知识产权政策措施、知识产权工作经费保障。{FILL_IN}"
    )
    assert findings[2].message.startswith(
        "“工作任务”未填写完整：（一）收集专利技术供需信息；（二）加强专利供需信息发布；"
    )
    assert "服务对象满意度（%）（第三年目标值）、高价值专利培育目标。" in findings[3].message
    # M3 (the cooperation agreements) is CL-4's.
    assert [f.message for f in findings[-2:]] == ["请上传材料 M2：园区认定文件。", "请上传材料 M4：信用承诺/证明。"]
    assert {f.verdict for f in findings} == {FAIL}


def test_completeness_accepts_none_as_an_answer(filing):
    _update(filing, task3="无", ip_policies="无", high_value_target="无")

    assert _verdicts(completeness(filing)) == [("CL-0", PASS)]


def test_completeness_names_the_partner_rows_with_gaps(filing):
    ClusterPartnerFactory(filing=filing, name="某银行", uscc="", agreement_date=None)
    service_partner(filing, make_uscc(630001, "310104"), name="某服务机构", dual_certified_staff=None)
    service_partner(filing, make_uscc(630002, "310104"), name="另一服务机构", dual_certified_names="")

    assert _failing(completeness(filing)) == [
        (
            "partners",
            "“知识产权运营生态良好（合作机构）”未填写完整：商业银行“某银行”缺少统一社会信用代码、战略合作协议签订日期；"
            "知识产权服务机构“某服务机构”缺少双证资质从业人员数量（人）；"
            f"知识产权服务机构“另一服务机构”缺少双证资质从业人员姓名。{FILL_IN}",
        )
    ]


def test_completeness_does_not_ask_dual_certified_staff_of_banks(filing):
    ClusterPartnerFactory(filing=filing, dual_certified_staff=None, dual_certified_names="")

    assert _verdicts(completeness(filing)) == [("CL-0", PASS)]


# --- CL-1 recognised park, priority badge -------------------------------------------------


def test_cl1_unrecognised_park_fails(filing):
    _update(filing, recognition=Recognition.NONE)

    assert _failing(cl1_recognised_park(filing)) == [
        (
            "park",
            "申报对象为获得认定的市级以上高新技术产业开发区、经济技术开发区等产业园区；"
            "未获得市级以上认定的园区不符合申报条件。",
        )
    ]


@pytest.mark.parametrize("level", [r for r in Recognition if r != Recognition.NONE])
def test_cl1_every_recognised_level_passes(filing, level):
    _update(filing, recognition=level, is_ip_demo_park=False)

    [finding] = cl1_recognised_park(filing)
    assert (finding.verdict, finding.message) == (
        PASS,
        f"园区为{level.label}，属于获得认定的市级以上产业园区。",
    )


def test_cl1_demo_park_is_a_priority_badge_not_a_blocker(filing):
    assert badges(filing) == [Badge("ip_demo_park", "市级以上知识产权试点示范园区", "seed 004 一")]

    _update(filing, is_ip_demo_park=False)

    assert badges(filing) == []
    assert _verdicts(cl1_recognised_park(filing)) == [("CL-1", PASS)]


# --- CL-2 thresholds by district ----------------------------------------------------------


@pytest.mark.parametrize(
    ("district", "hitech", "sme", "verdict"),
    [
        (District.HUANGPU, 20, 200, PASS),
        (District.HUANGPU, 19, 200, FAIL),
        (District.HUANGPU, 20, 199, FAIL),
        (District.YANGPU, 20, 200, PASS),
        (District.CHONGMING, 20, 200, PASS),
        (District.CHONGMING, 19, 200, FAIL),
        (District.CHONGMING, 20, 199, FAIL),
        (District.PUDONG, 50, 300, PASS),
        (District.PUDONG, 49, 300, FAIL),
        (District.PUDONG, 50, 299, FAIL),
        (District.MINHANG, 20, 200, FAIL),
    ],
)
def test_cl2_thresholds_at_the_boundaries(filing, district, hitech, sme, verdict):
    _update(filing, district=district, hitech_count=hitech, sme_count=sme)

    findings = cl2_innovation_entities(filing)

    assert _verdicts(findings) == [("CL-2", REVIEW), ("CL-2", verdict)]
    assert findings[1].message.endswith(CENTRAL_READING)


def test_cl2_messages_name_the_district_and_what_is_short(filing):
    _update(filing, district=District.CHONGMING, hitech_count=19, sme_count=150)

    assert _failing(cl2_innovation_entities(filing)) == [
        (
            "park",
            "园区位于崇明区，属于中心城区或崇明区：高新技术企业 19 家，应不少于 20 家；中小微企业 150 家，"
            f"应不少于 200 家。{CENTRAL_READING}",
        )
    ]


def test_cl2_reads_central_districts_and_thresholds_from_settings(filing, settings):
    _update(filing, district=District.PUDONG, hitech_count=20, sme_count=200)
    settings.CENTRAL_DISTRICTS = ["浦东新区"]

    assert _verdicts(cl2_innovation_entities(filing))[1] == ("CL-2", PASS)

    settings.CLUSTER_CENTRAL_MIN_HITECH = 21

    assert _verdicts(cl2_innovation_entities(filing))[1] == ("CL-2", FAIL)


def test_cl2_leading_industry_goes_to_staff_with_evidence(filing):
    review = cl2_innovation_entities(filing)[0]

    assert (review.verdict, review.evidence) == (REVIEW, "主导产业：集成电路、生物医药、人工智能")


# --- CL-3 IP management ---------------------------------------------------------------------


def test_cl3_goes_to_staff_with_the_evidence(filing):
    [finding] = cl3_ip_management(filing)

    assert finding.verdict == REVIEW
    assert finding.evidence == (
        "知识产权管理部门：园区知识产权服务中心\n知识产权工作人员数量：6 人\n"
        "知识产权政策措施：《园区知识产权专项资助办法》\n知识产权工作经费保障：每年安排知识产权工作经费500万元。"
    )


def test_cl3_no_department_and_no_staff_fail(filing):
    _update(filing, ip_department="无", ip_staff=0)

    assert _failing(cl3_ip_management(filing)) == [
        ("ip", "园区知识产权管理部门及相关工作人员应健全：未设知识产权管理部门，知识产权工作人员为 0 人。")
    ]


# --- CL-4 cooperation ----------------------------------------------------------------------


def test_cl4_complete_cooperation_passes(filing):
    assert [(f.verdict, f.message) for f in cl4_cooperation(filing)] == [
        (
            PASS,
            "已与知识产权交易机构 1 家、商业银行 2 家、保险机构 1 家、知识产权服务机构 2 家建立战略合作关系，合作协议已上传。",
        )
    ]


def test_cl4_too_few_partners_fail_with_the_counts():
    filing = ClusterFilingFactory()
    ClusterPartnerFactory(filing=filing)
    service_partner(filing, SERVICE_A)

    assert _failing(cl4_cooperation(filing)) == [
        (
            "partners",
            "园区应分别与知识产权交易机构（上海知识产权交易中心或上海技术交易所）、2家以上商业银行、1家以上保险机构、"
            "2家以上知识产权服务机构建立战略合作关系，现填报：知识产权交易机构 0 家（应不少于 1 家）；"
            "商业银行 1 家（应不少于 2 家）；保险机构 0 家（应不少于 1 家）；知识产权服务机构 1 家（应不少于 2 家）。",
        ),
        ("materials", "请上传材料 M3：与各合作机构的战略合作协议（每家合作机构一份）。"),
    ]


def test_cl4_the_same_bank_twice_counts_once(filing):
    bank = filing.cluster_partners.filter(category=PartnerCategory.BANK).first()
    ClusterPartnerFactory(filing=filing, name="某商业银行上海第二分行", uscc=bank.uscc)
    filing.cluster_partners.filter(category=PartnerCategory.BANK).exclude(uscc=bank.uscc).delete()

    assert "商业银行 1 家（应不少于 2 家）" in _failing(cl4_cooperation(filing))[0][1]


def test_cl4_an_exchange_the_notice_does_not_name_fails(filing):
    filing.cluster_partners.filter(category=PartnerCategory.EXCHANGE).update(name="某产权交易所")

    assert [message for _step, message in _failing(cl4_cooperation(filing))] == [
        "知识产权交易机构应为上海知识产权交易中心或上海技术交易所，“某产权交易所”不是通知所列的交易机构。",
        "园区应分别与知识产权交易机构（上海知识产权交易中心或上海技术交易所）、2家以上商业银行、1家以上保险机构、"
        "2家以上知识产权服务机构建立战略合作关系，现填报：知识产权交易机构 0 家（应不少于 1 家）。",
    ]


def test_cl4_the_other_named_exchange_passes(filing):
    filing.cluster_partners.filter(category=PartnerCategory.EXCHANGE).update(name="上海知识产权交易中心")

    assert _verdicts(cl4_cooperation(filing)) == [("CL-4", PASS)]


def test_cl4_invalid_uscc_fails(filing):
    filing.cluster_partners.filter(category=PartnerCategory.INSURER).update(uscc="913100000000000000")

    assert _failing(cl4_cooperation(filing)) == [
        ("partners", "合作机构“某保险上海分公司”的统一社会信用代码“913100000000000000”无效，请核对。")
    ]


def test_cl4_agreements_not_uploaded_fail(filing):
    filing.material_files.filter(code="M3").update(is_current=False)

    assert _failing(cl4_cooperation(filing)) == [
        ("materials", "请上传材料 M3：与各合作机构的战略合作协议（每家合作机构一份）。")
    ]
    assert _verdicts(completeness(filing)) == [("CL-0", PASS)]


# --- CL-5 service institutions ---------------------------------------------------------------


@pytest.mark.parametrize(("staff", "verdict"), [(1, FAIL), (2, PASS), (5, PASS)])
def test_cl5_dual_certified_staff_at_the_boundary(filing, staff, verdict):
    filing.cluster_partners.filter(uscc=SERVICE_A).update(dual_certified_staff=staff)

    assert _verdicts(cl5_service_institutions(filing)) == [("CL-5", verdict)]


def test_cl5_too_few_dual_certified_staff_names_the_institution(filing):
    filing.cluster_partners.filter(uscc=SERVICE_B).update(dual_certified_staff=1)

    assert _failing(cl5_service_institutions(filing)) == [
        (
            "partners",
            "知识产权服务机构须具有“专利代理师”和“技术经纪人”双证资质的从业人员2名以上：“上海某知识产权服务机构2”1 名。",
        )
    ]


def test_cl5_third_application_of_a_service_institution_is_refused_naming_the_other_two():
    call = ClusterCallFactory()
    first = _submitted(complete_cluster_filing(call=call, park_name="甲园区"), "JJQ2024001-0001")
    second = _submitted(complete_cluster_filing(call=call, park_name="乙园区"), "JJQ2024001-0002")
    third = complete_cluster_filing(call=call, park_name="丙园区", services=(SERVICE_A, make_uscc(640001, "310104")))

    assert _failing(cl5_service_institutions(third)) == [
        (
            "partners",
            f"知识产权服务机构“上海某知识产权服务机构1”（{SERVICE_A}）已参与本批次2个集聚区项目："
            "“甲园区”（JJQ2024001-0001）、“乙园区”（JJQ2024001-0002）。每家服务机构最多参与2个集聚区项目，请更换服务机构。",
        )
    ]
    # The two already in are within the limit: each sees only one other.
    assert _verdicts(cl5_service_institutions(first)) == [("CL-5", PASS)]
    assert _verdicts(cl5_service_institutions(second)) == [("CL-5", PASS)]


def test_cl5_second_application_is_allowed():
    call = ClusterCallFactory()
    _submitted(complete_cluster_filing(call=call), "JJQ2024001-0001")

    assert _verdicts(cl5_service_institutions(complete_cluster_filing(call=call))) == [("CL-5", PASS)]


@pytest.mark.parametrize("state", [State.DRAFT, State.WITHDRAWN])
def test_cl5_drafts_and_withdrawn_filings_do_not_count(state):
    call = ClusterCallFactory()
    _submitted(complete_cluster_filing(call=call), "JJQ2024001-0001")
    other = complete_cluster_filing(call=call)
    Filing.objects.filter(pk=other.pk).update(state=state)

    assert _verdicts(cl5_service_institutions(complete_cluster_filing(call=call))) == [("CL-5", PASS)]


@pytest.mark.parametrize("state", [State.RETURNED, State.EXPERT_REVIEW, State.REGISTERED, State.REJECTED])
def test_cl5_filings_submitted_or_further_count(state):
    call = ClusterCallFactory()
    _submitted(complete_cluster_filing(call=call), "JJQ2024001-0001")
    other = complete_cluster_filing(call=call)
    Filing.objects.filter(pk=other.pk).update(state=state, number="JJQ2024001-0002")

    # Both service institutions of the factory's filing are in the two others.
    assert _verdicts(cl5_service_institutions(complete_cluster_filing(call=call))) == [("CL-5", FAIL), ("CL-5", FAIL)]


def test_cl5_other_calls_and_other_categories_do_not_count():
    call = ClusterCallFactory()
    _submitted(complete_cluster_filing(), "JJQ2024002-0001")
    _submitted(complete_cluster_filing(), "JJQ2024003-0001")
    # The same organisation as a bank of a filing in the call is not a 服务机构 place.
    as_bank = _submitted(complete_cluster_filing(call=call), "JJQ2024001-0001")
    as_bank.cluster_partners.filter(uscc=SERVICE_A).update(category=PartnerCategory.BANK)
    _submitted(complete_cluster_filing(call=call, services=(SERVICE_A,)), "JJQ2024001-0002")

    assert _verdicts(cl5_service_institutions(complete_cluster_filing(call=call))) == [("CL-5", PASS)]


# --- CL-6 credit declaration ----------------------------------------------------------------


def test_cl6_declaration_made_goes_to_staff(filing):
    [finding] = cl6_credit(filing)

    assert (finding.verdict, finding.step) == (REVIEW, "credit")
    assert finding.evidence == f"园区管理主体：{filing.organisation.name}；信用承诺/证明见材料 M4。"


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"no_bad_credit": False}, "近三年园区管理主体无不良信用记录"),
        ({"no_mass_infringement": False}, "近三年无群体性知识产权侵权案件"),
    ],
)
def test_cl6_declaration_not_made_fails(filing, fields, missing):
    _update(filing, **fields)

    assert _failing(cl6_credit(filing)) == [
        ("credit", f"请确认并勾选信用承诺：{missing}。不能作出承诺的，不符合申报条件。")
    ]
