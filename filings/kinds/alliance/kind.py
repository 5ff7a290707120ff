"""Registers the alliance filing with the shared machinery."""

import datetime

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from filings import kinds
from filings.kinds.alliance import forms
from filings.kinds.alliance.models import AllianceDetail, AllianceMember, AllianceType, MemberCategory, PatentPool
from filings.kinds.alliance.rules import RULES, badges
from filings.steps import FormsetSpec, Step, jsonable, snapshot_rows

MEMBER_FIELDS = ["category", "name", "amount", "inventions", "utility_models", "designs", "main_business", "pool_role"]
POOL_FIELDS = ["name", "chain_node", "patent_count", "description"]

STEPS = [
    Step("cover", _("封面"), form=forms.CoverForm, intro=_("封面中的编号由系统在提交时分配，不由申请人填写。")),
    Step("basic", _("一、联盟基本信息"), form=forms.BasicForm, template="filings/alliance/basic.html"),
    Step(
        "counts",
        _("技术标准、成员数量与管理体系"),
        form=forms.CountsForm,
        template="filings/alliance/counts.html",
    ),
    Step(
        "pools",
        _("专利池情况"),
        formsets=(
            FormsetSpec(
                "pools",
                _("专利池（或专利组合）"),
                PatentPool,
                forms.PoolForm,
                help_text=_("联盟应围绕产业链重要节点开展专利池（或专利组合）运营（通知一、5）。"),
            ),
        ),
    ),
    Step(
        "members",
        _("二、联盟成员信息"),
        formsets=(
            FormsetSpec(
                "enterprises",
                _("企业"),
                AllianceMember,
                forms.EnterpriseMemberForm,
                filter={"category": MemberCategory.ENTERPRISE},
                defaults={"category": MemberCategory.ENTERPRISE},
                help_text=_("有效专利量截至上年底，单位：件。"),
            ),
            FormsetSpec(
                "academic",
                _("高等院校或科研机构"),
                AllianceMember,
                forms.AcademicMemberForm,
                filter={"category__in": [MemberCategory.UNIVERSITY, MemberCategory.INSTITUTE]},
            ),
            FormsetSpec(
                "services",
                _("服务机构或金融机构"),
                AllianceMember,
                forms.ServiceMemberForm,
                filter={"category__in": [MemberCategory.SERVICE, MemberCategory.FINANCIAL]},
            ),
        ),
    ),
    Step("texts", _("三、联盟任务 四、联盟运行 五、专利池运营"), form=forms.TextsForm),
    Step("declaration", _("申请单位意见"), form=forms.DeclarationForm),
    Step("materials", _("申报材料"), url_name="filings:materials"),
    Step("submit", _("核对并提交"), url_name="filings:submit"),
]

# seed 000 二、申请备案材料 1–6
MATERIALS = [
    kinds.MaterialSpec(
        "M1",
        _("联盟备案申请书（签名盖章扫描件）及联盟协议文本复印件"),
        False,
        _("提交后下载系统生成的申请书PDF，打印、签名并加盖公章后扫描上传。"),
        after_submission=True,
    ),
    kinds.MaterialSpec(
        "M2",
        _("联盟章程或组建联盟的合作协议书"),
        True,
        _("应由各成员单位的法定代表人共同签署并加盖公章。"),
    ),
    kinds.MaterialSpec(
        "M3",
        _("联盟主要发起单位营业执照复印件"),
        True,
        _("高等学校、科研院所提供事业单位法人证书复印件。"),
    ),
    kinds.MaterialSpec("M4", _("联盟成员单位名单及相关负责人、联系人信息"), True, _("包括姓名、职务、联系方式。")),
    kinds.MaterialSpec("M5", _("联盟组建专利池（或专利组合）的合同及专利实施许可合同备案证明"), False, many=True),
    kinds.MaterialSpec("M6", _("其他必要的信息资料"), False, many=True),
]


def create_detail(filing) -> None:
    organisation = filing.organisation
    AllianceDetail.objects.create(filing=filing, address=organisation.address)


def title(filing) -> str:
    return filing.alliance.name


def snapshot(filing) -> dict:
    detail = filing.alliance
    data = jsonable(model_to_dict(detail, exclude=["filing"]))
    data.update(std_total=detail.std_total, count_total=detail.count_total)
    return {
        "detail": data,
        "members": snapshot_rows(filing.alliance_members.all(), MEMBER_FIELDS),
        "pools": snapshot_rows(filing.patent_pools.all(), POOL_FIELDS),
    }


def industry(filing) -> str:
    return filing.alliance.industry


def parties(filing) -> list[str]:
    return list(filing.alliance_members.values_list("name", flat=True))


# The alliance notice names no score sheet; these criteria follow its conditions (seed 000 一)
# and the guide's tasks (seed 002 二). Staff may set another per call.
SCORE_SHEET = (
    {"key": "base", "label": "发起单位专利基础与行业影响力（通知一、1）", "max": 20},
    {"key": "members", "label": "成员结构：以企业为基础、产学研协同（通知一、2–3）", "max": 20},
    {"key": "charter", "label": "章程或合作协议的完备性（通知一、4）", "max": 15},
    {"key": "pools", "label": "专利池（或专利组合）运营（通知一、5）", "max": 25},
    {"key": "operation", "label": "联盟任务与运行机制（建设指南二、四）", "max": 20},
)


# The material audit works from the notices (SPEC §4): the charter's nine contents (seed 002
# 三(四)) and the signatures and seals of every member's legal representative (seed 000 二.2).
AUDIT_CHECKLIST = (
    ("m1_signed", "M1 申请书已由负责人签名并加盖公章，与系统生成的版本一致"),
    ("m2_signed", "M2 章程或合作协议由各成员单位的法定代表人共同签署并加盖公章"),
    ("charter_name", "章程载明联盟的名称、住所"),
    ("charter_nature", "章程载明联盟的性质、宗旨、业务范围和活动地域"),
    ("charter_goals", "章程载明联盟的工作目标、原则和主要内容"),
    ("charter_membership", "章程载明联盟成员资格及其权利、义务"),
    ("charter_organs", "章程载明联盟的组织机构、管理制度及产生程序"),
    ("charter_funds", "章程载明联盟经费和资产的来源、使用、管理和监督"),
    ("charter_amendment", "章程载明联盟章程的修改程序"),
    ("charter_termination", "章程载明联盟的终止程序及终止后资产的处理"),
    ("charter_other", "章程载明其他应由联盟章程规定的事项"),
    ("m3_licence", "M3 发起单位营业执照（或事业单位法人证书）复印件清晰有效"),
    ("m4_contacts", "M4 成员单位名单含负责人、联系人姓名、职务、联系方式"),
    ("m5_pool", "M5 专利池（或专利组合）合同及专利实施许可合同备案证明（如有）"),
)


def pdf_context(data: dict) -> dict:
    """The form's tables from the frozen data (seed 000 附件)."""
    detail = data.get("detail", {})
    members = data.get("members", [])
    labels = dict(MemberCategory.choices)

    def rows(*categories):
        # Numbered per table (序号 1…n) in the order of the categories named, with the
        # category's label for the tables that mix two (高等学校/科研机构, 服务机构/金融机构).
        chosen = [m for category in categories for m in members if m.get("category") == category]
        return [
            {**m, "serial": n, "category_label": labels.get(m.get("category"), "")} for n, m in enumerate(chosen, 1)
        ]

    founded = detail.get("founded_on")
    return {
        "detail": detail,
        "founded_on": datetime.date.fromisoformat(founded) if founded else None,
        "alliance_types": [
            {"label": label, "checked": value == detail.get("alliance_type")} for value, label in AllianceType.choices
        ],
        "enterprises": rows(MemberCategory.ENTERPRISE),
        "academic": rows(MemberCategory.UNIVERSITY, MemberCategory.INSTITUTE),
        "services": rows(MemberCategory.SERVICE, MemberCategory.FINANCIAL),
        "pools": data.get("pools", []),
    }


SPEC = kinds.KindSpec(
    code="ALLIANCE",
    label=_("上海市产业知识产权联盟备案"),
    number_prefix="LM",
    create_detail=create_detail,
    detail=lambda filing: filing.alliance,
    title=title,
    steps=STEPS,
    rules=RULES,
    rule_reads=("organisation", "alliance", "alliance_members", "patent_pools"),
    badges=badges,
    materials=MATERIALS,
    snapshot=snapshot,
    industry=industry,
    parties=parties,
    # Blind review (Call.blind_review): the applicant and its people.
    blind_fields=frozenset(
        {
            "contact_name",
            "contact_title",
            "address",
            "postcode",
            "corp_name",
            "corp_legal_rep",
            "chair_name",
            "chair_title",
            "secretary_name",
            "secretary_title",
            "head_name",
            "head_title",
            "declarant_name",
        }
    ),
    score_sheet=SCORE_SHEET,
    audit_checklist=AUDIT_CHECKLIST,
    pdf_template="pdf/alliance.html",
    registration_template="pdf/alliance_registration.html",
    registration_document_name="备案证明",
    pdf_context=pdf_context,
)
