from decimal import Decimal

import pytest

from accounts.tests.factories import OrganisationFactory
from filings.kinds.product.models import PatentRole, ProductPatent, SubjectState, SubjectType
from filings.kinds.product.rules import (
    RULES,
    completeness,
    normalise_product,
    pr1_subject,
    pr2_patent_rights,
    pr3_valid_patents,
    pr4_market_benefit,
    pr5_not_filed_twice,
)
from filings.kinds.product.variants import model_key
from filings.models import Filing
from filings.rules import Verdict, blocking, evaluate
from filings.states import State
from filings.tests.alliance_factories import MaterialFactory
from filings.tests.product_factories import (
    ProductFilingFactory,
    ProductSubjectFactory,
    complete_product_filing,
)

pytestmark = pytest.mark.django_db

PASS, FAIL, REVIEW = Verdict.PASS, Verdict.FAIL, Verdict.REVIEW


@pytest.fixture
def filing():
    return complete_product_filing()


def _update(filing, **fields):
    detail = filing.product
    for name, value in fields.items():
        setattr(detail, name, value)
    detail.save()


def _verdicts(findings):
    return [(f.rule, f.verdict) for f in findings]


def _place(filing, state, **fields):
    Filing.objects.filter(pk=filing.pk).update(state=state, **fields)


# --- all together ---------------------------------------------------------------------------


def test_complete_filing_passes_every_rule_with_pr4_for_review(filing):
    findings = evaluate(filing, RULES)

    assert _verdicts(findings) == [
        ("PR-0", PASS),
        ("PR-1", PASS),
        ("PR-2", PASS),
        ("PR-3", PASS),
        ("PR-4", REVIEW),
        ("PR-5", PASS),
    ]
    assert blocking(findings) == []


# --- PR-0 -----------------------------------------------------------------------------------


def test_completeness_fails_on_blank_fields_and_missing_materials():
    filing = ProductFilingFactory()

    findings = completeness(filing)

    assert [(f.step, f.message) for f in findings] == [
        (
            "product",
            "“备案产品基本信息”未填写完整：产品名称、型号/品种、同一型号下的颜色、大小、配置等、所属产业。"
            "各栏目不得空缺，无内容时请填“无”。",
        ),
        ("materials", "请上传材料 M1：专利证书或专利登记簿副本。"),
        ("materials", "请上传材料 M2：经济数据证明。"),
    ]


def test_completeness_cites_the_product_notice_not_the_alliance_one():
    findings = completeness(ProductFilingFactory())

    assert {f.citation.split("》")[0] + "》" for f in findings} == {"《关于组织开展专利产品备案工作的通知》"}


def test_completeness_accepts_none_for_variants(filing):
    _update(filing, variants="无")

    assert _verdicts(completeness(filing)) == [("PR-0", PASS)]


# --- PR-1 -----------------------------------------------------------------------------------


def test_pr1_fails_without_a_subject_and_links_to_the_subject_page():
    filing = complete_product_filing(subject=False)

    (finding,) = pr1_subject(filing)

    assert (finding.verdict, finding.step) == (FAIL, "subject")
    # The finding itself links to the subject page (its step): no address in the words.
    assert finding.message == (
        "备案主体审核通过后方可提交备案产品（当前：未提交）。请在“备案主体”页面填写实名信息、上传诚信承诺书并提交审核。"
    )


@pytest.mark.parametrize("state", [SubjectState.DRAFT, SubjectState.PENDING, SubjectState.RETURNED])
def test_pr1_fails_until_the_subject_audit_passed(state):
    organisation = OrganisationFactory()
    ProductSubjectFactory(organisation=organisation, state=state)
    filing = complete_product_filing(organisation=organisation)

    (finding,) = pr1_subject(filing)

    assert finding.verdict == FAIL
    assert f"（当前：{SubjectState(state).label}）" in finding.message


def test_pr1_fails_for_a_subject_type_the_notice_does_not_name():
    organisation = OrganisationFactory()
    ProductSubjectFactory(organisation=organisation, subject_type=SubjectType.OTHER)
    filing = complete_product_filing(organisation=organisation)

    (finding,) = pr1_subject(filing)

    assert finding.verdict == FAIL
    assert finding.message.startswith("备案主体应为具备独立法人资格的企业、高校院所、新型研发机构或社会组织")


@pytest.mark.parametrize(
    "subject_type", [SubjectType.ENTERPRISE, SubjectType.ACADEMIC, SubjectType.NEW_RD, SubjectType.SOCIAL]
)
def test_pr1_passes_for_each_allowed_approved_subject(subject_type):
    organisation = OrganisationFactory()
    ProductSubjectFactory(organisation=organisation, subject_type=subject_type)
    filing = complete_product_filing(organisation=organisation)

    assert _verdicts(pr1_subject(filing)) == [("PR-1", PASS)]


# --- PR-2 -----------------------------------------------------------------------------------


def test_pr2_fails_for_a_licensee_without_a_licence_filing_number(filing):
    licensed = filing.product_patents.get(role=PatentRole.LICENSEE)
    licensed.licence_number = "无"
    licensed.save()

    (finding,) = pr2_patent_rights(filing)

    assert finding.verdict == FAIL
    assert finding.message == f"备案主体为被许可人的，须填写专利实施许可合同备案号：“{licensed.number}”。"


def test_pr2_fails_for_a_patent_without_the_subjects_role(filing):
    held = filing.product_patents.get(role=PatentRole.HOLDER)
    held.role = ""
    held.save()

    (finding,) = pr2_patent_rights(filing)

    assert finding.message == f"请为专利“{held.number}”选择备案主体身份（专利权人或被许可人）。"


def test_pr2_passes_for_holder_and_licensee_with_number(filing):
    assert _verdicts(pr2_patent_rights(filing)) == [("PR-2", PASS)]


# --- PR-3 -----------------------------------------------------------------------------------


def test_pr3_fails_without_any_patent(filing):
    ProductPatent.objects.filter(filing=filing).delete()

    assert [f.message for f in pr3_valid_patents(filing)] == ["备案产品至少涉及一项有效专利，请填写所使用的专利。"]
    assert pr2_patent_rights(filing) == []


def test_pr3_fails_for_an_invalid_number_and_an_undeclared_dispute(filing):
    ProductPatent.objects.filter(filing=filing, role=PatentRole.HOLDER).update(number="202010000001.0")
    ProductPatent.objects.filter(filing=filing, role=PatentRole.LICENSEE).update(no_dispute=False)
    licensed = filing.product_patents.get(role=PatentRole.LICENSEE)

    findings = pr3_valid_patents(filing)

    assert [f.message for f in findings] == [
        "专利号不正确，请核对：“202010000001.0”。",
        f"请声明所用专利不存在权属纠纷：“{licensed.number}”。存在权属纠纷的专利不能用于备案。",
    ]


def test_pr3_passes_with_one_valid_undisputed_patent():
    filing = complete_product_filing()
    ProductPatent.objects.filter(filing=filing, role=PatentRole.LICENSEE).delete()

    assert _verdicts(pr3_valid_patents(filing)) == [("PR-3", PASS)]


# --- PR-4 -----------------------------------------------------------------------------------


def test_pr4_is_for_review_with_the_figures_as_evidence(filing):
    (finding,) = pr4_market_benefit(filing)

    assert finding.verdict == REVIEW
    assert (
        finding.evidence
        == "上年度销售额 12000.00 万元，出口额 3000.00 万元，利润 1500.00 万元，知识产权投入 300.00 万元。"
    )


def test_pr4_fails_when_economic_data_is_missing(filing):
    _update(filing, exports=None, ip_investment=None)

    (finding,) = pr4_market_benefit(filing)

    assert finding.message == "请填写经济数据：上年度出口额（万元）、上年度知识产权投入（万元）（没有的填 0）。"


def test_pr4_fails_without_sales(filing):
    _update(filing, sales=Decimal("0"))

    assert _verdicts(pr4_market_benefit(filing)) == [("PR-4", FAIL)]


# --- PR-5 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("智能手机", "X30"),
        ("智能手机", "Ｘ３０"),  # full-width
        ("智能 手机", " x 30 "),  # spaces and case
        ("智能\u3000手机", "ｘ30"),  # ideographic space, full-width lower case
    ],
)
def test_pr5_fails_for_the_same_product_however_it_is_typed(name, model):
    earlier = complete_product_filing()
    _place(earlier, State.SUBMITTED, number="ZLCP2024001-0001")
    later = complete_product_filing(product_name=name, model=model)

    (finding,) = pr5_not_filed_twice(later)

    assert finding.verdict == FAIL
    assert finding.message == (
        f"相同产品不得重复备案：“{name.strip()} {model.strip()}”已有备案记录 ZLCP2024001-0001"
        f"（备案主体：{earlier.organisation.name}）。同一备案产品涉及不同单位的，应由相关方自行协商一致，由其中一方进行备案。"
    )


def test_pr5_names_the_registry_number_of_a_registered_record():
    earlier = complete_product_filing()
    _place(earlier, State.REGISTERED, number="ZLCP2024001-0001", registry_number="沪知产品备〔2024〕第00001号")
    later = complete_product_filing()

    (finding,) = pr5_not_filed_twice(later)

    assert "沪知产品备〔2024〕第00001号（备案主体：" in finding.message


@pytest.mark.parametrize("state", [State.DRAFT, State.WITHDRAWN, State.REJECTED])
def test_pr5_ignores_records_that_left_or_never_entered_the_pipeline(state):
    earlier = complete_product_filing()
    _place(earlier, state)
    later = complete_product_filing()

    assert _verdicts(pr5_not_filed_twice(later)) == [("PR-5", PASS)]


def test_pr5_passes_for_another_model_of_the_same_product():
    earlier = complete_product_filing()
    _place(earlier, State.SUBMITTED, number="ZLCP2024001-0001")
    later = complete_product_filing(model="X30 Pro")

    assert _verdicts(pr5_not_filed_twice(later)) == [("PR-5", PASS)]


def test_pr5_leaves_a_blank_name_to_pr0():
    filing = ProductFilingFactory()
    MaterialFactory(filing=filing, code="M1")

    assert pr5_not_filed_twice(filing) == []


def test_normalise_product_folds_width_space_and_case():
    assert normalise_product("Ｍａｔｅ　６０ Pro") == normalise_product("mate60pro") == "mate60pro"


@pytest.mark.parametrize(
    "model",
    [
        "X30 曜石黑",  # a colour name
        "X30黑色",  # a colour word straight after the code
        "X30 Black",
        "X30（白色）",
        "X30 8GB+256GB",  # a configuration
        "X30 标准版",
        "X30 55英寸",  # a size
        "X-30",  # the code with a hyphen
        "x_30 冰川蓝 512G",
    ],
)
def test_pr5_takes_a_colour_size_or_configuration_of_a_model_as_the_same_product(model):
    earlier = complete_product_filing(model="X30")
    _place(earlier, State.SUBMITTED, number="ZLCP2024001-0001")
    later = complete_product_filing(model=model)

    (finding,) = pr5_not_filed_twice(later)

    assert finding.verdict == FAIL
    assert "ZLCP2024001-0001" in finding.message


def test_pr5_names_the_variant_words_it_set_aside():
    earlier = complete_product_filing(model="X30")
    _place(earlier, State.SUBMITTED, number="ZLCP2024001-0001")

    (finding,) = pr5_not_filed_twice(complete_product_filing(model="X30 曜石黑 8GB+256GB"))

    assert finding.message.endswith("（“曜石黑、8gb+256gb”属于同一型号的不同颜色、大小或配置，归类为同一备案产品。）")


@pytest.mark.parametrize("model", ["X30 Pro", "X30 Pro 黑色", "X31", "X3.0", "X30S"])
def test_pr5_keeps_another_model_apart_from_its_variants(model):
    earlier = complete_product_filing(model="X30")
    _place(earlier, State.SUBMITTED, number="ZLCP2024001-0001")

    assert _verdicts(pr5_not_filed_twice(complete_product_filing(model=model))) == [("PR-5", PASS)]


def test_a_variety_without_a_model_code_is_compared_whole():
    # 品种 such as 红富士 (an apple) carry a colour character but no model code: nothing is dropped.
    assert model_key("红富士") == "红富士" != model_key("富士")


def test_the_variant_words_come_from_settings(settings):
    settings.PRODUCT_VARIANT_WORDS = ["典藏版"]
    settings.PRODUCT_VARIANT_COLOURS = []

    assert model_key("X30 典藏版") == "x30"
    assert model_key("X30 黑色") == "x30黑色"
