"""Eligibility rules for 上海市产业知识产权联盟备案 (SPEC §3 ALLIANCE).

Seed 000 is the 2024 notice (沪知局促〔2024〕40号) with its annexed 申请书; seed 002 is
CNIPA's 《产业知识产权联盟建设指南》, which seed 000 一.6 makes binding.

Every rule is a pure function of a filing returning findings: one `pass` finding when
nothing is wrong, otherwise one finding per thing to fix. Each rule reads the rows it
needs once (members, pools, material codes), so its query count does not grow with the
number of members; a caller that has prefetched `alliance_members` / `patent_pools`
pays nothing for them.
"""

import re
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import OrganisationType
from filings import kinds
from filings.kinds.alliance.models import (
    AllianceDetail,
    AllianceMember,
    AllianceType,
    MemberCategory,
    PatentPool,
    PoolRole,
)
from filings.rules import Badge, Finding, Verdict, is_blank, material_codes, missing_materials, verbose_name
from filings.validators import uscc_is_shanghai

# **Interpretation** (SPEC §3 AL-4): seed 000 一.3 says 联盟成员单位应以企业为基础. The portal
# reads that as "enterprises are the largest member group". Switch it off in settings with
# ALLIANCE_ENTERPRISES_LARGEST_GROUP = False; it is read on every call, never cached.
ENTERPRISES_LARGEST_GROUP_SETTING = "ALLIANCE_ENTERPRISES_LARGEST_GROUP"

# seed 000 一.1: 企业、高校、科研院所或行业协会
SPONSOR_TYPES = (
    OrganisationType.ENTERPRISE,
    OrganisationType.UNIVERSITY,
    OrganisationType.INSTITUTE,
    OrganisationType.ASSOCIATION,
)
# seed 000 附件 二: 高等院校或科研机构 report 科研经费; the other tables 营业收入.
ACADEMIC = (MemberCategory.UNIVERSITY, MemberCategory.INSTITUTE)
NATIONAL_CENTRE = "国家专利技术展示交易中心"

# seed 000 填表说明 四: 申请书各栏目不得空缺. Fields by step; the contact block of 联盟类型
# depends on the type chosen.
ALWAYS_REQUIRED = {
    "cover": ("contact_name", "contact_title", "contact_phone", "contact_mobile", "contact_email"),
    "basic": ("name", "address", "postcode", "founded_on", "industry", "alliance_type"),
    "counts": (
        "std_international",
        "std_national",
        "std_industry",
        "count_enterprise",
        "count_university",
        "count_institute",
        "count_service",
        "count_financial",
        "patent_office_name",
        "patent_staff_count",
        "funding_source",
    ),
    "texts": ("tasks_text", "operation_text", "pool_text"),
    "declaration": ("declarant_name", "declaration_accepted"),
}
_CHAIR_BLOCK = ("chair_name", "chair_phone", "chair_title", "secretary_name", "secretary_phone", "secretary_title")
REQUIRED_BY_TYPE = {
    AllianceType.ENTERPRISE: ("corp_name", "corp_legal_rep", "corp_phone"),
    AllianceType.SOCIAL: _CHAIR_BLOCK,
    AllianceType.COOPERATIVE: _CHAIR_BLOCK,
    AllianceType.OTHER: ("head_name", "head_phone", "head_title"),
}
# Several fields share a verbose_name on the form (联系电话, 单位及职务, and the counts):
# in a list of missing fields they are named with the row they sit in.
_LABEL_PREFIX = {
    "corp_phone": "corp_legal_rep",
    "chair_phone": "chair_name",
    "chair_title": "chair_name",
    "secretary_phone": "secretary_name",
    "secretary_title": "secretary_name",
    "head_phone": "head_name",
    "head_title": "head_name",
}
_LABEL_GROUP = {
    **dict.fromkeys(("std_international", "std_national", "std_industry"), gettext_lazy("主导或参与技术标准数量")),
    **dict.fromkeys(
        ("count_enterprise", "count_university", "count_institute", "count_service", "count_financial"),
        gettext_lazy("成员数量"),
    ),
}
COUNT_FIELDS = {
    MemberCategory.ENTERPRISE: "count_enterprise",
    MemberCategory.UNIVERSITY: "count_university",
    MemberCategory.INSTITUTE: "count_institute",
    MemberCategory.SERVICE: "count_service",
    MemberCategory.FINANCIAL: "count_financial",
}
PATENT_FIELDS = ("inventions", "utility_models", "designs")


_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、")


def _detail_label(field: str) -> str:
    # "三、联盟任务" lists badly after "、": the section number goes.
    label = _SECTION_NUMBER.sub("", verbose_name(AllianceDetail, field))
    if field in _LABEL_PREFIX:
        return verbose_name(AllianceDetail, _LABEL_PREFIX[field]) + label
    if field in _LABEL_GROUP:
        return f"{_LABEL_GROUP[field]}（{label}）"
    if field == "declaration_accepted":
        return _("勾选“%(text)s”") % {"text": label.rstrip("。")}
    return label


# The form's order of the member tables (seed 000 附件 二), not the alphabetical one of the codes.
_CATEGORY_ORDER = {category: index for index, category in enumerate(MemberCategory.values)}


def _members(filing) -> list[AllianceMember]:
    members = filing.alliance_members.all()
    return sorted(members, key=lambda m: (_CATEGORY_ORDER.get(m.category, 99), m.position, m.pk or 0))


def _pools(filing) -> list[PatentPool]:
    return list(filing.patent_pools.all())


# Step titles and materials are declared once, by the kind (filings.kinds.alliance.kind);
# they are looked up at call time because the kind module imports this one for RULES.
def _kind() -> kinds.KindSpec:
    return kinds.get("ALLIANCE")


def _amount_label(member: AllianceMember) -> str:
    return _("上年度科研经费") if member.category in ACADEMIC else _("上年度营业收入")


def _names(items: Iterable[str]) -> str:
    return "、".join(items)


def _category_label(category: str) -> str:
    return str(MemberCategory(category).label)


# --- AL-0 -------------------------------------------------------------------------------


def _member_row_gaps(members: list[AllianceMember]) -> list[str]:
    gaps: list[str] = []
    rows = Counter()
    for member in members:
        rows[member.category] += 1
        missing: list[str] = []
        if is_blank(member.name):
            missing.append(verbose_name(AllianceMember, "name"))
        if is_blank(member.amount):
            missing.append(_amount_label(member) + _("（万元）"))
        if member.category in (MemberCategory.SERVICE, MemberCategory.FINANCIAL):
            if is_blank(member.main_business):
                missing.append(verbose_name(AllianceMember, "main_business"))
        else:
            missing.extend(verbose_name(AllianceMember, f) for f in PATENT_FIELDS if is_blank(getattr(member, f)))
        if missing:
            who = (
                f"{_category_label(member.category)}“{member.name}”"
                if member.name.strip()
                else _("%(category)s第 %(row)d 行")
                % {"category": _category_label(member.category), "row": rows[member.category]}
            )
            gaps.append(_("%(who)s缺少%(fields)s") % {"who": who, "fields": _names(missing)})
    return gaps


def _pool_row_gaps(pools: list[PatentPool]) -> list[str]:
    gaps: list[str] = []
    for row, pool in enumerate(pools, start=1):
        missing = [
            verbose_name(PatentPool, f)
            for f in ("name", "chain_node", "patent_count", "description")
            if is_blank(getattr(pool, f))
        ]
        if missing:
            gaps.append(_("专利池 %(row)d 缺少%(fields)s") % {"row": row, "fields": _names(missing)})
    return gaps


def completeness(filing) -> list[Finding]:
    """AL-0: every field of the 申请书 filled ("无" where nothing applies) and materials uploaded."""
    # seed 000 填表说明 四: 申请书各栏目不得空缺，无内容时填“无”
    source = "seed 000 填表说明 四"
    detail = filing.alliance
    required = {step: list(fields) for step, fields in ALWAYS_REQUIRED.items()}
    required["basic"] += REQUIRED_BY_TYPE.get(detail.alliance_type, ())

    spec = _kind()
    findings: list[Finding] = []
    gaps_by_step: dict[str, list[str]] = {}
    for step, fields in required.items():
        gaps_by_step[step] = [_detail_label(f) for f in fields if is_blank(getattr(detail, f))]
    # Zero pools and fewer than two members are AL-6 and AL-7; here only the rows typed.
    gaps_by_step["pools"] = _pool_row_gaps(_pools(filing))
    gaps_by_step["members"] = _member_row_gaps(_members(filing))

    for step in ("cover", "basic", "counts", "pools", "members", "texts", "declaration"):
        gaps = gaps_by_step[step]
        if not gaps:
            continue
        separator = "；" if step in ("pools", "members") else "、"
        message = _("“%(step)s”未填写完整：%(gaps)s。各栏目不得空缺，无内容时请填“无”。") % {
            "step": spec.step(step).title,
            "gaps": separator.join(gaps),
        }
        findings.append(Finding("AL-0", Verdict.FAIL, message, source, step=step))

    # seed 000 二: 申请备案材料. M1, the signed 申请书 scan the notice asks for, can only exist once
    # a version has been printed: it is uploaded after submission and checked in the material audit.
    findings.extend(missing_materials(filing, rule="AL-0", source="seed 000 二"))

    if not findings:
        findings.append(Finding("AL-0", Verdict.PASS, _("申请书各栏目已填写完整，必备材料已上传。"), source))
    return findings


# --- AL-1 … AL-8 --------------------------------------------------------------------------


def al1_sponsor(filing) -> list[Finding]:
    """AL-1: the sponsor is a Shanghai-registered legal person of an allowed type, licence uploaded."""
    # seed 000 一.1: 主要发起单位为注册或登记在本市并具有独立法人资格的企业、高校、科研院所或行业协会
    # seed 000 二.3: 发起单位营业执照复印件（高等学校、科研院所提供事业单位法人证书复印件）
    source = "seed 000 一.1"
    org = filing.organisation
    findings: list[Finding] = []
    try:
        shanghai = uscc_is_shanghai(org.uscc)
    except ValidationError:
        findings.append(
            Finding(
                "AL-1",
                Verdict.FAIL,
                _("发起单位的统一社会信用代码“%(uscc)s”无效，请在单位信息中更正。") % {"uscc": org.uscc},
                source,
            )
        )
    else:
        if not shanghai:
            findings.append(
                Finding(
                    "AL-1",
                    Verdict.FAIL,
                    _(
                        "联盟的主要发起单位须在本市注册或登记：统一社会信用代码“%(uscc)s”的登记管理机关"
                        "不在上海（第3–4位应为31）。请由本市注册的单位作为申请单位。"
                    )
                    % {"uscc": org.uscc},
                    source,
                )
            )
    if org.org_type not in SPONSOR_TYPES:
        findings.append(
            Finding(
                "AL-1",
                Verdict.FAIL,
                _("联盟的主要发起单位须为企业、高等学校、科研院所或行业协会，申请单位类型为“%(type)s”。")
                % {"type": org.get_org_type_display()},
                source,
            )
        )
    if "M3" not in material_codes(filing):
        findings.append(
            Finding(
                "AL-1",
                Verdict.FAIL,
                _("请上传发起单位营业执照复印件（高等学校、科研院所上传事业单位法人证书复印件），材料 M3。"),
                "seed 000 二.3",
                step="materials",
            )
        )
    if not findings:
        findings.append(
            Finding(
                "AL-1",
                Verdict.PASS,
                _("发起单位为本市注册的%(type)s，已上传营业执照或法人证书。") % {"type": org.get_org_type_display()},
                source,
            )
        )
    return findings


def al2_sponsor_patent_base(filing) -> list[Finding]:
    """AL-2: the sponsor's patent base and standing — for staff, with its patent counts."""
    # seed 000 一.1: 应具备较好专利基础，在行业内有一定影响力和号召力
    org = filing.organisation
    sponsor = next((m for m in _members(filing) if m.name.strip() == org.name.strip()), None)
    if sponsor is None:
        evidence = _("发起单位“%(name)s”未出现在成员信息表中，未找到其有效专利数量。") % {"name": org.name}
    elif sponsor.category in (MemberCategory.SERVICE, MemberCategory.FINANCIAL):
        evidence = _("发起单位“%(name)s”列在%(category)s表中，该表不填报有效专利量。") % {
            "name": org.name,
            "category": _category_label(sponsor.category),
        }
    else:
        counts = [_("未填") if getattr(sponsor, f) is None else str(getattr(sponsor, f)) for f in PATENT_FIELDS]
        evidence = _("发起单位“%(name)s”有效专利量：发明 %(i)s 件，新型 %(u)s 件，外观 %(d)s 件。") % {
            "name": org.name,
            "i": counts[0],
            "u": counts[1],
            "d": counts[2],
        }
    message = _("发起单位是否具备较好专利基础、在行业内有一定影响力和号召力，由审核人员判断。")
    return [Finding("AL-2", Verdict.REVIEW, message, "seed 000 一.1", step="members", evidence=evidence)]


def al3_member_funding(filing) -> list[Finding]:
    """AL-3: members' R&D funding and credit — for staff; a member reporting none fails."""
    # seed 000 一.2: 成员单位具有一定的研发经费投入……具备良好商业信誉和诚信精神
    source = "seed 000 一.2"
    members = _members(filing)
    findings: list[Finding] = []
    lines: list[str] = []
    for member in members:
        label = _amount_label(member)
        if member.amount is None or member.amount <= 0:
            findings.append(
                Finding(
                    "AL-3",
                    Verdict.FAIL,
                    _("成员单位“%(name)s”未填报%(what)s，请在成员信息中填写（单位：万元，须大于 0）。")
                    % {"name": member.name, "what": label},
                    source,
                    step="members",
                )
            )
            amount = _("未填报")
        else:
            amount = _("%(amount)s 万元") % {"amount": format(member.amount, "f")}
        lines.append(f"{member.name}（{_category_label(member.category)}）：{label} {amount}")
    evidence = "\n".join(lines) if lines else _("成员信息表为空。")
    message = _("成员单位的研发投入、持续创新能力和商业信誉由审核人员判断。")
    findings.insert(0, Finding("AL-3", Verdict.REVIEW, message, source, step="members", evidence=evidence))
    return findings


def al4_member_composition(filing) -> list[Finding]:
    """AL-4: ≥1 enterprise and ≥1 高校/科研院所; by interpretation, enterprises the largest group."""
    # seed 000 一.3: 联盟成员单位应以企业为基础，包含高校、科研院所等独立法人单位
    source = "seed 000 一.3"
    counts = Counter(m.category for m in _members(filing))
    enterprises = counts[MemberCategory.ENTERPRISE]
    findings: list[Finding] = []
    if not enterprises:
        findings.append(
            Finding(
                "AL-4", Verdict.FAIL, _("联盟成员应以企业为基础，请至少填报 1 家企业成员。"), source, step="members"
            )
        )
    if not any(counts[c] for c in ACADEMIC):
        findings.append(
            Finding(
                "AL-4",
                Verdict.FAIL,
                _("联盟成员应包含高校或科研院所，请至少填报 1 家高等学校或科研机构成员。"),
                source,
                step="members",
            )
        )
    if enterprises and getattr(settings, ENTERPRISES_LARGEST_GROUP_SETTING, True):
        larger = [
            _("%(category)s %(count)d 家") % {"category": _category_label(c), "count": counts[c]}
            for c in MemberCategory.values
            if c != MemberCategory.ENTERPRISE and counts[c] > enterprises
        ]
        if larger:
            findings.append(
                Finding(
                    "AL-4",
                    Verdict.FAIL,
                    _(
                        "本平台将“以企业为基础”理解为企业是成员中数量最多的一类：目前企业 %(count)d 家，"
                        "少于%(larger)s。请核对成员信息，或增加企业成员。"
                    )
                    % {"count": enterprises, "larger": _names(larger)},
                    source,
                    step="members",
                )
            )
    if not findings:
        findings.append(Finding("AL-4", Verdict.PASS, _("成员以企业为基础，并包含高校或科研院所。"), source))
    return findings


def al5_charter(filing) -> list[Finding]:
    """AL-5: the charter or the jointly signed cooperation agreement (M2) is uploaded."""
    # seed 000 一.4: 联盟应具有章程或共同签署的合作协议; 二.2: 由各成员单位的法定代表人共同签署并加盖公章
    source = "seed 000 一.4"
    if "M2" in material_codes(filing):
        return [Finding("AL-5", Verdict.PASS, _("已上传联盟章程或合作协议书。"), source)]
    message = _("请上传联盟章程或共同签署的合作协议书（由各成员单位法定代表人共同签署并加盖公章），材料 M2。")
    return [Finding("AL-5", Verdict.FAIL, message, source, step="materials")]


def al6_patent_pools(filing) -> list[Finding]:
    """AL-6: at least one patent pool; every member enterprise contributes to one or is licensed."""
    # seed 000 一.5: 围绕产业链重要节点开展专利池（或专利组合）运营，联盟成员企业均应以自有专利
    # 加入专利池（或专利组合）或者取得专利池（或专利组合）的许可
    source = "seed 000 一.5"
    findings: list[Finding] = []
    if not _pools(filing):
        findings.append(
            Finding(
                "AL-6",
                Verdict.FAIL,
                _("请至少填报 1 个围绕产业链重要节点运营的专利池（或专利组合）。"),
                source,
                step="pools",
            )
        )
    outside = [
        m.name
        for m in _members(filing)
        if m.category == MemberCategory.ENTERPRISE and m.pool_role not in (PoolRole.CONTRIBUTES, PoolRole.LICENSED)
    ]
    if outside:
        findings.append(
            Finding(
                "AL-6",
                Verdict.FAIL,
                _("成员企业均应以自有专利加入专利池或取得专利池许可，以下企业尚未满足：%(names)s。")
                % {"names": _names(outside)},
                source,
                step="members",
            )
        )
    if not findings:
        findings.append(Finding("AL-6", Verdict.PASS, _("已填报专利池，成员企业均已加入专利池或取得许可。"), source))
    return findings


def al7_member_counts(filing) -> list[Finding]:
    """AL-7: at least two members; each 成员数量 count equals the rows of its category."""
    # seed 002 一: 由产业内两个以上利益高度关联的市场主体……自愿结盟形成的联合体
    # seed 000 附件 一 成员数量 vs 二 联盟成员信息: the same members counted twice must agree.
    detail = filing.alliance
    members = _members(filing)
    rows = Counter(m.category for m in members)
    findings: list[Finding] = []
    if len(members) < 2:
        findings.append(
            Finding(
                "AL-7",
                Verdict.FAIL,
                _("联盟须由两个以上市场主体组成，成员信息表中目前有 %(count)d 家，请补充成员单位。")
                % {"count": len(members)},
                "seed 002 一",
                step="members",
            )
        )
    for category, field in COUNT_FIELDS.items():
        typed = getattr(detail, field)
        # A blank count is AL-0's finding; comparing it here would report the same gap twice.
        if typed is None or typed == rows[category]:
            continue
        label = _category_label(category)
        findings.append(
            Finding(
                "AL-7",
                Verdict.FAIL,
                _("成员数量中“%(label)s”填写为 %(typed)d 个，但%(label)s成员表中有 %(rows)d 家，请核对。")
                % {"label": label, "typed": typed, "rows": rows[category]},
                "seed 000 附件 一",
                step="counts",
            )
        )
    if not findings:
        findings.append(Finding("AL-7", Verdict.PASS, _("成员数量与成员信息表一致。"), "seed 002 一"))
    return findings


def al8_cnipa_refiling(filing) -> list[Finding]:
    """AL-8: an alliance already filed with CNIPA may file; it is flagged 重新备案."""
    # seed 000 一.7: 已在国家知识产权局备案的联盟，请依据本通知要求重新备案
    source = "seed 000 一.7"
    if filing.alliance.cnipa_filed:
        message = _("重新备案：该联盟已在国家知识产权局备案，本次依据本通知要求重新备案。")
    else:
        message = _("首次备案：该联盟未在国家知识产权局备案。")
    return [Finding("AL-8", Verdict.PASS, message, source, step="basic")]


RULES = [
    completeness,
    al1_sponsor,
    al2_sponsor_patent_base,
    al3_member_funding,
    al4_member_composition,
    al5_charter,
    al6_patent_pools,
    al7_member_counts,
    al8_cnipa_refiling,
]


# --- Priority badges ---------------------------------------------------------------------

# seed 002 五(二): 以下三种情况予以优先考虑. Badges in the staff queue, never blockers.
BADGE_SOURCE = "seed 002 五(二)"
# 产、学、研、金、介、用: 产 and 用 are enterprises (industry and the users of the
# technology), 学 universities, 研 research institutes, 金 financial and 介 service
# (中介) institutions — so every member category must be present.
FULL_CHAIN_CATEGORIES = frozenset(MemberCategory.values)


def badges(filing) -> list[Badge]:
    detail = filing.alliance
    members = _members(filing)
    found: list[Badge] = []
    if any(NATIONAL_CENTRE in m.name for m in members):
        found.append(Badge("national_centre", _("国家专利技术展示交易中心为成员单位"), BADGE_SOURCE))
    if {m.category for m in members} >= FULL_CHAIN_CATEGORIES:
        found.append(Badge("full_chain", _("“产、学、研、金、介、用”资源要素齐全"), BADGE_SOURCE))
    if detail.alliance_type == AllianceType.ENTERPRISE or detail.third_party_operated:
        found.append(Badge("corporate_or_third_party", _("企业法人式或由专业服务机构第三方运作"), BADGE_SOURCE))
    return found


__all__ = [
    "ENTERPRISES_LARGEST_GROUP_SETTING",
    "RULES",
    "al1_sponsor",
    "al2_sponsor_patent_base",
    "al3_member_funding",
    "al4_member_composition",
    "al5_charter",
    "al6_patent_pools",
    "al7_member_counts",
    "al8_cnipa_refiling",
    "badges",
    "completeness",
]
