"""Task periods and report deadlines of 立项 filings, from their call's report schedule.

Nothing is stored per filing: the periods follow from the call's schedule (staff may change
it in the admin) and the date of 立项, so a change of schedule moves every filing of the call.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings import kinds
from filings.models import Call, Filing
from review.reports.models import ReportSchedule, ReportState, YearlyReport


def schedule_for(call: Call) -> ReportSchedule:
    """The call's schedule, or the defaults (unsaved) when staff have not set one."""
    try:
        return call.report_schedule
    except ReportSchedule.DoesNotExist:
        return ReportSchedule(call=call)


def task_period(filing: Filing, schedule: ReportSchedule | None = None) -> tuple[int, int]:
    """(first year, number of years) of the filing's task period."""
    schedule = schedule or schedule_for(filing.call)
    registered = timezone.localtime(filing.registered_at).year if filing.registered_at else timezone.localdate().year
    years = schedule.years or kinds.get(filing.kind).report_years or 1
    return schedule.first_year or registered, years


def due_on(year: int, schedule: ReportSchedule) -> datetime.date:
    """The deadline of a year's report: the schedule's month and day of the following year."""
    last_day = calendar.monthrange(year + 1, schedule.due_month)[1]
    return datetime.date(year + 1, schedule.due_month, min(schedule.due_day, last_day))


class PeriodStatus:
    NOT_STARTED = "not_started"
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DRAFT = ReportState.DRAFT
    SUBMITTED = ReportState.SUBMITTED
    RETURNED = ReportState.RETURNED
    ACCEPTED = ReportState.ACCEPTED


STATUS_LABELS = {
    PeriodStatus.NOT_STARTED: _("未开始"),
    PeriodStatus.OPEN: _("待填报"),
    PeriodStatus.DUE_SOON: _("即将到期"),
    PeriodStatus.OVERDUE: _("已逾期"),
    PeriodStatus.DRAFT: _("草稿"),
    PeriodStatus.SUBMITTED: _("已报送，待审核"),
    PeriodStatus.RETURNED: _("退回修改"),
    PeriodStatus.ACCEPTED: _("已通过"),
}


@dataclass(frozen=True)
class Period:
    filing: Filing
    year: int
    # The year's place in the task period: 1 for the first year.
    index: int
    years: int
    starts_on: datetime.date
    due_on: datetime.date
    remind_days: int
    report: YearlyReport | None
    today: datetime.date

    @property
    def has_started(self) -> bool:
        return self.today >= self.starts_on

    @property
    def is_done(self) -> bool:
        return self.report is not None and self.report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.today > self.due_on

    @property
    def is_due_soon(self) -> bool:
        remind_from = self.due_on - datetime.timedelta(days=self.remind_days)
        return not self.is_done and remind_from <= self.today <= self.due_on

    @property
    def status(self) -> str:
        if not self.has_started:
            return PeriodStatus.NOT_STARTED
        if self.report is not None and self.is_done:
            return self.report.state
        if self.is_overdue:
            return PeriodStatus.OVERDUE
        if self.report is not None:
            return self.report.state
        return PeriodStatus.DUE_SOON if self.is_due_soon else PeriodStatus.OPEN

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def periods_of(filing: Filing, today: datetime.date | None = None) -> list[Period]:
    """Every year of the filing's task period with its deadline and report (prefetch `yearly_reports`)."""
    spec = kinds.get(filing.kind)
    if spec is None or not spec.has_reports:
        return []
    today = today or timezone.localdate()
    schedule = schedule_for(filing.call)
    first, years = task_period(filing, schedule)
    reports = {report.year: report for report in filing.yearly_reports.all()}
    return [
        Period(
            filing=filing,
            year=year,
            index=year - first + 1,
            years=years,
            starts_on=datetime.date(year, 1, 1),
            due_on=due_on(year, schedule),
            remind_days=schedule.remind_days,
            report=reports.get(year),
            today=today,
        )
        for year in range(first, first + years)
    ]


def period_of(filing: Filing, year: int, today: datetime.date | None = None) -> Period | None:
    return next((period for period in periods_of(filing, today) if period.year == year), None)
