"""The registry of filing kinds.

Each kind is an app of its own under filings/kinds/<kind>/ (models, migrations,
forms, rules, `kind.py`) whose AppConfig is a `KindAppConfig`: when Django is ready
it registers the kind's `SPEC` (its detail model, form steps, eligibility rules,
materials, PDF template, pipeline). A new kind is one folder and one line in
INSTALLED_APPS. The shared machinery (start, drafts, submission, versions, review)
asks the registry and never names a kind.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig

if TYPE_CHECKING:
    from filings.models import Filing

# The pipelines of SPEC §2: which steps of the transition table (filings.workflow) a kind has.
# REVIEWED: material audit → expert review → publicity → registry (or 立项).
REVIEWED = "reviewed"
# AUDITED: the audit passing is the registration (专利产品备案, seed 003 附件 二.3).
AUDITED = "audited"

_registry: dict[str, "KindSpec"] = {}


@dataclass(frozen=True)
class MaterialSpec:
    code: str
    label: str
    required: bool
    help_text: str = ""
    many: bool = False
    # Uploaded once the filing is submitted (the signed 申请书 scan exists only then).
    after_submission: bool = False

    def accepts_upload(self, filing) -> bool:
        from filings.states import FINAL_STATES, State

        if self.after_submission:
            return filing.state != State.DRAFT and filing.state not in FINAL_STATES
        return filing.is_editable


# How a report metric's floor is read (SPEC §4, after approval).
GROWTH = "growth"  # the average yearly growth over the task period is at least the floor (a fraction)
LEVEL = "level"  # every year's value is at least the floor (e.g. 满意度 ≥90%)
TOTAL = "total"  # the values of the task period add up to at least the floor (e.g. 需求信息 ≥1000 条)


@dataclass(frozen=True)
class ReportMetric:
    """One figure of the yearly 数据统计报告, with what the notice asks of it."""

    code: str
    label: Any
    unit: Any
    # 0 for counts, 2 for amounts in 万元 and percentages.
    decimals: int = 0
    maximum: Decimal | None = None
    floor_kind: str = ""
    # The notice's floor, or a callable reading it from a setting when the notice is read as one.
    floor: Decimal | Callable[[], Decimal] | None = None
    clause: str = ""

    def floor_value(self) -> Decimal | None:
        return self.floor() if callable(self.floor) else self.floor


@dataclass(frozen=True)
class KindSpec:
    code: str
    # The kind's name as the public and the applicant read it (the notice's own).
    label: Any
    # Creates the kind's empty detail rows for a new draft.
    create_detail: Callable[["Filing"], None]
    # The kind's detail row of a filing (what its step forms edit).
    detail: Callable[["Filing"], Any]
    # The filing's display name, taken from its content (e.g. 联盟名称).
    title: Callable[["Filing"], str]
    # Prefix of the filing number the system assigns at the first submission.
    number_prefix: str
    # The form steps, in order (filings.steps.Step).
    steps: list[Any] = field(default_factory=list)
    # Pure functions of a filing returning findings (filings.rules).
    rules: list[Callable] = field(default_factory=list)
    # The related rows the rules read (prefetch_related lookups), fetched once per evaluation.
    rule_reads: tuple[str, ...] = ()
    materials: list[MaterialSpec] = field(default_factory=list)
    # Everything the applicant typed, as plain data, for frozen versions and the PDF.
    snapshot: Callable[["Filing"], dict] | None = None
    # Priority badges (not blockers) shown in the staff queue.
    badges: Callable[["Filing"], list] = lambda filing: []
    # The filing's industry, for filters in the staff queue and the public registry.
    industry: Callable[["Filing"], str] = lambda filing: ""
    # Organisations taking part besides the applicant (names, USCCs): experts from them are in conflict.
    parties: Callable[["Filing"], list[str]] = lambda filing: []
    # What a blind review hides from experts besides contact data (always hidden): detail fields
    # and "<table model>.<column>" naming the applicant or its people.
    blind_fields: frozenset[str] = frozenset()
    # The expert score sheet used when a call does not set its own.
    score_sheet: tuple[dict, ...] = ()
    # What staff tick in the material audit: (key, label), drawn from the notices.
    audit_checklist: tuple[tuple[str, str], ...] = ()
    pdf_template: str = ""
    # What the PDF template gets besides the common context, from the frozen data (e.g. numbered tables).
    pdf_context: Callable[[dict], dict] | None = None
    # The document is a certificate issued on registration (备案证明), not the 申请书 of each version.
    document_on_registration: bool = False
    # The bureau's document issued on registration besides the versions' 申请书 (备案证明 / 立项通知):
    # the kind's template (extending pdf/registration.html) and the document's name.
    registration_template: str = ""
    registration_document_name: str = ""
    pipeline: str = REVIEWED
    # URL modules of the kind's own pages (e.g. the product's 备案主体), mounted under
    # /filings/ for applicants and /review/ for staff.
    urls: str = ""
    staff_urls: str = ""
    # Links the navigation shows: (URL name, label).
    applicant_links: tuple[tuple[str, Any], ...] = ()
    staff_links: tuple[tuple[str, Any], ...] = ()
    # Yearly performance reports after 立项 (SPEC §4): only kinds that declare metrics get them.
    report_metrics: tuple[ReportMetric, ...] = ()
    # The filing's own targets by metric code: (base-year value, first year's target, second's, …).
    report_targets: Callable[["Filing"], dict[str, tuple]] = lambda filing: {}
    # The uploads of a yearly report (年度工作报告, 满意度调查报告).
    report_materials: tuple[MaterialSpec, ...] = ()
    # Years of the task period, unless the call's report schedule says otherwise.
    report_years: int = 0

    def step(self, slug: str):
        for step in self.steps:
            if step.slug == slug:
                return step
        return None

    def material(self, code: str) -> MaterialSpec | None:
        return next((m for m in self.materials if m.code == code), None)

    def report_material(self, code: str) -> MaterialSpec | None:
        return next((m for m in self.report_materials if m.code == code), None)

    @property
    def has_reports(self) -> bool:
        return bool(self.report_metrics)


def register(spec: KindSpec) -> KindSpec:
    if _registry.get(spec.code, spec) is not spec:
        raise ValueError(f"two kinds registered as {spec.code}")
    _registry[spec.code] = spec
    return spec


def get(code: str) -> KindSpec | None:
    return _registry.get(code)


def is_available(code: str) -> bool:
    return code in _registry


def all_specs() -> list[KindSpec]:
    return list(_registry.values())


def choices() -> list[tuple[str, Any]]:
    """The registered kinds as field choices (Filing.kind, Call.kind), in INSTALLED_APPS order."""
    return [(spec.code, spec.label) for spec in _registry.values()]


class KindAppConfig(AppConfig):
    """The AppConfig of a kind's app: registers the `SPEC` of its `kind` module when Django is ready."""

    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register(import_module(f"{self.name}.kind").SPEC)
