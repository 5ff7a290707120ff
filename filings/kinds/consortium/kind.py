"""Registers the 产学研运营联合体 项目申报 (seed 001) with the shared machinery."""

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationType
from filings import kinds
from filings.growth import percent, yearly_growth
from filings.kinds.consortium import forms
from filings.kinds.consortium.models import (
    TARGET_METRICS,
    ConsortiumDetail,
    ConsortiumMember,
    ConsortiumPartner,
    UnitNature,
)
from filings.kinds.consortium.rules import RULES, badges, count_chars, target_min_growth
from filings.steps import FormsetSpec, Step, jsonable, snapshot_rows

PARTNER_FIELDS = ["name", "started_on", "content", "patents"]
MEMBER_FIELDS = ["name", "id_number", "department", "title", "education", "specialty", "task"]

# Titles are the 申报书's own headings (seed 001 附件).
STEPS = [
    Step(
        "basic",
        _("一、申报单位基本信息"),
        form=forms.BasicForm,
        template="filings/consortium/basic.html",
        intro=_("申报书各栏目不得空缺，无内容时填“无”。封面中的项目编号由系统分配，不需填写。"),
    ),
    Step(
        "partners",
        _("产学研合作单位"),
        form=forms.PartnersDetailForm,
        formsets=(
            FormsetSpec(
                "partners",
                _("产学研合作单位"),
                ConsortiumPartner,
                forms.PartnerForm,
                help_text=_(
                    "企事业单位须与相关单位已经建立产学研合作关系（合作期限3年以上），并已产生一批相关专利成果；"
                    "合作期限计至本批次申报截止日。请在“申报材料”中上传产学研合作协议。"
                ),
            ),
        ),
    ),
    Step(
        "capability",
        _("二、申报单位承担项目能力基本情况"),
        form=forms.CapabilityForm,
        template="filings/consortium/capability.html",
    ),
    Step(
        "plan",
        _("三、项目实施方案、资金安排和绩效目标"),
        form=forms.PlanForm,
        template="filings/consortium/plan.html",
    ),
    Step(
        "team",
        _("四、项目组成员信息"),
        form=forms.LeaderForm,
        template="filings/consortium/team.html",
        formsets=(
            FormsetSpec(
                "members",
                _("项目组全部成员"),
                ConsortiumMember,
                forms.MemberForm,
                help_text=_("包括项目负责人在内的项目组全部成员。"),
            ),
        ),
    ),
    Step("declaration", _("五、申报单位意见"), form=forms.DeclarationForm),
    Step("materials", _("申报材料"), url_name="filings:materials"),
    Step("submit", _("核对并提交"), url_name="filings:submit"),
]

# seed 001 填报说明 4 (附件材料) and 5 (签名并加盖公章的申报书)
MATERIALS = [
    kinds.MaterialSpec(
        "M1",
        _("签字盖章的申报书扫描件"),
        False,
        _("提交后下载系统生成的申报书PDF，A4 双面打印，签名并加盖公章后扫描上传。"),
        after_submission=True,
    ),
    kinds.MaterialSpec("M2", _("相关认证、资质、荣誉等证书复印件"), True, many=True),
    kinds.MaterialSpec(
        "M3",
        _("申报单位承担的相关项目任务书和成果证明材料复印件"),
        True,
        _("篇幅较长的材料可以仅提供封面或目录及相关页。"),
        many=True,
    ),
    kinds.MaterialSpec(
        "M4",
        _("产学研合作协议"),
        True,
        _("证明与合作单位已经建立产学研合作关系及合作开始时间（合作期限3年以上）。"),
        many=True,
    ),
    kinds.MaterialSpec("M5", _("其他支撑材料"), False, many=True),
]


def create_detail(filing) -> None:
    """A new 申报书, prefilled from the organisation the account belongs to."""
    organisation = filing.organisation
    is_park = organisation.org_type == OrganisationType.PARK
    ConsortiumDetail.objects.create(
        filing=filing,
        # A park is named by the applicant; the account's organisation is its management company.
        unit_name="" if is_park else organisation.name,
        is_park=is_park,
        park_company=organisation.name if is_park else "",
        unit_nature=UnitNature.ENTERPRISE if organisation.org_type == OrganisationType.ENTERPRISE else "",
        uscc=organisation.uscc,
        address=organisation.address,
    )


def title(filing) -> str:
    return filing.consortium.display_name


def snapshot(filing) -> dict:
    detail = filing.consortium
    data = jsonable(model_to_dict(detail, exclude=["filing"]))
    # What the printed 申报书 and staff read beside the typed values: labels of the choices,
    # the character counts of CO-6 and the yearly growth of CO-7 (None where the base is 0).
    growth = {}
    for metric, _label, _unit in TARGET_METRICS:
        base, _year1, year2 = detail.target(metric)
        value = yearly_growth(base, year2)
        growth[f"{metric}_growth"] = None if value is None else percent(value)
    data.update(
        # The 申报单位 as the form writes it (“xx园区；xx公司”), under the key the public
        # verification page reads a version's frozen name from.
        name=detail.display_name,
        unit_nature_label=detail.get_unit_nature_display() if detail.unit_nature else "",
        industry_label=detail.industry_label,
        leader_gender_label=detail.get_leader_gender_display() if detail.leader_gender else "",
        capability_chars=count_chars(detail.capability_text),
        plan_chars=count_chars(detail.plan_text),
        **growth,
    )
    return {
        "detail": data,
        "partners": snapshot_rows(filing.consortium_partners.all(), PARTNER_FIELDS),
        "members": snapshot_rows(filing.consortium_members.all(), MEMBER_FIELDS),
    }


def industry(filing) -> str:
    return filing.consortium.industry_label


def parties(filing) -> list[str]:
    # The cooperation partners: an expert working for one of them is in conflict.
    return list(filing.consortium_partners.values_list("name", flat=True))


# The guide names no score sheet; these criteria follow its 工作任务 (一)–(五) and 工作目标
# (seed 001), weighted by how much of the guide each takes. Staff may set another per call.
SCORE_SHEET = (
    {
        "key": "quality",
        "label": "提升专利质量：专利信息利用、高价值培育、国内外布局（工作任务 提升专利质量）",
        "max": 20,
    },
    {
        "key": "operation",
        "label": "开展转化运营：许可、转让、作价入股、质押融资、证券化等流转和价值实现（工作任务 开展转化运营）",
        "max": 25,
    },
    {
        "key": "management",
        "label": "健全管理体系：知识产权工作人员、运营管理与沟通协调制度、权属和利益分配机制（工作任务 健全管理体系）",
        "max": 20,
    },
    {"key": "registration", "label": "优化备案登记与做好绩效统计（工作任务 优化备案登记、做好绩效统计）", "max": 10},
    {
        "key": "targets",
        "label": "绩效目标：年均增幅不少于30%、运营机制与成果、产业特色与亮点、资金安排合理合规（工作目标）",
        "max": 25,
    },
)


# The material audit works from the notice (SPEC §4): seed 001 申报条件, 填报说明 4–5, 附件.
AUDIT_CHECKLIST = (
    ("m1_signed", "M1 申报书已签名并加盖公章，与系统生成的版本一致（填报说明 5）"),
    ("m2_certificates", "M2 相关认证、资质、荣誉等证书复印件清晰有效"),
    ("m3_projects", "M3 承担的相关项目任务书和成果证明材料复印件（可仅提供封面或目录及相关页）"),
    ("m4_agreement", "M4 产学研合作协议由合作各方签署，合作开始时间与申报书一致，合作期限3年以上"),
    ("patents", "由产学研合作产生的专利成果有证明材料"),
    ("park", "科技型园区：集聚产业创新主体不少于50家、产业链关键节点领军企业、与高校院所合作的证明（园区适用）"),
    ("bank", "开户银行、银行账号与申报单位一致（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）"),
    ("identity", "单位法人、项目负责人、项目联系人的身份证号码与姓名一致"),
)


# The yearly 数据统计报告 after 立项 (seed 001 工作任务 做好绩效统计, 工作目标 运营绩效显著提升).
_GOAL = "seed 001 工作目标"
_STATISTICS = "seed 001 做好绩效统计"
REPORT_METRICS = (
    kinds.ReportMetric(
        "deals", _("专利许可、转让、作价入股次数"), _("次"), 0, None, kinds.GROWTH, target_min_growth, _GOAL
    ),
    kinds.ReportMetric("patents", _("专利数量"), _("件"), 0, None, kinds.GROWTH, target_min_growth, _GOAL),
    kinds.ReportMetric("value", _("成交金额"), _("万元"), 2, None, kinds.GROWTH, target_min_growth, _GOAL),
    kinds.ReportMetric("received", _("实际到账金额"), _("万元"), 2, None, kinds.GROWTH, target_min_growth, _GOAL),
    # 专利质押融资登记项目和登记金额……明显提升: no figure in the notice, so no floor.
    kinds.ReportMetric("pledge_projects", _("专利质押融资登记项目数"), _("项"), clause=_GOAL),
    kinds.ReportMetric("pledge_amount", _("专利质押融资登记金额"), _("万元"), 2, clause=_GOAL),
    kinds.ReportMetric("sme_count", _("受益中小微企业数量"), _("家"), clause=_STATISTICS),
    kinds.ReportMetric("sme_revenue", _("受益中小微企业营业收入"), _("万元"), 2, clause=_STATISTICS),
    kinds.ReportMetric("sme_employees", _("受益中小微企业就业人数"), _("人"), clause=_STATISTICS),
)

REPORT_MATERIALS = (
    kinds.MaterialSpec(
        "R1", _("年度工作报告"), True, _("向市知识产权局和区知识产权局报送的年度工作报告，盖章后扫描上传。")
    ),
    kinds.MaterialSpec("R9", _("其他相关材料"), False, many=True),
)


def report_targets(filing) -> dict[str, tuple]:
    detail = filing.consortium
    return {metric: detail.target(metric) for metric, _label, _unit in TARGET_METRICS}


SPEC = kinds.KindSpec(
    code="CONSORTIUM",
    label=_("上海市知识产权产学研运营联合体项目申报"),
    number_prefix="CXY",
    create_detail=create_detail,
    detail=lambda filing: filing.consortium,
    title=title,
    steps=STEPS,
    rules=RULES,
    rule_reads=("call", "organisation", "consortium", "consortium_partners", "consortium_members"),
    badges=badges,
    materials=MATERIALS,
    snapshot=snapshot,
    industry=industry,
    parties=parties,
    # Blind review (Call.blind_review): the applicant and its people.
    blind_fields=frozenset(
        {
            "unit_name",
            "park_company",
            "uscc",
            "bank_name",
            "bank_account",
            "address",
            "postcode",
            "legal_rep_name",
            "leader_name",
            "contact_name",
            "consortiummember.name",
        }
    ),
    score_sheet=SCORE_SHEET,
    audit_checklist=AUDIT_CHECKLIST,
    pdf_template="pdf/consortium.html",
    report_metrics=REPORT_METRICS,
    report_targets=report_targets,
    report_materials=REPORT_MATERIALS,
    # seed 001 工作目标: 2022至2023年 — a task period of two years (the 申报书's 第一年、第二年目标).
    report_years=2,
    registration_template="pdf/consortium_registration.html",
    registration_document_name="立项通知",
)
