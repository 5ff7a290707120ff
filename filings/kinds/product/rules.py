"""Eligibility rules for 专利产品备案 (SPEC §3 PRODUCT).

Seed 003 附件 专利产品备案条件及流程 is the source. Every rule is a pure function of a filing
returning findings: a `pass` when nothing is wrong, otherwise one finding per thing to fix. Each
field is checked by one rule only: PR-2 owns each patent's role and licence number, PR-3 its
number and dispute declaration, PR-4 the economic data, PR-0 everything else that is blank.

PR-5 reads "相同产品不得重复备案" (附件 一.3（2）) as: no other PRODUCT filing, of any organisation and
any call, that is submitted, under review or registered has the same product name (NFKC folds
full-/half-width, whitespace is dropped, case ignored) and the same model once its variant words
(colour, size, configuration: 附件 一.3（1）) are dropped and its code is folded (variants.py).
filing_submit locks the call row before the rules run, so two identical products submitted at the
same moment in one call are checked one after the other.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from filings import kinds
from filings.kinds.product.models import (
    ALLOWED_SUBJECT_TYPES,
    PatentRole,
    ProductDetail,
    ProductPatent,
    ProductSubject,
    SubjectState,
)
from filings.kinds.product.variants import model_key, variant_words
from filings.models import Filing
from filings.rules import Finding, Verdict, is_blank, missing_materials, says_none, verbose_name
from filings.states import State
from filings.validators import clean_patent_number

# Filings that hold a product's place: everything submitted, except what left the pipeline.
NOT_COUNTED_STATES = (State.DRAFT, State.WITHDRAWN, State.REJECTED)
REQUIRED = {"product": ("product_name", "model", "variants", "industry")}
ECONOMY_FIELDS = ("sales", "exports", "profit", "ip_investment")


def _patents(filing) -> list[ProductPatent]:
    return list(filing.product_patents.all())


def _row(number: int, patent: ProductPatent) -> str:
    return f"“{patent.number}”" if patent.number.strip() else _("第 %(row)d 行") % {"row": number}


def _valid_patent(value: str) -> str:
    try:
        return clean_patent_number(value)
    except ValidationError:
        return ""


def normalise_product(value: str) -> str:
    """The product name or model as compared for duplicates: NFKC, no whitespace, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).casefold()


def _kind() -> kinds.KindSpec:
    return kinds.get("PRODUCT")


def _step_title(slug: str) -> str:
    return str(_kind().step(slug).title)


def subject_of(filing) -> ProductSubject | None:
    return ProductSubject.objects.filter(organisation_id=filing.organisation_id).first()


# --- PR-0 -----------------------------------------------------------------------------------


def completeness(filing) -> list[Finding]:
    """PR-0: every field filled ("无" where nothing applies) and the required materials uploaded."""
    # SPEC §2.1 reads seed 000 填表说明 四 (各栏目不得空缺，无内容时填“无”) into every kind; the applicant
    # is shown the product notice's own clause: 填报备案产品的基本信息、经济数据，声明所使用专利的情况.
    source = "seed 003 附件 二.2"
    detail = filing.product
    findings: list[Finding] = []
    for step, fields in REQUIRED.items():
        gaps = [verbose_name(ProductDetail, f) for f in fields if is_blank(getattr(detail, f))]
        if gaps:
            message = _("“%(step)s”未填写完整：%(gaps)s。各栏目不得空缺，无内容时请填“无”。") % {
                "step": _step_title(step),
                "gaps": "、".join(gaps),
            }
            findings.append(Finding("PR-0", Verdict.FAIL, message, source, step=step))
    findings.extend(missing_materials(filing, rule="PR-0", source="seed 003 附件 二.2"))
    if not findings:
        findings.append(Finding("PR-0", Verdict.PASS, _("备案产品各栏目已填写完整，证明材料已上传。"), source))
    return findings


# --- PR-1 … PR-5 ---------------------------------------------------------------------------


def pr1_subject(filing) -> list[Finding]:
    """PR-1: the subject is of an allowed type and its audit has passed."""
    # seed 003 附件 一.1（1）具备独立法人资格的企业、高校院所、新型研发机构和社会组织; 二.1–2 试点平台审核通过后，
    # 企业填报备案产品
    source = "seed 003 附件 一.1（1）、二.1"
    subject = subject_of(filing)
    if subject is not None and subject.subject_type and subject.subject_type not in ALLOWED_SUBJECT_TYPES:
        message = _(
            "备案主体应为具备独立法人资格的企业、高校院所、新型研发机构或社会组织，本单位的主体类型为“%(type)s”，"
            "不能进行专利产品备案。"
        ) % {"type": subject.get_subject_type_display()}
        return [Finding("PR-1", Verdict.FAIL, message, source, step="subject")]
    if subject is None or subject.state != SubjectState.APPROVED:
        state = subject.get_state_display() if subject is not None else _("未提交")
        message = _(
            "备案主体审核通过后方可提交备案产品（当前：%(state)s）。请在“备案主体”页面填写实名信息、"
            "上传诚信承诺书并提交审核。"
        ) % {"state": state}
        return [Finding("PR-1", Verdict.FAIL, message, source, step="subject")]
    message = _("备案主体“%(name)s”（%(type)s）已审核通过。") % {
        "name": filing.organisation.name,
        "type": subject.get_subject_type_display(),
    }
    return [Finding("PR-1", Verdict.PASS, message, source, step="subject")]


def pr2_patent_rights(filing) -> list[Finding]:
    """PR-2: for every patent the subject is 专利权人 or 被许可人; a licensee gives the licence filing number."""
    # seed 003 附件 一.1（2）: 备案主体应当是制造、销售专利产品的专利权人或被许可人
    source = "seed 003 附件 一.1（2）"
    patents = _patents(filing)
    findings: list[Finding] = []
    no_role = [_row(n, p) for n, p in enumerate(patents, 1) if p.role not in PatentRole.values]
    if no_role:
        message = _("请为专利%(rows)s选择备案主体身份（专利权人或被许可人）。") % {"rows": "、".join(no_role)}
        findings.append(Finding("PR-2", Verdict.FAIL, message, source, step="patents"))
    no_licence = [
        _row(n, p)
        for n, p in enumerate(patents, 1)
        if p.role == PatentRole.LICENSEE and (is_blank(p.licence_number) or says_none(p.licence_number))
    ]
    if no_licence:
        message = _("备案主体为被许可人的，须填写专利实施许可合同备案号：%(rows)s。") % {"rows": "、".join(no_licence)}
        findings.append(Finding("PR-2", Verdict.FAIL, message, source, step="patents"))
    if findings or not patents:  # no patent at all is PR-3's
        return findings
    return [Finding("PR-2", Verdict.PASS, _("备案主体对所用专利均为专利权人或被许可人。"), source, step="patents")]


def pr3_valid_patents(filing) -> list[Finding]:
    """PR-3: at least one valid patent, each declared free of ownership disputes."""
    # seed 003 附件 一.2（1）: 备案产品至少涉及一项有效专利，且该一项或多项专利不存在权属纠纷
    source = "seed 003 附件 一.2（1）"
    patents = _patents(filing)
    if not patents:
        message = _("备案产品至少涉及一项有效专利，请填写所使用的专利。")
        return [Finding("PR-3", Verdict.FAIL, message, source, step="patents")]
    findings: list[Finding] = []
    invalid = [_row(n, p) for n, p in enumerate(patents, 1) if not _valid_patent(p.number)]
    if invalid:
        message = _("专利号不正确，请核对：%(rows)s。") % {"rows": "、".join(invalid)}
        findings.append(Finding("PR-3", Verdict.FAIL, message, source, step="patents"))
    disputed = [_row(n, p) for n, p in enumerate(patents, 1) if not p.no_dispute]
    if disputed:
        message = _("请声明所用专利不存在权属纠纷：%(rows)s。存在权属纠纷的专利不能用于备案。") % {
            "rows": "、".join(disputed)
        }
        findings.append(Finding("PR-3", Verdict.FAIL, message, source, step="patents"))
    if findings:
        return findings
    message = _("备案产品涉及 %(count)d 项专利，均已声明不存在权属纠纷。") % {"count": len(patents)}
    return [Finding("PR-3", Verdict.PASS, message, source, step="patents")]


def pr4_market_benefit(filing) -> list[Finding]:
    """PR-4: the economic data reported; whether the market benefit is good is for staff to judge."""
    # seed 003 附件 一.2（2）: 已取得较好的市场经济效益
    source = "seed 003 附件 一.2（2）"
    detail = filing.product
    missing = [verbose_name(ProductDetail, f) for f in ECONOMY_FIELDS if getattr(detail, f) is None]
    if missing:
        message = _("请填写经济数据：%(fields)s（没有的填 0）。") % {"fields": "、".join(missing)}
        return [Finding("PR-4", Verdict.FAIL, message, source, step="economy")]
    if not detail.sales:
        message = _("备案产品上年度销售额为 0，尚未取得市场经济效益，不符合备案条件。")
        return [Finding("PR-4", Verdict.FAIL, message, source, step="economy")]
    evidence = _(
        "上年度销售额 %(sales)s 万元，出口额 %(exports)s 万元，利润 %(profit)s 万元，知识产权投入 %(ip)s 万元。"
    ) % {
        "sales": detail.sales,
        "exports": detail.exports,
        "profit": detail.profit,
        "ip": detail.ip_investment,
    }
    message = _("经济数据已填报，是否已取得较好的市场经济效益由审核人员核查。")
    return [Finding("PR-4", Verdict.REVIEW, message, source, step="economy", evidence=evidence)]


def earlier_records(filing) -> list[Filing]:
    """Other PRODUCT filings, of anyone, holding the same product name and model."""
    detail = filing.product
    name, model = normalise_product(detail.product_name), model_key(detail.model)
    if not name or not model:
        return []
    candidates = (
        ProductDetail.objects.filter(filing__kind="PRODUCT")
        .exclude(filing_id=filing.pk)
        .exclude(filing__state__in=NOT_COUNTED_STATES)
        .select_related("filing__organisation")
        .order_by("filing__submitted_at", "filing_id")
    )
    return [
        other.filing
        for other in candidates
        if normalise_product(other.product_name) == name and model_key(other.model) == model
    ]


def pr5_not_filed_twice(filing) -> list[Finding]:
    """PR-5: the same product (name + model) is not recorded twice, by anyone."""
    # seed 003 附件 一.3（1）同一型号或品种的产品应作为一件产品进行备案; 一.3（2）相同产品不得重复备案，如同一备案产品
    # 涉及不同企业，应由相关方自行协商一致，由其中一方进行备案
    source = "seed 003 附件 一.3（2）"
    detail = filing.product
    if not normalise_product(detail.product_name) or not normalise_product(detail.model):
        return []  # PR-0 asks for them
    others = earlier_records(filing)
    if others:
        records = "、".join(
            _("%(number)s（备案主体：%(holder)s）")
            % {"number": other.registry_number or other.number, "holder": other.organisation.name}
            for other in others
        )
        message = _(
            "相同产品不得重复备案：“%(name)s %(model)s”已有备案记录 %(records)s。同一备案产品涉及不同单位的，"
            "应由相关方自行协商一致，由其中一方进行备案。"
        ) % {"name": detail.product_name.strip(), "model": detail.model.strip(), "records": records}
        words = variant_words(detail.model) + [w for other in others for w in variant_words(other.product.model)]
        if words:
            message += _("（“%(words)s”属于同一型号的不同颜色、大小或配置，归类为同一备案产品。）") % {
                "words": "、".join(dict.fromkeys(words))
            }
        return [Finding("PR-5", Verdict.FAIL, message, source, step="product")]
    message = _("“%(name)s %(model)s”尚无相同产品的备案记录。") % {
        "name": detail.product_name.strip(),
        "model": detail.model.strip(),
    }
    return [Finding("PR-5", Verdict.PASS, message, source, step="product")]


RULES = [completeness, pr1_subject, pr2_patent_rights, pr3_valid_patents, pr4_market_benefit, pr5_not_filed_twice]
