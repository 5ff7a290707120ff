from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import OrganisationType
from accounts.tests.factories import make_uscc
from filings.kinds.alliance.models import AllianceType, MemberCategory, PoolRole
from filings.kinds.alliance.rules import (
    RULES,
    al1_sponsor,
    al2_sponsor_patent_base,
    al3_member_funding,
    al4_member_composition,
    al5_charter,
    al6_patent_pools,
    al7_member_counts,
    al8_cnipa_refiling,
    badges,
    completeness,
)
from filings.models import Filing
from filings.rules import Badge, Verdict, blocking, evaluate
from filings.tests.alliance_factories import (
    AllianceFilingFactory,
    AllianceMemberFactory,
    MaterialFactory,
    complete_alliance_filing,
)

pytestmark = pytest.mark.django_db

PASS, FAIL, REVIEW = Verdict.PASS, Verdict.FAIL, Verdict.REVIEW
ENTERPRISE, UNIVERSITY, INSTITUTE = MemberCategory.ENTERPRISE, MemberCategory.UNIVERSITY, MemberCategory.INSTITUTE
SERVICE, FINANCIAL = MemberCategory.SERVICE, MemberCategory.FINANCIAL
FILL_IN = "各栏目不得空缺，无内容时请填“无”。"
CONTACT_BLOCKS = (
    "corp_name",
    "corp_legal_rep",
    "corp_phone",
    "chair_name",
    "chair_phone",
    "chair_title",
    "secretary_name",
    "secretary_phone",
    "secretary_title",
    "head_name",
    "head_phone",
    "head_title",
)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def filing():
    return complete_alliance_filing()


def _update(filing, **fields):
    detail = filing.alliance
    for name, value in fields.items():
        setattr(detail, name, value)
    detail.save()


def _verdicts(findings):
    return [(f.rule, f.verdict) for f in findings]


def _messages(findings):
    return [(f.verdict, f.step, f.message) for f in findings]


def _alliance_with(*categories, **detail):
    filing = AllianceFilingFactory(**{f"alliance__{k}": v for k, v in detail.items()})
    for category in categories:
        AllianceMemberFactory(filing=filing, category=category)
    return filing


# --- all rules -----------------------------------------------------------------------------


def test_rules_complete_filing_passes_every_rule(filing):
    findings = evaluate(filing, RULES)

    assert _verdicts(findings) == [
        ("AL-0", PASS),
        ("AL-1", PASS),
        ("AL-2", REVIEW),
        ("AL-3", REVIEW),
        ("AL-4", PASS),
        ("AL-5", PASS),
        ("AL-6", PASS),
        ("AL-7", PASS),
        ("AL-8", PASS),
    ]
    assert blocking(findings) == []
    assert [f.source for f in findings] == [
        "seed 000 填表说明 四",
        "seed 000 一.1",
        "seed 000 一.1",
        "seed 000 一.2",
        "seed 000 一.3",
        "seed 000 一.4",
        "seed 000 一.5",
        "seed 002 一",
        "seed 000 一.7",
    ]


def test_rules_empty_draft_fails_every_blocking_rule():
    findings = evaluate(AllianceFilingFactory(), RULES)

    assert sorted({f.rule for f in blocking(findings)}) == ["AL-0", "AL-1", "AL-4", "AL-5", "AL-6", "AL-7"]


def test_rules_query_count_does_not_grow_with_members(filing):
    def queries() -> int:
        fresh = Filing.objects.get(pk=filing.pk)
        with CaptureQueriesContext(connection) as captured:
            evaluate(fresh, RULES)
            badges(fresh)
        return len(captured)

    before = queries()
    for _i in range(6):
        AllianceMemberFactory(filing=filing, category=ENTERPRISE)
        AllianceMemberFactory(filing=filing, category=SERVICE)

    assert queries() == before


# --- AL-0 completeness -----------------------------------------------------------------


def test_completeness_empty_draft_fails_per_step():
    findings = completeness(AllianceFilingFactory())

    assert {(f.rule, f.verdict, f.source) for f in findings if f.step != "materials"} == {
        ("AL-0", FAIL, "seed 000 填表说明 四")
    }
    assert [(f.step, f.message) for f in findings] == [
        ("cover", f"“封面”未填写完整：联系人、单位及职务、固定电话、移动电话、电子邮箱。{FILL_IN}"),
        (
            "basic",
            f"“一、联盟基本信息”未填写完整：联盟名称、通讯地址、邮编、成立时间、所属产业领域、联盟类型。{FILL_IN}",
        ),
        (
            "counts",
            "“技术标准、成员数量与管理体系”未填写完整："
            "主导或参与技术标准数量（国际标准）、主导或参与技术标准数量（国家标准）、主导或参与技术标准数量（行业标准）、"
            "成员数量（企业）、成员数量（高等学校）、成员数量（科研机构）、成员数量（服务机构）、成员数量（金融机构）、"
            f"专利管理机构名称、专职管理人员数量、经费来源。{FILL_IN}",
        ),
        ("texts", f"“三、联盟任务 四、联盟运行 五、专利池运营”未填写完整：联盟任务、联盟运行、专利池运营。{FILL_IN}"),
        (
            "declaration",
            "“申请单位意见”未填写完整：负责人、勾选“本单位保证所提供资料的真实有效，"
            f"并承担因虚报材料可能引起的一切后果”。{FILL_IN}",
        ),
        ("materials", "请上传材料 M2：联盟章程或组建联盟的合作协议书。"),
        ("materials", "请上传材料 M3：联盟主要发起单位营业执照复印件。"),
        ("materials", "请上传材料 M4：联盟成员单位名单及相关负责人、联系人信息。"),
    ]


def test_completeness_complete_filing_passes(filing):
    assert _messages(completeness(filing)) == [(PASS, "", "申请书各栏目已填写完整，必备材料已上传。")]


@pytest.mark.parametrize(
    ("alliance_type", "missing"),
    [
        (AllianceType.ENTERPRISE, "企业名称、法人代表、法人代表联系电话"),
        (
            AllianceType.SOCIAL,
            "联盟理事长/协会会长、联盟理事长/协会会长联系电话、联盟理事长/协会会长单位及职务、"
            "联盟秘书长、联盟秘书长联系电话、联盟秘书长单位及职务",
        ),
        (
            AllianceType.COOPERATIVE,
            "联盟理事长/协会会长、联盟理事长/协会会长联系电话、联盟理事长/协会会长单位及职务、"
            "联盟秘书长、联盟秘书长联系电话、联盟秘书长单位及职务",
        ),
        (AllianceType.OTHER, "负责人、负责人联系电话、负责人单位及职务"),
    ],
)
def test_completeness_contact_block_of_alliance_type_missing(filing, alliance_type, missing):
    _update(filing, alliance_type=alliance_type, **dict.fromkeys(CONTACT_BLOCKS, ""))

    assert _messages(completeness(filing)) == [(FAIL, "basic", f"“一、联盟基本信息”未填写完整：{missing}。{FILL_IN}")]


@pytest.mark.parametrize(
    ("alliance_type", "block"),
    [
        (
            AllianceType.ENTERPRISE,
            {"corp_name": "上海联盟运营有限公司", "corp_legal_rep": "赵法人", "corp_phone": "021-50801234"},
        ),
        (
            AllianceType.SOCIAL,
            {
                "chair_name": "钱会长",
                "chair_phone": "021-50801234",
                "chair_title": "上海集成电路行业协会 会长",
                "secretary_name": "孙秘书",
                "secretary_phone": "13900139000",
                "secretary_title": "上海集成电路行业协会 秘书长",
            },
        ),
        (AllianceType.OTHER, {"head_name": "周负责", "head_phone": "13900139000", "head_title": "无"}),
    ],
)
def test_completeness_other_types_contact_blocks_not_required(filing, alliance_type, block):
    _update(filing, alliance_type=alliance_type, **{**dict.fromkeys(CONTACT_BLOCKS, ""), **block})

    assert _verdicts(completeness(filing)) == [("AL-0", PASS)]


def test_completeness_wu_accepted_for_text(filing):
    _update(filing, tasks_text="无", operation_text="无", pool_text="无", funding_source="无", industry="无")

    assert _verdicts(completeness(filing)) == [("AL-0", PASS)]


def test_completeness_whitespace_text_missing(filing):
    _update(filing, tasks_text=" \n ", contact_email="  ")

    assert _messages(completeness(filing)) == [
        (FAIL, "cover", f"“封面”未填写完整：电子邮箱。{FILL_IN}"),
        (FAIL, "texts", f"“三、联盟任务 四、联盟运行 五、专利池运营”未填写完整：联盟任务。{FILL_IN}"),
    ]


def test_completeness_zero_numbers_accepted(filing):
    _update(filing, std_international=0, std_national=0, std_industry=0, patent_staff_count=0)

    assert _verdicts(completeness(filing)) == [("AL-0", PASS)]


def test_completeness_member_rows_incomplete(filing):
    members = filing.alliance_members
    members.filter(name="上海晶圆制造有限公司").update(amount=None, designs=None)
    members.filter(category=UNIVERSITY).update(inventions=None)
    members.filter(category=FINANCIAL).update(main_business=" ")
    AllianceMemberFactory(filing=filing, category=ENTERPRISE, name="", position=9)

    assert _messages(completeness(filing)) == [
        (
            FAIL,
            "members",
            "“二、联盟成员信息”未填写完整：企业“上海晶圆制造有限公司”缺少上年度营业收入（万元）、外观；"
            "企业第 4 行缺少单位名称；高等学校“上海某大学”缺少发明；金融机构“上海某银行”缺少主营业务。"
            f"{FILL_IN}",
        )
    ]


def test_completeness_service_rows_need_no_patent_counts(filing):
    AllianceMemberFactory(filing=filing, category=SERVICE, inventions=None, utility_models=None, designs=None)

    assert _verdicts(completeness(filing)) == [("AL-0", PASS)]


def test_completeness_pool_row_incomplete(filing):
    filing.patent_pools.update(chain_node="", description=" ")

    assert _messages(completeness(filing)) == [
        (FAIL, "pools", f"“专利池情况”未填写完整：专利池 1 缺少围绕的产业链重要节点、简要说明。{FILL_IN}")
    ]


def test_completeness_declaration_not_accepted(filing):
    _update(filing, declaration_accepted=False)

    assert _messages(completeness(filing)) == [
        (
            FAIL,
            "declaration",
            "“申请单位意见”未填写完整：勾选“本单位保证所提供资料的真实有效，"
            f"并承担因虚报材料可能引起的一切后果”。{FILL_IN}",
        )
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("M2", "联盟章程或组建联盟的合作协议书"),
        ("M3", "联盟主要发起单位营业执照复印件"),
        ("M4", "联盟成员单位名单及相关负责人、联系人信息"),
    ],
)
def test_completeness_required_material_missing(filing, code, label):
    filing.material_files.filter(code=code).update(is_current=False)

    findings = completeness(filing)

    assert _messages(findings) == [(FAIL, "materials", f"请上传材料 {code}：{label}。")]
    assert findings[0].source == "seed 000 二"


def test_completeness_signed_scan_m1_not_required_before_first_submission(filing):
    assert not filing.material_files.filter(code="M1").exists()
    assert _verdicts(completeness(filing)) == [("AL-0", PASS)]


# --- AL-1 sponsor ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org_type", "label"),
    [
        (OrganisationType.ENTERPRISE, "企业"),
        (OrganisationType.UNIVERSITY, "高等学校"),
        (OrganisationType.INSTITUTE, "科研院所"),
        (OrganisationType.ASSOCIATION, "行业协会"),
    ],
)
def test_al1_sponsor_allowed_type_passes(filing, org_type, label):
    filing.organisation.org_type = org_type
    filing.organisation.save()

    assert _messages(al1_sponsor(filing)) == [(PASS, "", f"发起单位为本市注册的{label}，已上传营业执照或法人证书。")]


@pytest.mark.parametrize(
    "org_type",
    [t for t in OrganisationType if t not in ("enterprise", "university", "institute", "association")],
)
def test_al1_sponsor_other_type_fails(filing, org_type):
    filing.organisation.org_type = org_type
    filing.organisation.save()

    assert _messages(al1_sponsor(filing)) == [
        (FAIL, "", f"联盟的主要发起单位须为企业、高等学校、科研院所或行业协会，申请单位类型为“{org_type.label}”。")
    ]


def test_al1_sponsor_outside_shanghai_fails(filing):
    uscc = make_uscc(900001, division="110105")
    filing.organisation.uscc = uscc
    filing.organisation.save()

    assert _messages(al1_sponsor(filing)) == [
        (
            FAIL,
            "",
            f"联盟的主要发起单位须在本市注册或登记：统一社会信用代码“{uscc}”的登记管理机关"
            "不在上海（第3–4位应为31）。请由本市注册的单位作为申请单位。",
        )
    ]


def test_al1_sponsor_invalid_uscc_fails(filing):
    filing.organisation.uscc = "91310115000000000X"

    assert _messages(al1_sponsor(filing)) == [
        (FAIL, "", "发起单位的统一社会信用代码“91310115000000000X”无效，请在单位信息中更正。")
    ]


def test_al1_sponsor_licence_missing_fails(filing):
    filing.material_files.filter(code="M3").delete()

    findings = al1_sponsor(filing)

    assert _messages(findings) == [
        (FAIL, "materials", "请上传发起单位营业执照复印件（高等学校、科研院所上传事业单位法人证书复印件），材料 M3。")
    ]
    assert findings[0].source == "seed 000 二.3"


def test_al1_sponsor_each_problem_reported(filing):
    filing.organisation.uscc = make_uscc(900002, division="440305")
    filing.organisation.org_type = OrganisationType.PARK
    filing.organisation.save()
    filing.material_files.filter(code="M3").delete()

    assert [(f.verdict, f.step) for f in al1_sponsor(filing)] == [(FAIL, ""), (FAIL, ""), (FAIL, "materials")]


# --- AL-2 sponsor's patent base ------------------------------------------------------------


def test_al2_sponsor_among_members_shows_patent_counts(filing):
    name = filing.organisation.name

    findings = al2_sponsor_patent_base(filing)

    assert [(f.rule, f.verdict, f.step, f.evidence) for f in findings] == [
        ("AL-2", REVIEW, "members", f"发起单位“{name}”有效专利量：发明 12 件，新型 5 件，外观 0 件。")
    ]
    assert findings[0].message == "发起单位是否具备较好专利基础、在行业内有一定影响力和号召力，由审核人员判断。"


def test_al2_sponsor_blank_patent_count_shown_as_not_filled(filing):
    name = filing.organisation.name
    filing.alliance_members.filter(name=name).update(utility_models=None)

    assert [f.evidence for f in al2_sponsor_patent_base(filing)] == [
        f"发起单位“{name}”有效专利量：发明 12 件，新型 未填 件，外观 0 件。"
    ]


def test_al2_sponsor_not_among_members_says_not_found(filing):
    name = filing.organisation.name
    # Matching is by exact name: a longer or shorter spelling is another unit.
    filing.alliance_members.filter(name=name).update(name=f"{name}（集团）")

    assert [(f.verdict, f.evidence) for f in al2_sponsor_patent_base(filing)] == [
        (REVIEW, f"发起单位“{name}”未出现在成员信息表中，未找到其有效专利数量。")
    ]


def test_al2_sponsor_in_service_table_has_no_patent_counts(filing):
    name = filing.organisation.name
    filing.alliance_members.filter(name=name).update(category=SERVICE)

    assert [(f.verdict, f.evidence) for f in al2_sponsor_patent_base(filing)] == [
        (REVIEW, f"发起单位“{name}”列在服务机构表中，该表不填报有效专利量。")
    ]


# --- AL-3 members' funding -------------------------------------------------------------------


def test_al3_member_funding_lists_every_member_for_review(filing):
    name = filing.organisation.name

    findings = al3_member_funding(filing)

    assert [(f.rule, f.verdict, f.step, f.message) for f in findings] == [
        ("AL-3", REVIEW, "members", "成员单位的研发投入、持续创新能力和商业信誉由审核人员判断。")
    ]
    assert findings[0].evidence == (
        f"{name}（企业）：上年度营业收入 1200.00 万元\n"
        "上海晶圆制造有限公司（企业）：上年度营业收入 1200.00 万元\n"
        "上海整车集团有限公司（企业）：上年度营业收入 1200.00 万元\n"
        "上海某大学（高等学校）：上年度科研经费 800.50 万元\n"
        "上海某银行（金融机构）：上年度营业收入 1200.00 万元"
    )


@pytest.mark.parametrize(
    ("category", "amount", "what"),
    [
        (ENTERPRISE, None, "上年度营业收入"),
        (ENTERPRISE, Decimal("0"), "上年度营业收入"),
        (UNIVERSITY, None, "上年度科研经费"),
        (INSTITUTE, Decimal("0.00"), "上年度科研经费"),
        (SERVICE, None, "上年度营业收入"),
        (FINANCIAL, Decimal("0"), "上年度营业收入"),
    ],
)
def test_al3_member_funding_missing_or_zero_fails(filing, category, amount, what):
    AllianceMemberFactory(filing=filing, category=category, name="上海待补单位", amount=amount)

    findings = al3_member_funding(filing)

    assert _messages(findings)[1:] == [
        (FAIL, "members", f"成员单位“上海待补单位”未填报{what}，请在成员信息中填写（单位：万元，须大于 0）。")
    ]
    assert findings[0].verdict == REVIEW
    assert f"上海待补单位（{category.label}）：{what} 未填报" in findings[0].evidence.splitlines()


def test_al3_member_funding_no_members_review_only():
    findings = al3_member_funding(AllianceFilingFactory())

    assert [(f.verdict, f.evidence) for f in findings] == [(REVIEW, "成员信息表为空。")]


# --- AL-4 composition ------------------------------------------------------------------------

NO_ENTERPRISE = "联盟成员应以企业为基础，请至少填报 1 家企业成员。"
NO_ACADEMIC = "联盟成员应包含高校或科研院所，请至少填报 1 家高等学校或科研机构成员。"


def _largest_group(enterprises: int, larger: str) -> str:
    return (
        f"本平台将“以企业为基础”理解为企业是成员中数量最多的一类：目前企业 {enterprises} 家，"
        f"少于{larger}。请核对成员信息，或增加企业成员。"
    )


def test_al4_member_composition_complete_filing_passes(filing):
    assert _messages(al4_member_composition(filing)) == [(PASS, "", "成员以企业为基础，并包含高校或科研院所。")]


@pytest.mark.parametrize(
    ("categories", "messages"),
    [
        ((UNIVERSITY, SERVICE), [NO_ENTERPRISE]),
        ((ENTERPRISE, ENTERPRISE, SERVICE, FINANCIAL), [NO_ACADEMIC]),
        ((SERVICE,), [NO_ENTERPRISE, NO_ACADEMIC]),
        ((), [NO_ENTERPRISE, NO_ACADEMIC]),
    ],
)
def test_al4_member_composition_missing_group_fails(categories, messages):
    findings = al4_member_composition(_alliance_with(*categories))

    assert _messages(findings) == [(FAIL, "members", m) for m in messages]
    assert {f.source for f in findings} == {"seed 000 一.3"}


@pytest.mark.parametrize("academic", [UNIVERSITY, INSTITUTE])
def test_al4_member_composition_university_or_institute_passes(academic):
    assert _verdicts(al4_member_composition(_alliance_with(ENTERPRISE, academic))) == [("AL-4", PASS)]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (True, [(FAIL, "members", _largest_group(1, "高等学校 2 家"))]),
        ("unset", [(FAIL, "members", _largest_group(1, "高等学校 2 家"))]),
        (False, [(PASS, "", "成员以企业为基础，并包含高校或科研院所。")]),
    ],
)
def test_al4_member_composition_enterprises_largest_group_setting(settings, setting, expected):
    if setting == "unset":
        if hasattr(settings, "ALLIANCE_ENTERPRISES_LARGEST_GROUP"):
            del settings.ALLIANCE_ENTERPRISES_LARGEST_GROUP
    else:
        settings.ALLIANCE_ENTERPRISES_LARGEST_GROUP = setting

    assert _messages(al4_member_composition(_alliance_with(ENTERPRISE, UNIVERSITY, UNIVERSITY))) == expected


def test_al4_member_composition_names_every_larger_group(settings):
    settings.ALLIANCE_ENTERPRISES_LARGEST_GROUP = True
    filing = _alliance_with(ENTERPRISE, UNIVERSITY, UNIVERSITY, SERVICE, SERVICE, SERVICE, FINANCIAL)

    assert _messages(al4_member_composition(filing)) == [
        (FAIL, "members", _largest_group(1, "高等学校 2 家、服务机构 3 家"))
    ]


def test_al4_member_composition_tie_with_enterprises_passes(settings):
    settings.ALLIANCE_ENTERPRISES_LARGEST_GROUP = True
    filing = _alliance_with(ENTERPRISE, ENTERPRISE, UNIVERSITY, UNIVERSITY, SERVICE, SERVICE)

    assert _verdicts(al4_member_composition(filing)) == [("AL-4", PASS)]


# --- AL-5 charter ----------------------------------------------------------------------------


def test_al5_charter_uploaded_passes(filing):
    assert _messages(al5_charter(filing)) == [(PASS, "", "已上传联盟章程或合作协议书。")]


@pytest.mark.parametrize("how", ["never_uploaded", "replaced"])
def test_al5_charter_missing_fails(filing, how):
    charters = filing.material_files.filter(code="M2")
    if how == "replaced":
        # A replaced file stays for the versions that refer to it, but no longer counts.
        charters.update(is_current=False)
    else:
        charters.delete()

    assert _messages(al5_charter(filing)) == [
        (
            FAIL,
            "materials",
            "请上传联盟章程或共同签署的合作协议书（由各成员单位法定代表人共同签署并加盖公章），材料 M2。",
        )
    ]


def test_al5_charter_other_material_does_not_count(filing):
    filing.material_files.filter(code="M2").delete()
    MaterialFactory(filing=filing, code="M6")

    assert _verdicts(al5_charter(filing)) == [("AL-5", FAIL)]


# --- AL-6 patent pools ---------------------------------------------------------------------


def test_al6_patent_pools_complete_filing_passes(filing):
    assert _messages(al6_patent_pools(filing)) == [(PASS, "", "已填报专利池，成员企业均已加入专利池或取得许可。")]


def test_al6_patent_pools_none_fails(filing):
    filing.patent_pools.all().delete()

    assert _messages(al6_patent_pools(filing)) == [
        (FAIL, "pools", "请至少填报 1 个围绕产业链重要节点运营的专利池（或专利组合）。")
    ]


def test_al6_patent_pools_enterprises_outside_pool_named(filing):
    filing.alliance_members.filter(name="上海晶圆制造有限公司").update(pool_role=PoolRole.NONE)
    filing.alliance_members.filter(name="上海整车集团有限公司").update(pool_role="")

    assert _messages(al6_patent_pools(filing)) == [
        (
            FAIL,
            "members",
            "成员企业均应以自有专利加入专利池或取得专利池许可，以下企业尚未满足：上海晶圆制造有限公司、上海整车集团有限公司。",
        )
    ]


@pytest.mark.parametrize("role", [PoolRole.CONTRIBUTES, PoolRole.LICENSED])
def test_al6_patent_pools_contributing_or_licensed_enterprise_passes(filing, role):
    filing.alliance_members.filter(category=ENTERPRISE).update(pool_role=role)

    assert _verdicts(al6_patent_pools(filing)) == [("AL-6", PASS)]


def test_al6_patent_pools_non_enterprises_need_no_role(filing):
    AllianceMemberFactory(filing=filing, category=SERVICE, pool_role=PoolRole.NONE)
    AllianceMemberFactory(filing=filing, category=INSTITUTE, pool_role="")

    assert _verdicts(al6_patent_pools(filing)) == [("AL-6", PASS)]


# --- AL-7 member counts ----------------------------------------------------------------------


def test_al7_member_counts_matching_passes(filing):
    assert _messages(al7_member_counts(filing)) == [(PASS, "", "成员数量与成员信息表一致。")]


@pytest.mark.parametrize(
    ("field", "typed", "label", "rows"),
    [
        ("count_enterprise", 2, "企业", 3),
        ("count_university", 0, "高等学校", 1),
        ("count_institute", 1, "科研机构", 0),
        ("count_service", 2, "服务机构", 0),
        ("count_financial", 3, "金融机构", 1),
    ],
)
def test_al7_member_counts_mismatch_per_category_fails(filing, field, typed, label, rows):
    _update(filing, **{field: typed})

    findings = al7_member_counts(filing)

    assert _messages(findings) == [
        (FAIL, "counts", f"成员数量中“{label}”填写为 {typed} 个，但{label}成员表中有 {rows} 家，请核对。")
    ]
    assert findings[0].source == "seed 000 附件 一"


def test_al7_member_counts_each_mismatch_reported(filing):
    _update(filing, count_enterprise=4, count_service=1)

    assert [f.message for f in al7_member_counts(filing)] == [
        "成员数量中“企业”填写为 4 个，但企业成员表中有 3 家，请核对。",
        "成员数量中“服务机构”填写为 1 个，但服务机构成员表中有 0 家，请核对。",
    ]


@pytest.mark.parametrize("members", [0, 1])
def test_al7_member_counts_fewer_than_two_members_fails(members):
    filing = _alliance_with(*[ENTERPRISE] * members, count_enterprise=members)

    findings = al7_member_counts(filing)

    assert _messages(findings) == [
        (FAIL, "members", f"联盟须由两个以上市场主体组成，成员信息表中目前有 {members} 家，请补充成员单位。")
    ]
    assert findings[0].source == "seed 002 一"


def test_al7_member_counts_two_members_pass():
    filing = _alliance_with(ENTERPRISE, UNIVERSITY, count_enterprise=1, count_university=1)

    assert _verdicts(al7_member_counts(filing)) == [("AL-7", PASS)]


def test_al7_member_counts_blank_count_left_to_completeness(filing):
    _update(filing, count_enterprise=None)

    assert _verdicts(al7_member_counts(filing)) == [("AL-7", PASS)]


# --- AL-8 CNIPA re-filing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cnipa_filed", "message"),
    [
        (True, "重新备案：该联盟已在国家知识产权局备案，本次依据本通知要求重新备案。"),
        (False, "首次备案：该联盟未在国家知识产权局备案。"),
    ],
)
def test_al8_cnipa_refiling_always_passes_with_flag(filing, cnipa_filed, message):
    _update(filing, cnipa_filed=cnipa_filed)

    findings = al8_cnipa_refiling(filing)

    assert _messages(findings) == [(PASS, "basic", message)]
    assert findings[0].source == "seed 000 一.7"


# --- priority badges ---------------------------------------------------------------------

NATIONAL_CENTRE = Badge("national_centre", "国家专利技术展示交易中心为成员单位", "seed 002 五(二)")
FULL_CHAIN = Badge("full_chain", "“产、学、研、金、介、用”资源要素齐全", "seed 002 五(二)")
CORPORATE = Badge("corporate_or_third_party", "企业法人式或由专业服务机构第三方运作", "seed 002 五(二)")


def test_badges_none_for_plain_filing(filing):
    assert badges(filing) == []


def test_badges_national_centre_member(filing):
    AllianceMemberFactory(filing=filing, category=SERVICE, name="国家专利技术展示交易中心（上海）")

    assert badges(filing) == [NATIONAL_CENTRE]


def test_badges_full_chain_needs_every_category(filing):
    AllianceMemberFactory(filing=filing, category=INSTITUTE)
    assert badges(filing) == []

    AllianceMemberFactory(filing=filing, category=SERVICE)
    assert badges(filing) == [FULL_CHAIN]


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ({"alliance_type": AllianceType.ENTERPRISE}, [CORPORATE]),
        ({"third_party_operated": True}, [CORPORATE]),
        ({"alliance_type": AllianceType.SOCIAL}, []),
        ({"alliance_type": AllianceType.OTHER}, []),
    ],
)
def test_badges_corporate_or_third_party(filing, detail, expected):
    _update(filing, **detail)

    assert badges(filing) == expected


def test_badges_all_three(filing):
    _update(filing, alliance_type=AllianceType.ENTERPRISE)
    AllianceMemberFactory(filing=filing, category=INSTITUTE)
    AllianceMemberFactory(filing=filing, category=SERVICE, name="国家专利技术展示交易中心")

    assert badges(filing) == [NATIONAL_CENTRE, FULL_CHAIN, CORPORATE]
