"""Reads of the yearly reports, scoped to who asks.

The district bureau's reading of its own area (SPEC §1) waits for that role.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from filings import kinds
from filings.models import Filing
from filings.states import State
from review.district.scope import in_area
from review.reports.models import YearlyReport
from review.reports.periods import Period, periods_of


def reporting_kinds() -> list[str]:
    return [spec.code for spec in kinds.all_specs() if spec.has_reports]


def reporting_filings() -> QuerySet[Filing]:
    """立项 filings of the kinds that report yearly, with what their periods need."""
    return (
        Filing.objects.filter(state=State.REGISTERED, kind__in=reporting_kinds())
        .select_related("organisation", "call__report_schedule")
        .prefetch_related("yearly_reports")
        .order_by("registered_at", "pk")
    )


def reporting_filings_for_applicant(user) -> QuerySet[Filing]:
    return reporting_filings().filter(organisation_id=user.organisation_id)


def filing_for_applicant(user, pk: int) -> Filing:
    filing = reporting_filings_for_applicant(user).filter(pk=pk).first()
    if filing is None:
        raise Http404
    return filing


def report_for_applicant(user, pk: int) -> YearlyReport:
    # Another organisation's report is 404, like one that does not exist.
    report = (
        YearlyReport.objects.select_related("filing__organisation", "filing__call")
        .filter(pk=pk, filing__organisation_id=user.organisation_id)
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_for_staff(pk: int, *, area: str | None = None) -> YearlyReport:
    """A report for the bureau, or for a district bureau within its own area (another area's is a 404)."""
    reports = YearlyReport.objects.select_related("filing__organisation", "filing__call").filter(
        in_area(area, "filing__organisation__")
    )
    report = reports.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


STATUS_FILTERS = {
    "overdue": lambda period: period.status == "overdue",
    "due": lambda period: period.status in ("open", "due_soon", "draft", "returned"),
    "submitted": lambda period: period.status == "submitted",
    "accepted": lambda period: period.status == "accepted",
}


def periods_for_staff(*, query: str = "", status: str = "", today=None, area: str | None = None) -> list[Period]:
    """Every started year of every 立项 filing's task period (a district bureau: of its own area),
    oldest deadline first."""
    filings = reporting_filings().filter(in_area(area))
    query = query.strip()
    if query:
        filings = filings.filter(
            Q(title__icontains=query)
            | Q(number__icontains=query)
            | Q(registry_number__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    periods = [period for filing in filings for period in periods_of(filing, today) if period.has_started]
    keep = STATUS_FILTERS.get(status)
    if keep:
        periods = [period for period in periods if keep(period)]
    return sorted(periods, key=lambda period: (period.due_on, period.filing.pk))
