"""The registry of filing kinds.

Each kind is one module under filings/kinds/ that registers what differs: its
detail model, form steps, eligibility rules, materials and PDF template. The
shared machinery (start, drafts, submission, versions, review) asks the registry
and never names a kind.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from filings.models import Filing

# Modules that register a kind; a new kind adds one line here.
KIND_MODULES: list[str] = [
    "filings.kinds.alliance.kind",
    "filings.kinds.consortium.kind",
    "filings.kinds.cluster.kind",
    "filings.kinds.product.kind",
]

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


@dataclass(frozen=True)
class KindSpec:
    code: str
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
    materials: list[MaterialSpec] = field(default_factory=list)
    # Everything the applicant typed, as plain data, for frozen versions and the PDF.
    snapshot: Callable[["Filing"], dict] | None = None
    # Priority badges (not blockers) shown in the staff queue.
    badges: Callable[["Filing"], list] = lambda filing: []
    # The filing's industry, for filters in the staff queue and the public registry.
    industry: Callable[["Filing"], str] = lambda filing: ""
    # Organisations taking part besides the applicant (names, USCCs): experts from them are in conflict.
    parties: Callable[["Filing"], list[str]] = lambda filing: []
    # The expert score sheet used when a call does not set its own.
    score_sheet: tuple[dict, ...] = ()
    # What staff tick in the material audit: (key, label), drawn from the notices.
    audit_checklist: tuple[tuple[str, str], ...] = ()
    pdf_template: str = ""
    # The document is a certificate issued on registration (备案证明), not the 申请书 of each version.
    document_on_registration: bool = False

    def step(self, slug: str):
        for step in self.steps:
            if step.slug == slug:
                return step
        return None

    def material(self, code: str) -> MaterialSpec | None:
        return next((m for m in self.materials if m.code == code), None)


def register(spec: KindSpec) -> KindSpec:
    _registry[spec.code] = spec
    return spec


def get(code: str) -> KindSpec | None:
    return _registry.get(code)


def is_available(code: str) -> bool:
    return code in _registry


def load_all() -> None:
    for module in KIND_MODULES:
        import_module(module)
