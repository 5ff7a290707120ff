"""Eligibility rules for 上海市知识产权运营服务集聚区 项目申报 (SPEC §3 CLUSTER).

Seed 004 is the 申报指南. Every rule is a pure function of a filing returning findings: a
`pass` when nothing is wrong, otherwise one finding per thing to fix. Each field is checked by
one rule only, so a gap is never reported twice: CL-4 owns the cooperation agreements material
(M3) and the partners' USCCs' validity, CL-6 the two credit declarations, CL-0 everything else
that is blank.

The notice's vague points are read as below, each a setting read on every call:
- CENTRAL_DISTRICTS: **interpretation** — the notice does not define 中心城区; the setting
  lists the seven districts inside the Outer Ring (黄浦、徐汇、长宁、静安、普陀、虹口、杨浦).
- CLUSTER_CENTRAL_MIN_HITECH (20) / CLUSTER_CENTRAL_MIN_SME (200): 中心城区和崇明区;
  CLUSTER_OTHER_MIN_HITECH (50) / CLUSTER_OTHER_MIN_SME (300): 其它区域 (不少于 includes the number).
- CLUSTER_EXCHANGES: the two 知识产权交易机构 the notice names.
- CLUSTER_MIN_BANKS (2), CLUSTER_MIN_INSURERS (1), CLUSTER_MIN_SERVICES (2): 2家以上 read as ≥2.
- CLUSTER_SERVICE_MIN_DUAL_CERTIFIED (2): 双证资质的从业人员2名以上, read as ≥2.
- CLUSTER_SERVICE_MAX_APPLICATIONS (2): 每家服务机构最多参与2个集聚区项目, counted within one
  call, by USCC, over the call's cluster filings that were submitted (not draft, not withdrawn).
"""

from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from filings import kinds
from filings.kinds.cluster.models import (
    RECOGNISED,
    TARGET_COLUMNS,
    TARGET_METRICS,
    TASKS,
    ClusterDetail,
    ClusterPartner,
    PartnerCategory,
    Recognition,
)
from filings.models import Filing
from filings.rules import Badge, Finding, Verdict, is_blank, material_codes, missing_materials, says_none, verbose_name
from filings.states import State
from filings.validators import clean_uscc, normalise_text

AGREEMENTS_MATERIAL = "M3"
CHONGMING = "崇明区"
# Filings that take a 服务机构's place in a call: everything submitted, whatever became of it
# since, except a withdrawal (the applicant gave the place up).
NOT_COUNTED_STATES = (State.DRAFT, State.WITHDRAWN)


def _setting_int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def central_districts() -> list[str]:
    return list(getattr(settings, "CENTRAL_DISTRICTS", []))


def exchanges() -> tuple[str, ...]:
    return tuple(getattr(settings, "CLUSTER_EXCHANGES", ("上海知识产权交易中心", "上海技术交易所")))


def thresholds(district: str) -> tuple[int, int, bool]:
    """(min 高新技术企业, min 中小微企业, is the lower tier) for a park in `district`."""
    if district == CHONGMING or district in central_districts():
        return (
            _setting_int("CLUSTER_CENTRAL_MIN_HITECH", 20),
            _setting_int("CLUSTER_CENTRAL_MIN_SME", 200),
            True,
        )
    return _setting_int("CLUSTER_OTHER_MIN_HITECH", 50), _setting_int("CLUSTER_OTHER_MIN_SME", 300), False


def min_partners() -> dict[str, int]:
    return {
        PartnerCategory.EXCHANGE: 1,
        PartnerCategory.BANK: _setting_int("CLUSTER_MIN_BANKS", 2),
        PartnerCategory.INSURER: _setting_int("CLUSTER_MIN_INSURERS", 1),
        PartnerCategory.SERVICE: _setting_int("CLUSTER_MIN_SERVICES", 2),
    }


def service_min_dual_certified() -> int:
    return _setting_int("CLUSTER_SERVICE_MIN_DUAL_CERTIFIED", 2)


def service_max_applications() -> int:
    return _setting_int("CLUSTER_SERVICE_MAX_APPLICATIONS", 2)


# SPEC §2.1: every field required, "无" where nothing applies. Fields by step; CL-6 owns
# no_bad_credit and no_mass_infringement (see the module's docstring).
REQUIRED = {
    "park": (
        "park_name",
        "manager_name",
        "district",
        "recognition",
        "recognition_document",
        "leading_industries",
        "hitech_count",
        "sme_count",
    ),
    "ip": ("ip_department", "ip_staff", "ip_policies", "ip_funding"),
    "tasks": tuple(field for field, _title, _help in TASKS),
    "targets": (
        *(f"{metric}_{column}" for metric, _label, _unit in TARGET_METRICS for column, _c in TARGET_COLUMNS),
        "high_value_target",
    ),
    "declaration": ("declaration_accepted",),
}
PARTNER_FIELDS = ("name", "uscc", "agreement_date")
SERVICE_FIELDS = ("dual_certified_staff", "dual_certified_names")
STEP_ORDER = ("park", "ip", "partners", "tasks", "targets", "declaration")


def _detail_label(field: str) -> str:
    label = verbose_name(ClusterDetail, field)
    if field == "declaration_accepted":
        return _("勾选“%(text)s”") % {"text": label.rstrip("。")}
    return label


def _names(items) -> str:
    return "、".join(items)


def _partners(filing) -> list[ClusterPartner]:
    return list(filing.cluster_partners.all())


def _valid_uscc(value: str) -> str:
    """The normalised USCC, or "" when it is blank or invalid."""
    if not (value or "").strip():
        return ""
    try:
        return clean_uscc(value)
    except ValidationError:
        return ""


# Step titles and materials are declared once, by the kind (filings.kinds.cluster.kind);
# they are looked up at call time because the kind module imports this one for RULES.
def _kind() -> kinds.KindSpec:
    return kinds.get("CLUSTER")


def _step_title(slug: str) -> str:
    return str(_kind().step(slug).title)


# --- CL-0 -----------------------------------------------------------------------------------


def completeness(filing) -> list[Finding]:
    """CL-0: every field filled ("无" where nothing applies) and the required materials uploaded."""
    # Seed 004 has no annexed form of its own. SPEC §2.1 reads 各栏目不得空缺，无内容时填“无”
    # (seed 000 填表说明 四) into every kind, but the applicant is shown the cluster's own
    # notice: the fields are what its 申报条件 are judged on.
    source = "seed 004 二"
    detail = filing.cluster
    gaps_by_step = {
        step: [_detail_label(f) for f in fields if is_blank(getattr(detail, f))] for step, fields in REQUIRED.items()
    }
    gaps_by_step["partners"] = []
    for number, row in enumerate(_partners(filing), start=1):
        fields = PARTNER_FIELDS + (SERVICE_FIELDS if row.category == PartnerCategory.SERVICE else ())
        missing = [verbose_name(ClusterPartner, f) for f in fields if is_blank(getattr(row, f))]
        if missing:
            who = f"“{row.name}”" if row.name.strip() else _("第 %(row)d 行") % {"row": number}
            gaps_by_step["partners"].append(
                _("%(category)s%(who)s缺少%(fields)s")
                % {"category": row.get_category_display(), "who": who, "fields": _names(missing)}
            )

    findings: list[Finding] = []
    for step in STEP_ORDER:
        gaps = gaps_by_step[step]
        if not gaps:
            continue
        separator = "；" if any("缺少" in gap or "、" in gap for gap in gaps) else "、"
        message = _("“%(step)s”未填写完整：%(gaps)s。各栏目不得空缺，无内容时请填“无”。") % {
            "step": _step_title(step),
            "gaps": separator.join(gaps),
        }
        findings.append(Finding("CL-0", Verdict.FAIL, message, source, step=step))

    # The cooperation agreements (seed 004 二（三）) are CL-4's evidence and reported there.
    findings.extend(
        f
        for f in missing_materials(filing, rule="CL-0", source="seed 004 一、二")
        if not str(f.message).startswith(_("请上传材料 %(code)s：") % {"code": AGREEMENTS_MATERIAL})
    )
    if not findings:
        findings.append(Finding("CL-0", Verdict.PASS, _("申报书各栏目已填写完整，必备材料已上传。"), source))
    return findings


# --- CL-1 … CL-6 ---------------------------------------------------------------------------


def cl1_recognised_park(filing) -> list[Finding]:
    """CL-1: a recognised 市级以上 高新区/经开区 or similar park; 试点示范园区 is a badge."""
    # seed 004 一: 获得认定的市级以上高新技术产业开发区、经济技术开发区等产业园区，市级以上知识产权试点示范园区优先
    source = "seed 004 一"
    detail = filing.cluster
    if detail.recognition == Recognition.NONE:
        message = _(
            "申报对象为获得认定的市级以上高新技术产业开发区、经济技术开发区等产业园区；"
            "未获得市级以上认定的园区不符合申报条件。"
        )
        return [Finding("CL-1", Verdict.FAIL, message, source, step="park")]
    if detail.recognition in RECOGNISED:
        message = _("园区为%(level)s，属于获得认定的市级以上产业园区。") % {"level": detail.get_recognition_display()}
        if detail.is_ip_demo_park:
            message += _("园区为市级以上知识产权试点示范园区，优先支持。")
        return [Finding("CL-1", Verdict.PASS, message, source, step="park")]
    return [Finding("CL-1", Verdict.PASS, _("尚未选择园区认定级别。"), source, step="park")]


def cl2_innovation_entities(filing) -> list[Finding]:
    """CL-2: enough 高新技术企业 and 中小微企业 for the park's district; 主导产业 judged by staff."""
    # seed 004 二（一）: 位于中心城区和崇明区的园区应有不少于20家的高新技术企业，不少于200家的中小微企业；
    # 其它区域的园区应有不少于50家的高新技术企业，不少于300家的中小微企业
    source = "seed 004 二（一）"
    detail = filing.cluster
    findings = [
        Finding(
            "CL-2",
            Verdict.REVIEW,
            _("园区主导产业是否符合国家和本市重点发展方向并具有一定规模，由审核人员判断。"),
            source,
            step="park",
            evidence=_("主导产业：%(v)s") % {"v": detail.leading_industries.strip() or _("未填")},
        )
    ]
    if not detail.district or detail.hitech_count is None or detail.sme_count is None:
        return findings  # the blanks are CL-0's
    min_hitech, min_sme, lower_tier = thresholds(detail.district)
    central = _names(central_districts())
    region = _("中心城区或崇明区") if lower_tier else _("中心城区和崇明区以外的区域")
    reading = _("（“中心城区”按%(central)s理解，为本平台的解释，可由管理员调整。）") % {"central": central}
    short = []
    if detail.hitech_count < min_hitech:
        short.append(_("高新技术企业 %(n)d 家，应不少于 %(min)d 家") % {"n": detail.hitech_count, "min": min_hitech})
    if detail.sme_count < min_sme:
        short.append(_("中小微企业 %(n)d 家，应不少于 %(min)d 家") % {"n": detail.sme_count, "min": min_sme})
    values = {"district": detail.district, "region": region, "reading": reading}
    if short:
        message = _("园区位于%(district)s，属于%(region)s：%(short)s。%(reading)s") % {
            **values,
            "short": "；".join(short),
        }
        findings.append(Finding("CL-2", Verdict.FAIL, message, source, step="park"))
    else:
        message = _(
            "园区位于%(district)s，属于%(region)s：高新技术企业 %(hitech)d 家（不少于 %(min_hitech)d 家），"
            "中小微企业 %(sme)d 家（不少于 %(min_sme)d 家）。%(reading)s"
        ) % {
            **values,
            "hitech": detail.hitech_count,
            "min_hitech": min_hitech,
            "sme": detail.sme_count,
            "min_sme": min_sme,
        }
        findings.append(Finding("CL-2", Verdict.PASS, message, source, step="park"))
    return findings


def cl3_ip_management(filing) -> list[Finding]:
    """CL-3: IP department, staff, policies and funding reported — judged by staff."""
    # seed 004 二（二）: 园区知识产权管理部门及相关工作人员健全，知识产权政策措施完善，知识产权工作经费保障有力，
    # 具有在区知识产权局指导和帮助下服务全区中小微企业知识产权运营的意愿和能力
    source = "seed 004 二（二）"
    detail = filing.cluster
    staff = _("未填") if detail.ip_staff is None else _("%(v)d 人") % {"v": detail.ip_staff}
    evidence = "\n".join(
        [
            _("知识产权管理部门：%(v)s") % {"v": detail.ip_department.strip() or _("未填")},
            _("知识产权工作人员数量：%(v)s") % {"v": staff},
            _("知识产权政策措施：%(v)s") % {"v": detail.ip_policies.strip() or _("未填")},
            _("知识产权工作经费保障：%(v)s") % {"v": detail.ip_funding.strip() or _("未填")},
        ]
    )
    findings = [
        Finding(
            "CL-3",
            Verdict.REVIEW,
            _(
                "园区知识产权管理部门及人员是否健全、政策措施是否完善、经费保障是否有力，是否具有在区知识产权局"
                "指导和帮助下服务全区中小微企业知识产权运营的意愿和能力，由审核人员判断。"
            ),
            source,
            step="ip",
            evidence=evidence,
        )
    ]
    lacking = []
    if says_none(detail.ip_department):
        lacking.append(_("未设知识产权管理部门"))
    if detail.ip_staff == 0:
        lacking.append(_("知识产权工作人员为 0 人"))
    if lacking:
        findings.append(
            Finding(
                "CL-3",
                Verdict.FAIL,
                _("园区知识产权管理部门及相关工作人员应健全：%(what)s。") % {"what": "，".join(lacking)},
                source,
                step="ip",
            )
        )
    return findings


def _is_named_exchange(name: str) -> bool:
    return normalise_text(name).replace(" ", "") in exchanges()


def cl4_cooperation(filing) -> list[Finding]:
    """CL-4: 1 named 交易机构, ≥2 商业银行, ≥1 保险机构, ≥2 服务机构, each with a USCC; agreements uploaded."""
    # seed 004 二（三）: 园区分别与知识产权交易机构（上海知识产权交易中心或上海技术交易所）、2家以上商业银行、
    # 1家以上保险机构、2家以上知识产权服务机构建立知识产权运营工作战略合作关系
    source = "seed 004 二（三）"
    partners = _partners(filing)
    findings: list[Finding] = []

    def fail(message: str, step: str = "partners") -> None:
        findings.append(Finding("CL-4", Verdict.FAIL, message, source, step=step))

    invalid = [p for p in partners if p.uscc.strip() and not _valid_uscc(p.uscc)]
    for p in invalid:
        fail(_("合作机构“%(name)s”的统一社会信用代码“%(uscc)s”无效，请核对。") % {"name": p.name, "uscc": p.uscc})

    # A partner counts once, by its USCC (or its name until the USCC is typed).
    counted: dict[str, set[str]] = defaultdict(set)
    for p in partners:
        if p.category == PartnerCategory.EXCHANGE and not _is_named_exchange(p.name):
            continue
        counted[p.category].add(_valid_uscc(p.uscc) or normalise_text(p.name))
    others = [p.name for p in partners if p.category == PartnerCategory.EXCHANGE and not _is_named_exchange(p.name)]
    if others:
        fail(
            _("知识产权交易机构应为%(named)s，“%(names)s”不是通知所列的交易机构。")
            % {"named": "或".join(exchanges()), "names": _names(others)}
        )
    minimum = min_partners()
    short = []
    for category in PartnerCategory:
        if len(counted[category]) < minimum[category]:
            short.append(
                _("%(label)s %(n)d 家（应不少于 %(min)d 家）")
                % {"label": category.label, "n": len(counted[category]), "min": minimum[category]}
            )
    if short:
        fail(
            _(
                "园区应分别与知识产权交易机构（%(named)s）、2家以上商业银行、1家以上保险机构、2家以上知识产权服务机构"
                "建立战略合作关系，现填报：%(short)s。"
            )
            % {"named": "或".join(exchanges()), "short": "；".join(short)}
        )
    if AGREEMENTS_MATERIAL not in material_codes(filing):
        fail(
            _("请上传材料 %(code)s：与各合作机构的战略合作协议（每家合作机构一份）。") % {"code": AGREEMENTS_MATERIAL},
            step="materials",
        )
    if findings:
        return findings
    message = _("已与%(counts)s建立战略合作关系，合作协议已上传。") % {
        "counts": "、".join(f"{category.label} {len(counted[category])} 家" for category in PartnerCategory)
    }
    return [Finding("CL-4", Verdict.PASS, message, source, step="partners")]


def other_applications(filing, usccs: list[str]) -> dict[str, list[Filing]]:
    """For each USCC, the other submitted cluster filings of the same call naming it as a 服务机构."""
    if not usccs:
        return {}
    rows = (
        ClusterPartner.objects.filter(
            category=PartnerCategory.SERVICE,
            uscc__in=usccs,
            filing__call_id=filing.call_id,
            filing__kind="CLUSTER",
        )
        .exclude(filing_id=filing.pk)
        .exclude(filing__state__in=NOT_COUNTED_STATES)
        .select_related("filing")
        .order_by("filing__submitted_at", "filing_id")
    )
    found: dict[str, dict[int, Filing]] = defaultdict(dict)
    for row in rows:
        found[row.uscc][row.filing_id] = row.filing
    return {uscc: list(filings.values()) for uscc, filings in found.items()}


def _filing_name(other: Filing) -> str:
    title = other.title or _("（未命名）")
    return f"“{title}”（{other.number}）" if other.number else f"“{title}”"


def cl5_service_institutions(filing) -> list[Finding]:
    """CL-5: every 服务机构 has ≥2 双证 staff and takes part in at most 2 cluster applications of the call."""
    # seed 004 二（四）: 服务机构须具有“专利代理师”和“技术经纪人”双证资质的从业人员2名以上，并且每家服务机构
    # 最多参与2个集聚区项目
    source = "seed 004 二（四）"
    services = [p for p in _partners(filing) if p.category == PartnerCategory.SERVICE]
    findings: list[Finding] = []
    minimum = service_min_dual_certified()
    few = [p for p in services if p.dual_certified_staff is not None and p.dual_certified_staff < minimum]
    if few:
        findings.append(
            Finding(
                "CL-5",
                Verdict.FAIL,
                _("知识产权服务机构须具有“专利代理师”和“技术经纪人”双证资质的从业人员%(min)d名以上：%(names)s。")
                % {"min": minimum, "names": _names(f"“{p.name}”{p.dual_certified_staff} 名" for p in few)},
                source,
                step="partners",
            )
        )
    limit = service_max_applications()
    by_uscc = {uscc: p for p in services if (uscc := _valid_uscc(p.uscc))}
    for uscc, others in other_applications(filing, list(by_uscc)).items():
        if len(others) >= limit:
            findings.append(
                Finding(
                    "CL-5",
                    Verdict.FAIL,
                    _(
                        "知识产权服务机构“%(name)s”（%(uscc)s）已参与本批次%(count)d个集聚区项目：%(filings)s。"
                        "每家服务机构最多参与%(limit)d个集聚区项目，请更换服务机构。"
                    )
                    % {
                        "name": by_uscc[uscc].name,
                        "uscc": uscc,
                        "count": len(others),
                        "filings": "、".join(_filing_name(o) for o in others),
                        "limit": limit,
                    },
                    source,
                    step="partners",
                )
            )
    if findings or not services:  # no service institution at all is CL-4's
        return findings
    message = _("知识产权服务机构均具有双证资质从业人员%(min)d名以上，且参与本批次集聚区项目均未超过%(limit)d个。") % {
        "min": minimum,
        "limit": limit,
    }
    return [Finding("CL-5", Verdict.PASS, message, source, step="partners")]


def cl6_credit(filing) -> list[Finding]:
    """CL-6: the credit declaration made — staff verify it against the credit records."""
    # seed 004 二（五）: 近三年园区管理主体无不良信用记录，无群体性知识产权侵权案件
    source = "seed 004 二（五）"
    detail = filing.cluster
    missing = [
        verbose_name(ClusterDetail, f) for f in ("no_bad_credit", "no_mass_infringement") if not getattr(detail, f)
    ]
    if missing:
        message = _("请确认并勾选信用承诺：%(what)s。不能作出承诺的，不符合申报条件。") % {"what": "；".join(missing)}
        return [Finding("CL-6", Verdict.FAIL, message, source, step="credit")]
    return [
        Finding(
            "CL-6",
            Verdict.REVIEW,
            _("园区管理主体已承诺近三年无不良信用记录、无群体性知识产权侵权案件，由审核人员核查。"),
            source,
            step="credit",
            evidence=_("园区管理主体：%(name)s；信用承诺/证明见材料 M4。") % {"name": detail.manager_name or _("未填")},
        )
    ]


RULES = [
    completeness,
    cl1_recognised_park,
    cl2_innovation_entities,
    cl3_ip_management,
    cl4_cooperation,
    cl5_service_institutions,
    cl6_credit,
]


# --- Priority badges ---------------------------------------------------------------------


def badges(filing) -> list[Badge]:
    # seed 004 一: 市级以上知识产权试点示范园区优先. A badge in the staff queue, never a blocker.
    if filing.cluster.is_ip_demo_park:
        return [Badge("ip_demo_park", _("市级以上知识产权试点示范园区"), "seed 004 一")]
    return []
