"""Two people acting on one report at the same instant (PostgreSQL: the row lock decides)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import StaffFactory
from filings.tests.threads import run_at_once, skip_unless_postgres
from review.reports.models import ReportEvent, ReportState, YearlyReport
from review.reports.services import report_decide, report_start
from review.reports.tests.factories import CONSORTIUM_YEAR1, registered_consortium, report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_accept_and_return_at_once_one_wins_and_one_event_is_written():
    skip_unless_postgres()
    filing = registered_consortium()
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED, files=("R1",))
    first, second = StaffFactory(), StaffFactory()

    results = run_at_once(
        [
            lambda: report_decide(report=row, actor=first, accept=True),
            lambda: report_decide(report=row, actor=second, accept=False, comment="请补充合同清单。"),
        ]
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert [r.code for r in refused] == ["wrong_state"]
    assert ReportEvent.objects.filter(report=row).count() == 1
    assert YearlyReport.objects.get(pk=row.pk).state == ReportEvent.objects.get(report=row).to_state


def test_two_colleagues_starting_the_same_years_report_get_one_report():
    skip_unless_postgres()
    filing = registered_consortium()
    year = filing.registered_at.year

    results = run_at_once([lambda: report_start(filing=filing, year=year, actor=filing.created_by)] * 2)

    assert sorted(type(r).__name__ for r in results) == ["ValidationError", "YearlyReport"]
    assert YearlyReport.objects.filter(filing=filing, year=year).count() == 1
