import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import make_uscc
from filings.kinds.consortium.models import Industry, UnitNature
from filings.kinds.consortium.rules import (
    RULES,
    badges,
    co1_shanghai_legal_person,
    co2_priority_industry,
    co3_unit_conditions,
    co4_park_conditions,
    co5_bank_account,
    co6_text_limits,
    co7_targets,
    completeness,
    cooperation_cutoff,
    count_chars,
    yearly_growth,
)
from filings.models import Filing
from filings.rules import Badge, Verdict, blocking, evaluate
from filings.tests.consortium_factories import (
    ConsortiumFilingFactory,
    ConsortiumMemberFactory,
    ConsortiumPartnerFactory,
    complete_consortium_filing,
)

pytestmark = pytest.mark.django_db

PASS, FAIL, REVIEW = Verdict.PASS, Verdict.FAIL, Verdict.REVIEW
FILL_IN = "各栏目不得空缺，无内容时请填“无”。"
COUNTING = "除空格、换行外，每个字符计1字，标点、字母和数字均计入"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# The call closes on 30 June 2024, 17:00 Shanghai time: a cooperation must have begun by 30 June 2021.
CLOSES_AT = datetime.datetime(2024, 6, 30, 17, 0, tzinfo=SHANGHAI)
CUTOFF = datetime.date(2021, 6, 30)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def filing():
    return complete_consortium_filing()


@pytest.fixture
def park():
    return complete_consortium_filing(
        is_park=True,
        unit_name="张江集成电路产业园",
        park_company="上海张江集电港管理有限公司",
        park_entities=50,
        park_leaders="上海某芯片制造有限公司（晶圆制造）",
        park_university_cooperation="与上海某大学共建微电子学院联合实验室。",
        rd_spending=None,
        rd_staff=None,
        rd_results="",
    )


def _update(filing, **fields):
    detail = filing.consortium
    for name, value in fields.items():
        setattr(detail, name, value)
    detail.save()


def _close_on(filing, moment=CLOSES_AT):
    filing.call.closes_at = moment
    filing.call.opens_at = moment - datetime.timedelta(days=30)
    filing.call.save()


def _verdicts(findings):
    return [(f.rule, f.verdict) for f in findings]


def _messages(findings):
    return [(f.verdict, f.step, f.message) for f in findings]


def _failing(findings):
    return [(f.step, f.message) for f in findings if f.verdict == FAIL]


# --- all rules -----------------------------------------------------------------------------


def test_rules_complete_filing_passes_every_rule(filing):
    findings = evaluate(filing, RULES)

    assert _verdicts(findings) == [
        ("CO-0", PASS),
        ("CO-1", PASS),
        ("CO-2", PASS),
        ("CO-3", REVIEW),
        ("CO-3", PASS),
        ("CO-4", PASS),
        ("CO-5", PASS),
        ("CO-6", PASS),
        ("CO-7", PASS),
    ]
    assert blocking(findings) == []
    assert [f.source for f in findings] == [
        "seed 001 填报说明 3",
        "seed 001 申报对象",
        "seed 001 申报对象",
        "seed 001 申报条件",
        "seed 001 申报条件",
        "seed 001 申报条件",
        "seed 001 附件 申报单位基本信息",
        "seed 001 附件 二、三",
        "seed 001 工作目标",
    ]
    assert all(f.message.strip() for f in findings)


def test_rules_complete_park_passes_every_rule(park):
    findings = evaluate(park, RULES)

    assert blocking(findings) == []
    assert _verdicts(findings)[3:6] == [("CO-3", PASS), ("CO-4", REVIEW), ("CO-5", PASS)]


def test_rules_empty_draft_fails_every_blocking_rule():
    findings = evaluate(ConsortiumFilingFactory(), RULES)

    assert sorted({f.rule for f in blocking(findings)}) == ["CO-0", "CO-1", "CO-3", "CO-5"]


def test_rules_query_count_does_not_grow_with_rows(filing):
    def queries() -> int:
        fresh = Filing.objects.get(pk=filing.pk)
        with CaptureQueriesContext(connection) as captured:
            evaluate(fresh, RULES)
            badges(fresh)
        return len(captured)

    before = queries()
    for _i in range(5):
        ConsortiumPartnerFactory(filing=filing)
        ConsortiumMemberFactory(filing=filing)

    assert queries() == before


# --- CO-0 completeness --------------------------------------------------------------------


def test_completeness_empty_draft_fails_per_step():
    findings = completeness(ConsortiumFilingFactory())

    assert [(f.step, f.message) for f in findings] == [
        (
            "basic",
            "“一、申报单位基本信息”未填写完整：申报单位、单位性质、通信地址、邮政编码、"
            "单位法人姓名、单位法人身份证号码、单位法人电话（手机）、单位法人电子邮箱、"
            "项目负责人姓名、项目负责人身份证号码、项目负责人电话（手机）、项目负责人电子邮箱、"
            f"项目联系人姓名、项目联系人身份证号码、项目联系人电话（手机）、项目联系人电子邮箱、单位主营业务范围、所属产业。{FILL_IN}",
        ),
        ("partners", f"“产学研合作单位”未填写完整：专利成果数量。{FILL_IN}"),
        (
            "capability",
            "“二、申报单位承担项目能力基本情况”未填写完整：研发投入（万元）、研发人员数量、研发成果、"
            f"申报单位承担项目能力基本情况。{FILL_IN}",
        ),
        (
            "plan",
            "“三、项目实施方案、资金安排和绩效目标”未填写完整：产学研运营联合体工作方案；"
            "专利许可、转让、作价入股次数（基准年度）；专利许可、转让、作价入股次数（第一年目标）；"
            "专利许可、转让、作价入股次数（第二年目标）；专利数量（基准年度）；专利数量（第一年目标）；"
            "专利数量（第二年目标）；成交金额（万元）（基准年度）；成交金额（万元）（第一年目标）；"
            "成交金额（万元）（第二年目标）；实际到账金额（万元）（基准年度）；实际到账金额（万元）（第一年目标）；"
            f"实际到账金额（万元）（第二年目标）。{FILL_IN}",
        ),
        (
            "team",
            "“四、项目组成员信息”未填写完整：项目负责人性别、项目负责人学历、项目负责人职务/职称、"
            "项目负责人现从事专业、项目负责人所在部门、项目负责人职务、项目负责人固定电话、"
            f"项目组全部成员（至少填写 1 人）。{FILL_IN}",
        ),
        (
            "declaration",
            f"“五、申报单位意见”未填写完整：勾选“所提交的资料真实有效，并自愿承担相应责任。同意申报”。{FILL_IN}",
        ),
        ("materials", "请上传材料 M2：相关认证、资质、荣誉等证书复印件。"),
        ("materials", "请上传材料 M3：申报单位承担的相关项目任务书和成果证明材料复印件。"),
        ("materials", "请上传材料 M4：产学研合作协议。"),
    ]
    assert {f.source for f in findings if f.step != "materials"} == {"seed 001 填报说明 3"}
    assert {f.source for f in findings if f.step == "materials"} == {"seed 001 填报说明 4"}


def test_completeness_complete_filing_passes(filing):
    assert _messages(completeness(filing)) == [(PASS, "", "申报书各栏目已填写完整，必备材料已上传。")]


def test_completeness_wu_accepted(filing):
    _update(filing, main_business="无", capability_text="无", plan_text="无", leader_title="无", rd_results="无")

    assert _verdicts(completeness(filing)) == [("CO-0", PASS)]


def test_completeness_whitespace_is_missing_and_zero_is_a_number(filing):
    _update(filing, main_business=" \n ", deals_base=0, rd_staff=0)

    assert _messages(completeness(filing)) == [
        (FAIL, "basic", f"“一、申报单位基本信息”未填写完整：单位主营业务范围。{FILL_IN}"),
    ]


def test_completeness_park_asks_the_park_block_not_the_unit_one(park):
    _update(park, park_entities=None, park_leaders=" ")

    assert _messages(completeness(park)) == [
        (
            FAIL,
            "capability",
            f"“二、申报单位承担项目能力基本情况”未填写完整：区域内集聚产业创新主体数量、产业链关键节点领军企业。{FILL_IN}",
        )
    ]


def test_completeness_unit_does_not_ask_the_park_block(filing):
    assert (filing.consortium.park_entities, filing.consortium.park_leaders) == (None, "")

    assert _verdicts(completeness(filing)) == [("CO-0", PASS)]


def test_completeness_other_industry_needs_its_name(filing):
    _update(filing, industry=Industry.OTHER)

    assert _messages(completeness(filing)) == [
        (FAIL, "basic", f"“一、申报单位基本信息”未填写完整：其他产业名称。{FILL_IN}")
    ]


def test_completeness_bank_and_uscc_are_left_to_their_own_rules(filing):
    _update(filing, bank_name="", bank_account="", uscc="")

    assert _verdicts(completeness(filing)) == [("CO-0", PASS)]


def test_completeness_partner_and_member_rows_incomplete(filing):
    ConsortiumPartnerFactory(filing=filing, name="上海某研究所", started_on=None, patents=None)
    ConsortiumMemberFactory(filing=filing, name="赵成员", id_number="", task=" ")

    assert _messages(completeness(filing)) == [
        (
            FAIL,
            "partners",
            f"“产学研合作单位”未填写完整：合作单位“上海某研究所”缺少合作开始日期、由此产生的专利数量。{FILL_IN}",
        ),
        (FAIL, "team", f"“四、项目组成员信息”未填写完整：项目组成员“赵成员”缺少身份证号码、承担任务。{FILL_IN}"),
    ]


def test_completeness_declaration_not_accepted(filing):
    _update(filing, declaration_accepted=False)

    assert _failing(completeness(filing)) == [
        (
            "declaration",
            f"“五、申报单位意见”未填写完整：勾选“所提交的资料真实有效，并自愿承担相应责任。同意申报”。{FILL_IN}",
        )
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("M2", "相关认证、资质、荣誉等证书复印件"),
        ("M3", "申报单位承担的相关项目任务书和成果证明材料复印件"),
        ("M4", "产学研合作协议"),
    ],
)
def test_completeness_required_material_missing(filing, code, label):
    filing.material_files.filter(code=code).update(is_current=False)

    assert _messages(completeness(filing)) == [(FAIL, "materials", f"请上传材料 {code}：{label}。")]


def test_completeness_signed_scan_and_other_materials_are_not_required_before_submission(filing):
    assert not filing.material_files.filter(code__in=["M1", "M5"]).exists()

    assert _verdicts(completeness(filing)) == [("CO-0", PASS)]


# --- CO-1 Shanghai legal person or park ---------------------------------------------------


def test_co1_other_province_fails(filing):
    beijing = make_uscc(5, division="110108")
    filing.organisation.uscc = beijing
    filing.organisation.save()
    _update(filing, uscc=beijing)

    assert _failing(co1_shanghai_legal_person(filing)) == [
        (
            "basic",
            f"申报单位须在本市注册登记：统一社会信用代码“{beijing}”的登记管理机关不在上海（第3–4位应为31）。",
        )
    ]


def test_co1_invalid_uscc_fails(filing):
    _update(filing, uscc="91310115000000000X")

    assert _failing(co1_shanghai_legal_person(filing)) == [
        ("basic", "统一社会信用代码“91310115000000000X”无效，请核对。")
    ]


def test_co1_sole_trader_is_no_legal_person(filing):
    trader = make_uscc(7, category="92")
    filing.organisation.uscc = trader
    filing.organisation.save()
    _update(filing, uscc=trader)

    assert _failing(co1_shanghai_legal_person(filing)) == [
        ("basic", "个体工商户不具有独立法人资格，不能作为申报单位。")
    ]


def test_co1_uscc_of_another_unit_fails(filing):
    other = make_uscc(999)
    _update(filing, uscc=other)

    assert _failing(co1_shanghai_legal_person(filing)) == [
        (
            "basic",
            f"申报书中的统一社会信用代码“{other}”与本账号注册单位“{filing.organisation.name}”"
            f"（{filing.organisation.uscc}）不一致，请核对。",
        )
    ]


def test_co1_blank_uscc_fails(filing):
    _update(filing, uscc="")

    assert _failing(co1_shanghai_legal_person(filing)) == [("basic", "请填写申报单位的统一社会信用代码。")]


def test_co1_park_without_management_company_fails(park):
    _update(park, park_company=" ")

    assert _failing(co1_shanghai_legal_person(park)) == [
        (
            "basic",
            "申报单位为科技型园区的，请补充管理公司名称（如“xx园区；xx公司”），并填写管理公司的统一社会信用代码。",
        )
    ]


def test_co1_park_with_management_company_passes(park):
    assert _messages(co1_shanghai_legal_person(park)) == [
        (PASS, "basic", "科技型园区“张江集成电路产业园”由本市注册登记的管理公司“上海张江集电港管理有限公司”申报。")
    ]
    assert park.consortium.display_name == "张江集成电路产业园；上海张江集电港管理有限公司"


# --- CO-2 priority industry ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("industry", "label", "group"),
    [
        (Industry.IC, "集成电路", "三大先导产业"),
        (Industry.BIOMEDICINE, "生物医药", "三大先导产业"),
        (Industry.AI, "人工智能", "三大先导产业"),
        (Industry.NEV, "新能源汽车", "六大重点产业"),
        (Industry.EQUIPMENT, "高端装备", "六大重点产业"),
        (Industry.AEROSPACE, "航空航天", "六大重点产业"),
        (Industry.ICT, "信息通信", "六大重点产业"),
        (Industry.MATERIALS, "新材料", "六大重点产业"),
        (Industry.DIGITAL, "新兴数字", "六大重点产业"),
    ],
)
def test_co2_priority_industry_is_a_badge(filing, industry, label, group):
    _update(filing, industry=industry)

    assert _messages(co2_priority_industry(filing)) == [
        (PASS, "basic", f"所属产业“{label}”属于重点支持的{group}，优先支持。")
    ]
    assert badges(filing) == [Badge("priority_industry", f"重点支持产业：{label}（{group}）", "seed 001 申报对象")]


def test_co2_other_industry_passes_with_a_note_and_no_badge(filing):
    _update(filing, industry=Industry.OTHER, industry_other="现代农业")

    assert _messages(co2_priority_industry(filing)) == [
        (PASS, "basic", "所属产业“现代农业”不属于重点支持的三大先导产业和六大重点产业，不影响申报。")
    ]
    assert badges(filing) == []
    assert blocking(evaluate(filing, RULES)) == []


def test_co2_no_industry_yet(filing):
    _update(filing, industry="")

    assert _verdicts(co2_priority_industry(filing)) == [("CO-2", PASS)]
    assert badges(filing) == []


# --- CO-3 unit: R&D, cooperation ≥3 years before the call closes, patents ------------------


def test_co3_review_shows_the_evidence(filing):
    review = [f for f in co3_unit_conditions(filing) if f.verdict == REVIEW]

    assert [(f.step, f.message) for f in review] == [
        ("capability", "申报单位是否具有一定条件的研发投入、研发团队和研发成果，由审核人员判断。")
    ]
    assert review[0].evidence == (
        "研发投入：3200 万元\n研发人员数量：120 人\n研发成果：发明专利授权56件，主导行业标准2项。\n"
        "产学研合作单位：上海某大学，合作开始日期 2015年9月1日，由此产生的专利 8 件"
    )


def test_co3_cutoff_is_three_years_before_the_close_date(filing):
    _close_on(filing)

    assert cooperation_cutoff(filing) == CUTOFF


def test_co3_cutoff_reads_the_close_date_in_shanghai_time(filing):
    # 23:30 UTC on 29 June is already 30 June in Shanghai.
    _close_on(filing, datetime.datetime(2024, 6, 29, 23, 30, tzinfo=datetime.UTC))

    assert cooperation_cutoff(filing) == CUTOFF


def test_co3_cutoff_of_a_leap_day_close(filing):
    _close_on(filing, datetime.datetime(2024, 2, 29, 17, 0, tzinfo=SHANGHAI))

    assert cooperation_cutoff(filing) == datetime.date(2021, 2, 28)


def test_co3_cooperation_of_exactly_three_years_at_the_close_date_passes(filing):
    _close_on(filing)
    filing.consortium_partners.update(started_on=CUTOFF)

    assert _failing(co3_unit_conditions(filing)) == []
    assert _messages(co3_unit_conditions(filing))[-1] == (
        PASS,
        "partners",
        "产学研合作期限已满3年（最早自2021年6月30日起），已产生专利成果 12 件。",
    )


def test_co3_cooperation_one_day_short_fails_naming_the_partner_and_the_date(filing):
    _close_on(filing)
    filing.consortium_partners.update(started_on=CUTOFF + datetime.timedelta(days=1))

    assert _failing(co3_unit_conditions(filing)) == [
        (
            "partners",
            "产学研合作期限须3年以上（截至本批次申报截止日2024年6月30日），以下合作单位的合作开始日期晚于"
            "2021年6月30日，合作未满3年：上海某大学（2021年7月1日）。合作开始日期不晚于2021年6月30日的合作方可计入，"
            "请核对合作开始日期，或删除合作未满3年的单位。",
        )
    ]


def test_co3_every_partner_must_have_three_years(filing):
    _close_on(filing)
    ConsortiumPartnerFactory(filing=filing, name="上海新伙伴科技有限公司", started_on=datetime.date(2023, 1, 1))
    ConsortiumPartnerFactory(filing=filing, name="上海某研究院", started_on=datetime.date(2022, 3, 8))

    [(step, message)] = _failing(co3_unit_conditions(filing))

    assert step == "partners"
    assert "：上海新伙伴科技有限公司（2023年1月1日）、上海某研究院（2022年3月8日）。" in message
    assert "上海某大学" not in message


def test_co3_one_old_partner_is_enough_when_the_setting_says_so(filing, settings):
    settings.CONSORTIUM_EVERY_PARTNER_MIN_YEARS = False
    _close_on(filing)
    ConsortiumPartnerFactory(filing=filing, name="上海新伙伴科技有限公司", started_on=datetime.date(2023, 1, 1))

    assert _failing(co3_unit_conditions(filing)) == []

    filing.consortium_partners.update(started_on=datetime.date(2023, 1, 1))
    assert len(_failing(co3_unit_conditions(filing))) == 1


def test_co3_years_are_a_setting(filing, settings):
    settings.CONSORTIUM_COOPERATION_MIN_YEARS = 5
    _close_on(filing)
    filing.consortium_partners.update(started_on=datetime.date(2019, 7, 1))

    [(_step, message)] = _failing(co3_unit_conditions(filing))
    assert message.startswith(
        "产学研合作期限须5年以上（截至本批次申报截止日2024年6月30日），以下合作单位的合作开始日期晚于2019年6月30日"
    )


def test_co3_no_partner_fails(filing):
    filing.consortium_partners.all().delete()

    assert _failing(co3_unit_conditions(filing)) == [
        ("partners", "请填写已建立产学研合作关系的合作单位（合作期限3年以上）及合作开始日期。")
    ]


def test_co3_undated_partner_is_left_to_completeness(filing):
    filing.consortium_partners.update(started_on=None)

    assert _failing(co3_unit_conditions(filing)) == []


def test_co3_no_patents_from_the_cooperation_fails(filing):
    _update(filing, cooperation_patents=0)
    filing.consortium_partners.update(patents=0)

    assert _failing(co3_unit_conditions(filing)) == [
        ("partners", "产学研合作须已产生一批相关专利成果，“专利成果数量”为 0。请填写由合作产生的专利成果数量。")
    ]


def test_co3_total_patents_below_one_partners_fails(filing):
    _update(filing, cooperation_patents=5)

    assert _failing(co3_unit_conditions(filing)) == [
        ("partners", "专利成果数量（5 件）少于合作单位“上海某大学”（8 件）由此产生的专利数量，请核对。")
    ]


@pytest.mark.parametrize(
    ("fields", "what"),
    [
        ({"rd_spending": Decimal("0")}, "研发投入为 0"),
        ({"rd_staff": 0}, "研发人员数量为 0"),
        ({"rd_results": "无"}, "研发成果为“无”"),
        ({"rd_spending": Decimal("0"), "rd_results": " 暂无。"}, "研发投入为 0，研发成果为“无”"),
    ],
)
def test_co3_missing_research_fails(filing, fields, what):
    _update(filing, **fields)

    assert _failing(co3_unit_conditions(filing)) == [
        ("capability", f"企事业单位须具有一定条件的研发投入、研发团队和研发成果：{what}。")
    ]


def test_co3_does_not_apply_to_a_park(park):
    _update(park, rd_results="无")

    assert _messages(co3_unit_conditions(park)) == [(PASS, "", "申报单位为科技型园区，适用园区的申报条件（CO-4）。")]


# --- CO-4 park ------------------------------------------------------------------------------


def test_co4_complete_park_is_for_review(park):
    [finding] = co4_park_conditions(park)

    assert (finding.verdict, finding.step) == (REVIEW, "capability")
    assert finding.evidence == (
        "区域内集聚产业创新主体数量：50 家\n产业链关键节点领军企业：上海某芯片制造有限公司（晶圆制造）\n"
        "高校院所合作情况：与上海某大学共建微电子学院联合实验室。\n产学研合作单位：上海某大学"
    )


def test_co4_fewer_than_fifty_entities_fails(park):
    _update(park, park_entities=49)

    assert _failing(co4_park_conditions(park)) == [("capability", "区域内集聚产业创新主体须不少于50家，填报为 49 家。")]


def test_co4_entity_threshold_is_a_setting(park, settings):
    settings.CONSORTIUM_PARK_MIN_ENTITIES = 80

    assert _failing(co4_park_conditions(park)) == [("capability", "区域内集聚产业创新主体须不少于80家，填报为 50 家。")]


def test_co4_park_conditions_answered_wu_fail(park):
    _update(park, park_leaders="无", park_university_cooperation="无", cooperation_patents=0)
    park.consortium_partners.all().delete()

    assert _failing(co4_park_conditions(park)) == [
        ("capability", "科技型园区须在产业链关键节点上拥有产业领军企业，请填写领军企业及其所处节点。"),
        ("capability", "科技型园区须已经与高校、科研院所建立产学研合作关系，请填写合作情况。"),
        ("partners", "请在“产学研合作单位”中填写与园区建立产学研合作关系的高校、科研院所。"),
        ("partners", "产学研合作须已产生一批相关专利成果，“专利成果数量”为 0。请填写由合作产生的专利成果数量。"),
    ]


def test_co4_park_cooperation_needs_no_three_years(park):
    _close_on(park)
    park.consortium_partners.update(started_on=datetime.date(2024, 1, 1))

    assert _failing(evaluate(park, RULES)) == []


def test_co4_does_not_apply_to_a_unit(filing):
    assert _messages(co4_park_conditions(filing)) == [
        (PASS, "", "申报单位为企事业单位，适用企事业单位的申报条件（CO-3）。")
    ]


# --- CO-5 bank fields -------------------------------------------------------------------


BANK_MISSING = "请填写开户银行、银行账号（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）。"


def test_co5_bank_fields_required_of_an_enterprise(filing):
    _update(filing, bank_name="", bank_account=" ")

    assert _messages(co5_bank_account(filing)) == [(FAIL, "basic", BANK_MISSING)]


def test_co5_one_bank_field_missing(filing):
    _update(filing, bank_account="")

    assert _messages(co5_bank_account(filing)) == [
        (FAIL, "basic", "请填写银行账号（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）。")
    ]


@pytest.mark.parametrize("nature", [UnitNature.PUBLIC_2, UnitNature.PUBLIC_3, UnitNature.OTHER, ""])
def test_co5_other_natures_are_not_exempt(filing, nature):
    _update(filing, unit_nature=nature, bank_name="", bank_account="")

    assert _messages(co5_bank_account(filing)) == [(FAIL, "basic", BANK_MISSING)]


@pytest.mark.parametrize("bank", [{"bank_name": "", "bank_account": ""}, {}])
def test_co5_public_welfare_class_1_is_exempt(filing, bank):
    _update(filing, unit_nature=UnitNature.PUBLIC_1, **bank)

    assert _messages(co5_bank_account(filing)) == [(PASS, "basic", "公益1类事业单位，开户银行和银行账号不用填。")]


@pytest.mark.parametrize("bank", [{"bank_name": "", "bank_account": ""}, {}])
def test_co5_already_undertaking_in_pudong_or_xuhui_is_exempt(filing, bank):
    _update(filing, already_undertaking=True, **bank)

    assert _messages(co5_bank_account(filing)) == [
        (PASS, "basic", "已承接浦东、徐汇相同项目，开户银行和银行账号不用填。")
    ]
    assert blocking(evaluate(filing, RULES)) == []


# --- CO-6 text limits ------------------------------------------------------------------


def test_count_chars_counts_everything_but_whitespace():
    assert count_chars("申报单位，2024年 IP\n运营。\u3000\t") == 15
    assert count_chars("𠀾䶮") == 2
    assert count_chars("") == 0


@pytest.mark.parametrize(("chars", "verdict"), [(1000, PASS), (1001, FAIL)])
def test_co6_capability_text_limit(filing, chars, verdict):
    # Line breaks and spaces do not count: 1000 characters laid out on many lines are 1000.
    _update(filing, capability_text="\n".join(["字" * 10 + " "] * (chars // 10)) + "字" * (chars % 10))

    findings = co6_text_limits(filing)

    assert [f.verdict for f in findings] == [verdict]
    if verdict == FAIL:
        assert _failing(findings) == [
            (
                "capability",
                f"“申报单位承担项目能力基本情况”共 1001 字，超过 1000 字的上限，请精简（计字方法：{COUNTING}）。",
            )
        ]


@pytest.mark.parametrize(("chars", "verdict"), [(2000, PASS), (2001, FAIL)])
def test_co6_plan_text_limit(filing, chars, verdict):
    _update(filing, plan_text="，" * chars)

    assert [(f.verdict, f.step) for f in co6_text_limits(filing)] == [(verdict, "plan" if verdict == FAIL else "")]


def test_co6_pass_states_the_counts_and_how_they_are_counted(filing):
    _update(filing, capability_text="一二三", plan_text="a b")

    assert _messages(co6_text_limits(filing)) == [
        (
            PASS,
            "",
            "字数符合要求：申报单位承担项目能力基本情况 3 字（上限 1000 字）；产学研运营联合体工作方案 2 字（上限 2000 字）。"
            f"计字方法：{COUNTING}。",
        )
    ]


def test_co6_limits_are_settings(filing, settings):
    settings.CONSORTIUM_CAPABILITY_MAX_CHARS = 10
    _update(filing, capability_text="字" * 11)

    assert _failing(co6_text_limits(filing)) == [
        ("capability", f"“申报单位承担项目能力基本情况”共 11 字，超过 10 字的上限，请精简（计字方法：{COUNTING}）。")
    ]


# --- CO-7 performance targets ------------------------------------------------------------


def test_yearly_growth_is_compound_over_two_years():
    assert yearly_growth(100, 169) == Decimal("0.3")
    assert yearly_growth(Decimal("100.00"), Decimal("121.00")) == Decimal("0.1")
    assert yearly_growth(0, 10) is None


def test_co7_exactly_thirty_percent_passes(filing):
    assert _messages(co7_targets(filing)) == [
        (
            PASS,
            "",
            "绩效目标年均增幅均不少于 30.0%：专利许可、转让、作价入股次数 30.0%、专利数量 30.0%、成交金额 30.0%、实际到账金额 30.0%。",
        )
    ]


def test_co7_twenty_nine_percent_fails(filing):
    # 1.29² = 1.6641: 29% a year, just under 30%.
    _update(filing, value_year1=Decimal("129.00"), value_year2=Decimal("166.41"), deals_base=10000, deals_year2=16641)

    assert _failing(co7_targets(filing)) == [
        (
            "plan",
            "“专利许可、转让、作价入股次数”年均增幅为 29.0%，低于 30.0%：基准年度 10000 次，第二年目标至少应为 16900 次"
            "（年均增幅按两年复合增长计算：(第二年目标值 ÷ 基准年度实际值) 开平方 − 1）。",
        ),
        (
            "plan",
            "“成交金额”年均增幅为 29.0%，低于 30.0%：基准年度 100 万元，第二年目标至少应为 169 万元"
            "（年均增幅按两年复合增长计算：(第二年目标值 ÷ 基准年度实际值) 开平方 − 1）。",
        ),
    ]


def test_co7_a_cent_under_thirty_percent_fails(filing):
    _update(filing, received_year2=Decimal("168.99"))

    assert [f.message.split("，")[0] for f in co7_targets(filing)] == ["“实际到账金额”年均增幅为 30.0%"]
    assert co7_targets(filing)[0].verdict == FAIL


def test_co7_base_zero_is_for_review(filing):
    _update(filing, deals_base=0, deals_year1=3, deals_year2=8)

    [finding] = co7_targets(filing)
    assert (finding.verdict, finding.step, finding.message) == (
        REVIEW,
        "plan",
        "“专利许可、转让、作价入股次数”基准年度为 0，年均增幅无法计算，目标是否合理由审核人员判断。",
    )
    assert finding.evidence == "基准年度 0 次，第一年目标 3 次，第二年目标 8 次。"
    assert blocking(evaluate(filing, RULES)) == []


def test_co7_base_and_target_zero_fails(filing):
    _update(filing, received_base=Decimal("0"), received_year1=Decimal("0"), received_year2=Decimal("0"))

    assert _failing(co7_targets(filing)) == [
        ("plan", "“实际到账金额”基准年度和第二年目标均为 0，未体现增长。请填写任务期的目标值。")
    ]


def test_co7_growth_is_a_setting(filing, settings):
    settings.CONSORTIUM_TARGET_MIN_GROWTH_PERCENT = 20
    _update(filing, patents_year2=144)

    assert _verdicts(co7_targets(filing)) == [("CO-7", PASS)]

    settings.CONSORTIUM_TARGET_MIN_GROWTH_PERCENT = 31
    assert len(_failing(co7_targets(filing))) == 4


def test_co7_blank_targets_are_left_to_completeness(filing):
    _update(filing, **dict.fromkeys(("deals_base", "patents_year2", "value_base", "received_year2")))

    assert _messages(co7_targets(filing)) == [(PASS, "plan", "尚未填写绩效目标。")]
