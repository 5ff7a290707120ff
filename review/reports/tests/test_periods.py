import datetime

import pytest

from review.reports.models import ReportSchedule, ReportState
from review.reports.periods import PeriodStatus, periods_of
from review.reports.tests.factories import registered_cluster, registered_consortium, report

pytestmark = pytest.mark.django_db


def _years_and_deadlines(filing, today):
    return [(p.year, p.index, p.due_on) for p in periods_of(filing, today)]


def test_periods_default_from_the_year_of_lixiang_and_the_kinds_target_years():
    consortium = registered_consortium(year=2025)
    cluster = registered_cluster(year=2025)
    today = datetime.date(2025, 6, 1)

    # seed 001: two target years; seed 004: three. Each report due on 31 March of the next year.
    assert _years_and_deadlines(consortium, today) == [
        (2025, 1, datetime.date(2026, 3, 31)),
        (2026, 2, datetime.date(2027, 3, 31)),
    ]
    assert _years_and_deadlines(cluster, today) == [
        (2025, 1, datetime.date(2026, 3, 31)),
        (2026, 2, datetime.date(2027, 3, 31)),
        (2027, 3, datetime.date(2028, 3, 31)),
    ]


def test_periods_follow_the_calls_schedule_set_by_staff():
    filing = registered_consortium(year=2025)
    ReportSchedule.objects.create(call=filing.call, first_year=2022, years=3, due_month=2, due_day=30, remind_days=10)

    # 30 February does not exist: the deadline is the month's last day (2024 is a leap year).
    assert _years_and_deadlines(filing, datetime.date(2025, 6, 1)) == [
        (2022, 1, datetime.date(2023, 2, 28)),
        (2023, 2, datetime.date(2024, 2, 29)),
        (2024, 3, datetime.date(2025, 2, 28)),
    ]


def test_default_deadline_is_a_setting(settings):
    settings.REPORTS_DUE_MONTH = 1
    settings.REPORTS_DUE_DAY = 15
    filing = registered_consortium(year=2025)

    assert periods_of(filing, datetime.date(2025, 6, 1))[0].due_on == datetime.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("today", "state", "status"),
    [
        (datetime.date(2024, 12, 31), None, PeriodStatus.NOT_STARTED),
        (datetime.date(2025, 6, 1), None, PeriodStatus.OPEN),
        (datetime.date(2026, 3, 17), None, PeriodStatus.DUE_SOON),  # within 14 days of 31 March
        (datetime.date(2026, 4, 1), None, PeriodStatus.OVERDUE),
        (datetime.date(2026, 4, 1), ReportState.DRAFT, PeriodStatus.OVERDUE),
        (datetime.date(2026, 4, 1), ReportState.RETURNED, PeriodStatus.OVERDUE),
        (datetime.date(2026, 4, 1), ReportState.SUBMITTED, PeriodStatus.SUBMITTED),
        (datetime.date(2026, 4, 1), ReportState.ACCEPTED, PeriodStatus.ACCEPTED),
        (datetime.date(2025, 6, 1), ReportState.RETURNED, PeriodStatus.RETURNED),
    ],
)
def test_period_status_shows_what_is_due_and_overdue(today, state, status):
    filing = registered_consortium(year=2025)
    if state:
        report(filing, 2025, state=state)

    assert periods_of(filing, today)[0].status == status


def test_staff_set_a_calls_schedule_in_the_admin(admin_client):
    filing = registered_consortium(year=2025)

    response = admin_client.post(
        "/admin/reports/reportschedule/add/",
        {"call": filing.call.pk, "first_year": 2024, "years": 2, "due_month": 1, "due_day": 31, "remind_days": 7},
    )

    assert response.status_code == 302
    assert [(p.year, p.due_on) for p in periods_of(filing, datetime.date(2025, 6, 1))] == [
        (2024, datetime.date(2025, 1, 31)),
        (2025, datetime.date(2026, 1, 31)),
    ]
