"""Filings placed at a stage of the review, for the stages' tests. Rows are written directly:
the earlier steps are tested where they belong."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ExpertFactory, StaffFactory
from filings import kinds
from filings.models import Filing, FilingVersion
from filings.rules import findings_summary
from filings.services import filing_submit
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory, complete_alliance_filing
from review.experts.services import score_sheet
from review.models import ExpertAssignment

IP = "203.0.113.7"
_serial = itertools.count(1)


def finding(rule: str, verdict: str) -> dict:
    return {
        "rule": rule,
        "verdict": verdict,
        "message": f"{rule} 的结论",
        "source": "seed 000 一.1",
        "step": "",
        "evidence": "",
    }


def badge(code: str, label: str) -> dict:
    return {"rule": code, "verdict": "badge", "message": label, "source": "seed 002 五(二)", "step": "", "evidence": ""}


def queued(*, state=State.SUBMITTED, findings=(), versions=1, **fields) -> Filing:
    """A filing as the queue sees it: submitted `versions` times, the last with these findings.

    Test setup writes the rows directly; the submit service and its rules are tested in filings/.
    """
    filing = AllianceFilingFactory(**{k: v for k, v in fields.items() if k in ("call", "organisation")})
    n = next(_serial)
    Filing.objects.filter(pk=filing.pk).update(
        state=state,
        title=fields.get("title", f"上海测试产业知识产权联盟{n}"),
        number=fields.get("number", f"LM2024-{n:04d}"),
        version=versions,
        submitted_at=fields.get("submitted_at", timezone.now()),
        # As the submit service keeps it with the last version.
        findings_summary=findings_summary(list(findings)),
    )
    for number in range(1, versions + 1):
        FilingVersion.objects.create(
            filing=filing,
            number=number,
            data={},
            findings=list(findings) if number == versions else [],
            materials=[],
            submitted_by=filing.created_by,
        )
    return Filing.objects.get(pk=filing.pk)


def listed(response) -> list[str]:
    return [row["number"] for row in response.context["rows"]]


def submitted_filing(**detail) -> Filing:
    """A complete ALLIANCE filing, submitted through the service (version 1, frozen findings)."""
    filing = complete_alliance_filing(**detail)
    filing_submit(filing=filing, actor=filing.created_by)
    return Filing.objects.get(pk=filing.pk)


def in_state(filing: Filing, state: str) -> Filing:
    Filing.objects.filter(pk=filing.pk).update(state=state)  # test setup: the earlier steps are tested elsewhere
    return Filing.objects.get(pk=filing.pk)


def page_url(filing: Filing, name: str = "review:filing") -> str:
    return reverse(name, args=[filing.pk])


def audit_post(filing: Filing, outcome: str, *, comment: str = "", unticked: tuple[str, ...] = ()) -> dict:
    data = {"outcome": outcome, "comment": comment}
    for key, _label in kinds.get(filing.kind).audit_checklist:
        if key not in unticked:
            data[f"check_{key}"] = "on"
    return data


def score(filing: Filing, total: int, recommendation: str = "approve") -> ExpertAssignment:
    sheet = score_sheet(filing.call)
    scores = {c["key"]: c["max"] * total / 100 for c in sheet}
    return ExpertAssignment.objects.create(
        filing=filing,
        expert=ExpertFactory(),
        assigned_by=StaffFactory(),
        due_at=timezone.now() + timedelta(days=3),
        scores=scores,
        total=Decimal(total),
        recommendation=recommendation,
        comment="方案可行。",
        submitted_at=timezone.now(),
    )
