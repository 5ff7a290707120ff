"""Eligibility rules for 上海市知识产权产学研运营联合体 项目申报 (SPEC §3 CONSORTIUM).

Seed 001 is the 申报指南 with its annexed 项目申报书. Every rule is a pure function of a
filing returning findings: a `pass` when nothing is wrong, otherwise one finding per thing
to fix. Each field is checked by one rule only, so a gap is never reported twice: CO-1 owns
统一社会信用代码 and 管理公司名称, CO-5 the bank fields, CO-0 everything else that is blank.

The notice's vague points are read as below, each a setting read on every call:
- CONSORTIUM_COOPERATION_MIN_YEARS (3): 合作期限3年以上, counted back from the date the call
  closes (`filing.call.closes_at`, local date); a cooperation that began exactly that many
  years before is 3 years old and passes (以上 includes the number).
- CONSORTIUM_EVERY_PARTNER_MIN_YEARS (True): **interpretation** — "与相关单位已经建立产学研合作
  关系（合作期限3年以上）" is read as every 产学研合作单位 listed; False asks it of one.
- CONSORTIUM_PARK_MIN_ENTITIES (50): 区域内集聚产业创新主体不少于50家.
- CONSORTIUM_CAPABILITY_MAX_CHARS (1000) / CONSORTIUM_PLAN_MAX_CHARS (2000): see count_chars.
- CONSORTIUM_TARGET_MIN_GROWTH_PERCENT (30): 年均增幅不少于30%, **interpretation**: the
  compound (geometric) yearly growth from the base year to the second year's target.
"""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from filings import kinds
from filings.growth import percent, yearly_growth
from filings.kinds.consortium.models import (
    KEY_INDUSTRIES,
    LEADING_INDUSTRIES,
    TARGET_METRICS,
    ConsortiumDetail,
    ConsortiumMember,
    ConsortiumPartner,
    Industry,
    UnitNature,
)
from filings.rules import Badge, Finding, Verdict, is_blank, missing_materials, says_none, verbose_name
from filings.validators import clean_uscc, uscc_is_shanghai

COOPERATION_MIN_YEARS_SETTING = "CONSORTIUM_COOPERATION_MIN_YEARS"
EVERY_PARTNER_MIN_YEARS_SETTING = "CONSORTIUM_EVERY_PARTNER_MIN_YEARS"
PARK_MIN_ENTITIES_SETTING = "CONSORTIUM_PARK_MIN_ENTITIES"
CAPABILITY_MAX_CHARS_SETTING = "CONSORTIUM_CAPABILITY_MAX_CHARS"
PLAN_MAX_CHARS_SETTING = "CONSORTIUM_PLAN_MAX_CHARS"
TARGET_MIN_GROWTH_SETTING = "CONSORTIUM_TARGET_MIN_GROWTH_PERCENT"


def cooperation_min_years() -> int:
    return int(getattr(settings, COOPERATION_MIN_YEARS_SETTING, 3))


def every_partner_min_years() -> bool:
    return bool(getattr(settings, EVERY_PARTNER_MIN_YEARS_SETTING, True))


def park_min_entities() -> int:
    return int(getattr(settings, PARK_MIN_ENTITIES_SETTING, 50))


def capability_max_chars() -> int:
    return int(getattr(settings, CAPABILITY_MAX_CHARS_SETTING, 1000))


def plan_max_chars() -> int:
    return int(getattr(settings, PLAN_MAX_CHARS_SETTING, 2000))


def target_min_growth() -> Decimal:
    """The yearly growth asked for, as a fraction (0.30)."""
    return Decimal(str(getattr(settings, TARGET_MIN_GROWTH_SETTING, 30))) / 100


def count_chars(text: str) -> int:
    """字数 as the notice counts them — our reading, stated to applicants with every limit (CO-6).

    The notice sets 1000字以内 / 不超过2000字 without saying how to count. Every character
    counts one — 汉字, punctuation, letters and digits alike — except whitespace and line
    breaks, which only lay the text out. static/js/filing-form.js counts the same way live.
    """
    return len(re.sub(r"\s", "", text or ""))


COUNTING = "除空格、换行外，每个字符计1字，标点、字母和数字均计入"

# seed 001 附件 申报书 二、三 — the texts CO-6 limits, with the step where each is typed.
TEXT_LIMITS = (
    ("capability_text", "capability", capability_max_chars),
    ("plan_text", "plan", plan_max_chars),
)

# seed 001 填报说明 3: 申报书各栏目不得空缺，无内容时填“无”. Fields by step; CO-1 owns
# uscc and park_company, CO-5 the bank fields (see the module's docstring).
ALWAYS_REQUIRED = {
    "basic": (
        "unit_name",
        "unit_nature",
        "address",
        "postcode",
        *(
            f"{who}_{column}"
            for who in ("legal_rep", "leader", "contact")
            for column in ("name", "id", "mobile", "email")
        ),
        "main_business",
        "industry",
    ),
    "partners": ("cooperation_patents",),
    "capability": ("capability_text",),
    "plan": (
        "plan_text",
        *(f"{metric}_{column}" for metric, _label, _unit in TARGET_METRICS for column in ("base", "year1", "year2")),
    ),
    "team": (
        "leader_gender",
        "leader_education",
        "leader_title",
        "leader_specialty",
        "leader_department",
        "leader_position",
        "leader_phone",
    ),
    "declaration": ("declaration_accepted",),
}
UNIT_FIELDS = ("rd_spending", "rd_staff", "rd_results")
PARK_FIELDS = ("park_entities", "park_leaders", "park_university_cooperation")
PARTNER_FIELDS = ("name", "started_on", "content", "patents")
MEMBER_FIELDS = ("name", "id_number", "department", "title", "education", "specialty", "task")
STEP_ORDER = ("basic", "partners", "capability", "plan", "team", "declaration")
# A 项目负责人 field in 四 is named with its block: "学历" alone could be anyone's.
_LEADER_BLOCK = {
    "leader_gender",
    "leader_education",
    "leader_title",
    "leader_specialty",
    "leader_department",
    "leader_position",
    "leader_phone",
}


def _detail_label(field: str) -> str:
    label = verbose_name(ConsortiumDetail, field)
    if field == "declaration_accepted":
        return _("勾选“%(text)s”") % {"text": label.rstrip("。")}
    if field in _LEADER_BLOCK:
        return _("项目负责人%(label)s") % {"label": label}
    return label


def _names(items) -> str:
    return "、".join(items)


def _date(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _amount(value) -> str:
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _partners(filing) -> list[ConsortiumPartner]:
    return list(filing.consortium_partners.all())


def _members(filing) -> list[ConsortiumMember]:
    return list(filing.consortium_members.all())


# Step titles and materials are declared once, by the kind (filings.kinds.consortium.kind);
# they are looked up at call time because the kind module imports this one for RULES.
def _kind() -> kinds.KindSpec:
    return kinds.get("CONSORTIUM")


def _step_title(slug: str) -> str:
    return str(_kind().step(slug).title)


# --- CO-0 ---------------------------------------------------------------------------------


def _row_gaps(rows, model, fields, what: str) -> list[str]:
    gaps = []
    for number, row in enumerate(rows, start=1):
        missing = [verbose_name(model, f) for f in fields if is_blank(getattr(row, f))]
        if missing:
            who = f"“{row.name}”" if row.name.strip() else _("第 %(row)d 行") % {"row": number}
            gaps.append(_("%(what)s%(who)s缺少%(fields)s") % {"what": what, "who": who, "fields": _names(missing)})
    return gaps


def completeness(filing) -> list[Finding]:
    """CO-0: every field of the 申报书 filled ("无" where nothing applies) and materials uploaded."""
    # seed 001 填报说明 3: 申报书各栏目不得空缺，无内容时填“无”
    source = "seed 001 填报说明 3"
    detail = filing.consortium
    required = {step: list(fields) for step, fields in ALWAYS_REQUIRED.items()}
    if detail.industry == Industry.OTHER:
        required["basic"].append("industry_other")
    # 企事业单位 report their R&D (CO-3), 科技型园区 their cluster (CO-4): only the block that applies.
    required["capability"][:0] = PARK_FIELDS if detail.is_park else UNIT_FIELDS

    gaps_by_step = {
        step: [_detail_label(f) for f in fields if is_blank(getattr(detail, f))] for step, fields in required.items()
    }
    # No partner at all is CO-3's or CO-4's finding; here only the rows typed.
    gaps_by_step["partners"] += _row_gaps(_partners(filing), ConsortiumPartner, PARTNER_FIELDS, _("合作单位"))
    members = _members(filing)
    if members:
        gaps_by_step["team"] += _row_gaps(members, ConsortiumMember, MEMBER_FIELDS, _("项目组成员"))
    else:
        gaps_by_step["team"].append(_("项目组全部成员（至少填写 1 人）"))

    findings: list[Finding] = []
    for step in STEP_ORDER:
        gaps = gaps_by_step[step]
        if not gaps:
            continue
        # Row gaps, and labels with a "、" of their own (专利许可、转让、作价入股次数), list with "；".
        separator = "；" if any("缺少" in gap or "、" in gap for gap in gaps) else "、"
        message = _("“%(step)s”未填写完整：%(gaps)s。各栏目不得空缺，无内容时请填“无”。") % {
            "step": _step_title(step),
            "gaps": separator.join(gaps),
        }
        findings.append(Finding("CO-0", Verdict.FAIL, message, source, step=step))

    # seed 001 填报说明 4: 申报单位需准备的相关附件材料
    findings.extend(missing_materials(filing, rule="CO-0", source="seed 001 填报说明 4"))

    if not findings:
        findings.append(Finding("CO-0", Verdict.PASS, _("申报书各栏目已填写完整，必备材料已上传。"), source))
    return findings


# --- CO-1 … CO-7 ----------------------------------------------------------------------------


def co1_shanghai_legal_person(filing) -> list[Finding]:
    """CO-1: a Shanghai-registered independent legal person, or a park with its management company."""
    # seed 001 申报对象: 本市注册登记具有独立法人资格的企事业单位、科技型园区等
    source = "seed 001 申报对象"
    detail = filing.consortium
    findings: list[Finding] = []

    def fail(message: str) -> None:
        findings.append(Finding("CO-1", Verdict.FAIL, message, source, step="basic"))

    if detail.is_park and not detail.park_company.strip():
        fail(_("申报单位为科技型园区的，请补充管理公司名称（如“xx园区；xx公司”），并填写管理公司的统一社会信用代码。"))
    uscc = ""
    if is_blank(detail.uscc):
        fail(_("请填写申报单位的统一社会信用代码。"))
    else:
        try:
            uscc = clean_uscc(detail.uscc)
        except ValidationError:
            fail(_("统一社会信用代码“%(uscc)s”无效，请核对。") % {"uscc": detail.uscc})
    if uscc:
        if not uscc_is_shanghai(uscc):
            fail(
                _("申报单位须在本市注册登记：统一社会信用代码“%(uscc)s”的登记管理机关不在上海（第3–4位应为31）。")
                % {"uscc": uscc}
            )
        # GB 32100-2015: 92 个体工商户 is registered but is no legal person.
        if uscc.startswith("92"):
            fail(_("个体工商户不具有独立法人资格，不能作为申报单位。"))
        if uscc != filing.organisation.uscc:
            fail(
                _("申报书中的统一社会信用代码“%(uscc)s”与本账号注册单位“%(name)s”（%(own)s）不一致，请核对。")
                % {"uscc": uscc, "name": filing.organisation.name, "own": filing.organisation.uscc}
            )
    if findings:
        return findings
    if detail.is_park:
        message = _("科技型园区“%(park)s”由本市注册登记的管理公司“%(company)s”申报。") % {
            "park": detail.unit_name,
            "company": detail.park_company,
        }
    else:
        message = _("申报单位为本市注册登记的独立法人单位（统一社会信用代码登记管理机关在上海）。")
    return [Finding("CO-1", Verdict.PASS, message, source, step="basic")]


def _industry_group(industry: str) -> str:
    if industry in LEADING_INDUSTRIES:
        return _("三大先导产业")
    if industry in KEY_INDUSTRIES:
        return _("六大重点产业")
    return ""


def co2_priority_industry(filing) -> list[Finding]:
    """CO-2: the 3 先导 + 6 重点 industries are supported first — a badge, never a blocker."""
    # seed 001 申报对象: 重点支持集成电路、生物医药、人工智能三大先导产业和……六大重点产业
    source = "seed 001 申报对象"
    detail = filing.consortium
    group = _industry_group(detail.industry)
    if group:
        message = _("所属产业“%(industry)s”属于重点支持的%(group)s，优先支持。") % {
            "industry": detail.industry_label,
            "group": group,
        }
    elif detail.industry:
        message = _("所属产业“%(industry)s”不属于重点支持的三大先导产业和六大重点产业，不影响申报。") % {
            "industry": detail.industry_label or Industry.OTHER.label
        }
    else:
        message = _("尚未选择所属产业；重点支持的产业只影响优先支持，不影响申报。")
    return [Finding("CO-2", Verdict.PASS, message, source, step="basic")]


def cooperation_cutoff(filing) -> datetime.date:
    """The latest start date of a cooperation that is old enough when the call closes."""
    closes = timezone.localdate(filing.call.closes_at)
    years = cooperation_min_years()
    try:
        return closes.replace(year=closes.year - years)
    except ValueError:  # 29 February in a year that has none
        return closes.replace(year=closes.year - years, day=28)


def _cooperation_findings(filing, rule: str, source: str) -> list[Finding]:
    """合作期限 N 年以上 (units only): checked on each dated partner against the call's close."""
    dated = [p for p in _partners(filing) if p.started_on is not None]
    if not dated:  # rows without a date are CO-0's
        return []
    cutoff = cooperation_cutoff(filing)
    years = cooperation_min_years()
    recent = [p for p in dated if p.started_on > cutoff]
    if not recent or (not every_partner_min_years() and len(recent) < len(dated)):
        return []
    message = _(
        "产学研合作期限须%(years)d年以上（截至本批次申报截止日%(closes)s），以下合作单位的合作开始日期晚于"
        "%(cutoff)s，合作未满%(years)d年：%(names)s。合作开始日期不晚于%(cutoff)s的合作方可计入，"
        "请核对合作开始日期，或删除合作未满%(years)d年的单位。"
    ) % {
        "years": years,
        "closes": _date(timezone.localdate(filing.call.closes_at)),
        "cutoff": _date(cutoff),
        "names": _names(f"{p.name}（{_date(p.started_on)}）" for p in recent),
    }
    return [Finding(rule, Verdict.FAIL, message, source, step="partners")]


def _patent_findings(filing, rule: str, source: str) -> list[Finding]:
    """已产生（形成）一批相关专利成果: the total is above 0 and not below any one partner's."""
    detail = filing.consortium
    total = detail.cooperation_patents
    if total is None:  # CO-0's
        return []
    if total == 0:
        return [
            Finding(
                rule,
                Verdict.FAIL,
                _("产学研合作须已产生一批相关专利成果，“专利成果数量”为 0。请填写由合作产生的专利成果数量。"),
                source,
                step="partners",
            )
        ]
    larger = [p for p in _partners(filing) if p.patents is not None and p.patents > total]
    if larger:
        return [
            Finding(
                rule,
                Verdict.FAIL,
                _("专利成果数量（%(total)d 件）少于合作单位%(names)s由此产生的专利数量，请核对。")
                % {"total": total, "names": _names(f"“{p.name}”（{p.patents} 件）" for p in larger)},
                source,
                step="partners",
            )
        ]
    return []


def co3_unit_conditions(filing) -> list[Finding]:
    """CO-3 (企事业单位): R&D reported; every partner cooperating ≥3 years; patents from it."""
    # seed 001 申报条件: 企事业单位须具有一定条件的研发投入、研发团队和研发成果；与相关单位已经建立
    # 产学研合作关系（合作期限3年以上），并已产生一批相关专利成果。
    source = "seed 001 申报条件"
    detail = filing.consortium
    if detail.is_park:
        return [Finding("CO-3", Verdict.PASS, _("申报单位为科技型园区，适用园区的申报条件（CO-4）。"), source)]

    findings: list[Finding] = []
    spending = _("未填") if detail.rd_spending is None else _("%(v)s 万元") % {"v": _amount(detail.rd_spending)}
    staff = _("未填") if detail.rd_staff is None else _("%(v)d 人") % {"v": detail.rd_staff}
    partners = _partners(filing)
    evidence = "\n".join(
        [
            _("研发投入：%(v)s") % {"v": spending},
            _("研发人员数量：%(v)s") % {"v": staff},
            _("研发成果：%(v)s") % {"v": detail.rd_results.strip() or _("未填")},
            *(
                _("产学研合作单位：%(name)s，合作开始日期 %(date)s，由此产生的专利 %(patents)s 件")
                % {
                    "name": p.name,
                    "date": _date(p.started_on) if p.started_on else _("未填"),
                    "patents": _("未填") if p.patents is None else p.patents,
                }
                for p in partners
            ),
        ]
    )
    findings.append(
        Finding(
            "CO-3",
            Verdict.REVIEW,
            _("申报单位是否具有一定条件的研发投入、研发团队和研发成果，由审核人员判断。"),
            source,
            step="capability",
            evidence=evidence,
        )
    )
    lacking = []
    if detail.rd_spending is not None and detail.rd_spending <= 0:
        lacking.append(_("研发投入为 0"))
    if detail.rd_staff == 0:
        lacking.append(_("研发人员数量为 0"))
    if says_none(detail.rd_results):
        lacking.append(_("研发成果为“无”"))
    if lacking:
        findings.append(
            Finding(
                "CO-3",
                Verdict.FAIL,
                _("企事业单位须具有一定条件的研发投入、研发团队和研发成果：%(what)s。") % {"what": "，".join(lacking)},
                source,
                step="capability",
            )
        )
    if not partners:
        findings.append(
            Finding(
                "CO-3",
                Verdict.FAIL,
                _("请填写已建立产学研合作关系的合作单位（合作期限%(years)d年以上）及合作开始日期。")
                % {"years": cooperation_min_years()},
                source,
                step="partners",
            )
        )
    cooperation = _cooperation_findings(filing, "CO-3", source) + _patent_findings(filing, "CO-3", source)
    findings.extend(cooperation)
    if partners and not cooperation and detail.cooperation_patents:
        dated = [p.started_on for p in partners if p.started_on]
        if dated:
            findings.append(
                Finding(
                    "CO-3",
                    Verdict.PASS,
                    _("产学研合作期限已满%(years)d年（最早自%(since)s起），已产生专利成果 %(patents)d 件。")
                    % {
                        "years": cooperation_min_years(),
                        "since": _date(min(dated)),
                        "patents": detail.cooperation_patents,
                    },
                    source,
                    step="partners",
                )
            )
    return findings


def co4_park_conditions(filing) -> list[Finding]:
    """CO-4 (科技型园区): ≥50 innovation entities, a leading enterprise, university cooperation, patents."""
    # seed 001 申报条件: 科技型园区须具有产业集聚优势，区域内集聚产业创新主体不少于50家，在产业链
    # 关键节点上拥有产业领军企业，并已经与高校、科研院所建立产学研合作关系，且已形成一批相关专利成果。
    source = "seed 001 申报条件"
    detail = filing.consortium
    if not detail.is_park:
        return [Finding("CO-4", Verdict.PASS, _("申报单位为企事业单位，适用企事业单位的申报条件（CO-3）。"), source)]

    minimum = park_min_entities()
    partners = _partners(filing)
    entities = _("未填") if detail.park_entities is None else _("%(v)d 家") % {"v": detail.park_entities}
    evidence = "\n".join(
        [
            _("区域内集聚产业创新主体数量：%(v)s") % {"v": entities},
            _("产业链关键节点领军企业：%(v)s") % {"v": detail.park_leaders.strip() or _("未填")},
            _("高校院所合作情况：%(v)s") % {"v": detail.park_university_cooperation.strip() or _("未填")},
            _("产学研合作单位：%(v)s") % {"v": _names(p.name for p in partners) or _("无")},
        ]
    )
    findings = [
        Finding(
            "CO-4",
            Verdict.REVIEW,
            _("园区是否具有产业集聚优势、领军企业是否处于产业链关键节点，由审核人员判断。"),
            source,
            step="capability",
            evidence=evidence,
        )
    ]

    def fail(message: str, step: str = "capability") -> None:
        findings.append(Finding("CO-4", Verdict.FAIL, message, source, step=step))

    if detail.park_entities is not None and detail.park_entities < minimum:
        fail(
            _("区域内集聚产业创新主体须不少于%(min)d家，填报为 %(count)d 家。")
            % {"min": minimum, "count": detail.park_entities}
        )
    if says_none(detail.park_leaders):
        fail(_("科技型园区须在产业链关键节点上拥有产业领军企业，请填写领军企业及其所处节点。"))
    if says_none(detail.park_university_cooperation):
        fail(_("科技型园区须已经与高校、科研院所建立产学研合作关系，请填写合作情况。"))
    if not partners:
        fail(_("请在“产学研合作单位”中填写与园区建立产学研合作关系的高校、科研院所。"), step="partners")
    findings.extend(_patent_findings(filing, "CO-4", source))
    return findings


def co5_bank_account(filing) -> list[Finding]:
    """CO-5: 开户银行 and 银行账号 unless 公益1类事业单位 or already undertaking the project in 浦东/徐汇."""
    # seed 001 附件 开户银行/银行账号:（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）
    source = "seed 001 附件 申报单位基本信息"
    detail = filing.consortium
    if detail.unit_nature == UnitNature.PUBLIC_1:
        return [Finding("CO-5", Verdict.PASS, _("公益1类事业单位，开户银行和银行账号不用填。"), source, step="basic")]
    if detail.already_undertaking:
        return [
            Finding(
                "CO-5", Verdict.PASS, _("已承接浦东、徐汇相同项目，开户银行和银行账号不用填。"), source, step="basic"
            )
        ]
    missing = [verbose_name(ConsortiumDetail, f) for f in ("bank_name", "bank_account") if is_blank(getattr(detail, f))]
    if missing:
        message = _("请填写%(fields)s（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）。") % {
            "fields": _names(missing)
        }
        return [Finding("CO-5", Verdict.FAIL, message, source, step="basic")]
    return [Finding("CO-5", Verdict.PASS, _("已填写开户银行和银行账号。"), source, step="basic")]


def co6_text_limits(filing) -> list[Finding]:
    """CO-6: 申报单位承担项目能力基本情况 ≤1000 字, 工作方案 ≤2000 字, counted by count_chars."""
    # seed 001 附件 二: ……等，1000字以内; 三: ……等，不超过2000字
    source = "seed 001 附件 二、三"
    detail = filing.consortium
    findings: list[Finding] = []
    counted = []
    for field, step, limit_of in TEXT_LIMITS:
        limit = limit_of()
        chars = count_chars(getattr(detail, field))
        label = verbose_name(ConsortiumDetail, field)
        counted.append(
            _("%(label)s %(chars)d 字（上限 %(limit)d 字）") % {"label": label, "chars": chars, "limit": limit}
        )
        if chars > limit:
            findings.append(
                Finding(
                    "CO-6",
                    Verdict.FAIL,
                    _("“%(label)s”共 %(chars)d 字，超过 %(limit)d 字的上限，请精简（计字方法：%(counting)s）。")
                    % {"label": label, "chars": chars, "limit": limit, "counting": COUNTING},
                    source,
                    step=step,
                )
            )
    if findings:
        return findings
    message = _("字数符合要求：%(counted)s。计字方法：%(counting)s。") % {
        "counted": "；".join(counted),
        "counting": COUNTING,
    }
    return [Finding("CO-6", Verdict.PASS, message, source)]


def co7_targets(filing) -> list[Finding]:
    """CO-7: every 绩效目标 grows ≥30% a year on average (compound, base year → second year)."""
    # seed 001 工作目标: 任务期内，项目承担单位开展专利许可、转让、作价入股的次数、专利数量、成交金额、
    # 实际到账金额年均增幅不少于30%
    source = "seed 001 工作目标"
    detail = filing.consortium
    minimum = target_min_growth()
    factor = (1 + minimum) ** 2
    findings: list[Finding] = []
    reached = []
    for metric, label, unit in TARGET_METRICS:
        base, year1, year2 = detail.target(metric)
        if base is None or year2 is None:  # blanks are CO-0's
            continue
        values = {"label": label, "unit": unit, "base": _amount(base), "year2": _amount(year2)}
        if base == 0:
            # A base of 0 is a truthful answer for a unit that has not yet licensed or sold:
            # growth from zero is no number, so it is not refused, but a person judges whether
            # the targets are ambitious enough. A target of 0 as well is no growth at all.
            if year2 == 0:
                findings.append(
                    Finding(
                        "CO-7",
                        Verdict.FAIL,
                        _("“%(label)s”基准年度和第二年目标均为 0，未体现增长。请填写任务期的目标值。") % values,
                        source,
                        step="plan",
                    )
                )
            else:
                findings.append(
                    Finding(
                        "CO-7",
                        Verdict.REVIEW,
                        _("“%(label)s”基准年度为 0，年均增幅无法计算，目标是否合理由审核人员判断。") % values,
                        source,
                        step="plan",
                        evidence=_(
                            "基准年度 0 %(unit)s，第一年目标 %(year1)s %(unit)s，第二年目标 %(year2)s %(unit)s。"
                        )
                        % {**values, "year1": _("未填") if year1 is None else _amount(year1)},
                    )
                )
            continue
        growth = yearly_growth(base, year2)
        # Compared without a root, exactly: year2 ≥ base × (1 + 30%)².
        if Decimal(year2) < Decimal(base) * factor:
            need = (Decimal(base) * factor).quantize(Decimal("0.01"))
            findings.append(
                Finding(
                    "CO-7",
                    Verdict.FAIL,
                    _(
                        "“%(label)s”年均增幅为 %(growth)s，低于 %(minimum)s：基准年度 %(base)s %(unit)s，"
                        "第二年目标至少应为 %(need)s %(unit)s（年均增幅按两年复合增长计算："
                        "(第二年目标值 ÷ 基准年度实际值) 开平方 − 1）。"
                    )
                    % {**values, "growth": percent(growth), "minimum": percent(minimum), "need": _amount(need)},
                    source,
                    step="plan",
                )
            )
        else:
            reached.append(f"{label} {percent(growth)}")
    if findings:
        return findings
    if not reached:
        return [Finding("CO-7", Verdict.PASS, _("尚未填写绩效目标。"), source, step="plan")]
    message = _("绩效目标年均增幅均不少于 %(minimum)s：%(reached)s。") % {
        "minimum": percent(minimum),
        "reached": "、".join(reached),
    }
    return [Finding("CO-7", Verdict.PASS, message, source)]


RULES = [
    completeness,
    co1_shanghai_legal_person,
    co2_priority_industry,
    co3_unit_conditions,
    co4_park_conditions,
    co5_bank_account,
    co6_text_limits,
    co7_targets,
]


# --- Priority badges ---------------------------------------------------------------------


def badges(filing) -> list[Badge]:
    # seed 001 申报对象: 重点支持 3 + 6 产业. A badge in the staff queue, never a blocker.
    detail = filing.consortium
    group = _industry_group(detail.industry)
    if not group:
        return []
    label = _("重点支持产业：%(industry)s（%(group)s）") % {"industry": detail.industry_label, "group": group}
    return [Badge("priority_industry", label, "seed 001 申报对象")]


__all__ = [
    "RULES",
    "badges",
    "co1_shanghai_legal_person",
    "co2_priority_industry",
    "co3_unit_conditions",
    "co4_park_conditions",
    "co5_bank_account",
    "co6_text_limits",
    "co7_targets",
    "completeness",
    "cooperation_cutoff",
    "count_chars",
    "percent",
    "yearly_growth",
]
