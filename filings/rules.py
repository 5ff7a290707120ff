"""Eligibility rules: pure functions of a filing's data returning findings.

The form shows the findings live; the submit service runs them again and refuses
a filing with any `fail`. There is no second copy of a rule anywhere.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"  # only a human can judge: goes to staff with the evidence

    @property
    def label(self) -> str:
        return {"pass": _("符合"), "fail": _("不符合"), "review": _("待人工审核")}[self.value]


# How the notices are named to people; rules cite them by their file in the seeds.
NOTICES = {
    "seed 000": "《关于开展2024年上海市产业知识产权联盟备案的通知》",
    "seed 001": "《上海市知识产权产学研运营联合体申报指南》",
    "seed 002": "《产业知识产权联盟建设指南》",
    "seed 003": "《关于组织开展专利产品备案工作的通知》",
    "seed 004": "《上海市知识产权运营服务集聚区申报指南》",
}


def citation(source: str) -> str:
    """ "seed 000 一.3" reads "《关于开展…的通知》一.3"."""
    for key, title in NOTICES.items():
        if source.startswith(key):
            return (title + source[len(key) :].strip()).strip()
    return source


@dataclass(frozen=True)
class Finding:
    rule: str  # e.g. "AL-4"
    verdict: Verdict
    message: str  # Chinese; says what to fix when it fails
    source: str  # the notice clause, e.g. "seed 000 一.3"
    step: str = ""  # the form step where it is fixed
    evidence: str = ""  # what staff look at for `review`

    @property
    def citation(self) -> str:
        return citation(self.source)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["verdict"] = self.verdict.value
        data["message"] = str(self.message)
        return data


@dataclass(frozen=True)
class Badge:
    code: str
    label: str
    source: str


Rule = Callable[[object], Iterable[Finding]]


# --- helpers every kind's completeness rule uses ------------------------------------------

# Answers that say "nothing applies" (seed 000 填表说明 四, seed 001 填报说明 3: 无内容时填“无”).
NONE_ANSWERS = {"无", "暂无", "没有"}


def is_blank(value) -> bool:
    """A gap in the form: "无" is an answer, whitespace is not; 0 is a number; an unticked box is a gap."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, bool):
        return not value
    return False


def says_none(value: str) -> bool:
    """The text answers "无": allowed where nothing applies, but not where a condition asks for something."""
    return (value or "").strip().rstrip("。.").strip() in NONE_ANSWERS


def verbose_name(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def material_codes(filing) -> set[str]:
    """The codes of the filing's current uploads (those fetched with the filing, when they were)."""
    if hasattr(filing, "current_materials"):
        return {material.code for material in filing.current_materials}
    return set(filing.material_files.filter(is_current=True).values_list("code", flat=True))


def missing_materials(filing, *, rule: str, source: str) -> list[Finding]:
    """A failing finding per required material not uploaded yet, for every kind's completeness rule.

    Materials uploaded only after submission (the signed 申请书 scan, which exists once a
    version has been printed) are left to staff in the material audit.
    """
    from filings import kinds

    uploaded = material_codes(filing)
    return [
        Finding(
            rule,
            Verdict.FAIL,
            _("请上传材料 %(code)s：%(label)s。") % {"code": material.code, "label": material.label},
            source,
            step="materials",
        )
        for material in kinds.get(filing.kind).materials
        if material.required and not material.after_submission and material.code not in uploaded
    ]


def evaluate(filing, rules: Iterable[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule(filing))
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.verdict == Verdict.FAIL]


# Frozen findings entries with this verdict record a priority badge, not a rule's finding
# (filing_submit freezes `spec.badges(filing)` into the version's findings as such entries).
BADGE_VERDICT = "badge"


def findings_summary(findings: list[dict] | None) -> dict:
    """Counts of `fail` and `review` in frozen findings, and the badges frozen with them."""
    findings = findings or []
    counts = Counter(f.get("verdict") for f in findings)
    return {
        "fail": counts[Verdict.FAIL.value],
        "review": counts[Verdict.REVIEW.value],
        "badges": [f for f in findings if f.get("verdict") == BADGE_VERDICT],
    }
