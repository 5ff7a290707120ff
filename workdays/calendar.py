"""Working days by China's official calendar.

A day's status comes, in this order, from a day staff entered (workdays.CalendarDay), then
from `chinese_calendar` (the State Council's schedule for the years it knows), then, for a
year staff marked as entered in full (workdays.CalendarYear), from its weekday. A day of a
year that none of them knows raises CalendarUnknown: a period is never guessed.
"""

from datetime import date, timedelta

import chinese_calendar
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from workdays.models import CalendarDay, CalendarYear

# Far more working days than any period the portal counts; a safeguard against a runaway loop.
LONGEST_PERIOD = 400


class CalendarUnknown(ValidationError):
    def __init__(self, year: int):
        super().__init__(
            _("尚无 %(year)s 年的法定节假日和调休安排，无法计算工作日。请管理员在“工作日历”中录入该年安排后再试。")
            % {"year": year},
            code="calendar_unknown",
        )
        self.year = year


def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class Calendar:
    """Answers for one computation; reads each year's entered days once."""

    def __init__(self):
        self._years: dict[int, tuple[bool, dict[date, bool]]] = {}

    def _year(self, year: int) -> tuple[bool, dict[date, bool]]:
        if year not in self._years:
            entered = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"))
            known = _library_knows(year) or CalendarYear.objects.filter(year=year).exists()
            self._years[year] = (known, entered)
        return self._years[year]

    def is_working_day(self, day: date) -> bool:
        known, entered = self._year(day.year)
        if day in entered:
            return entered[day]
        if not known:
            raise CalendarUnknown(day.year)
        if _library_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5


def is_working_day(day: date) -> bool:
    return Calendar().is_working_day(day)


def working_days_after(start: date, days: int) -> date:
    """The last day of a period of `days` working days that starts on `start` (counted if it is one).

    A 5-working-day 公示 starting on Friday 2026-02-13 ends on 2026-02-26: the 14th is a 调休
    working Saturday and 春节 runs from the 15th to the 23rd.
    """
    if days < 1:
        raise ValueError("a period has at least one working day")
    calendar, current, counted = Calendar(), start, 0
    for _i in range(LONGEST_PERIOD * 2):
        if calendar.is_working_day(current):
            counted += 1
            if counted == days:
                return current
        current += timedelta(days=1)
    raise ValueError("period too long")


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (a due date: `start` itself is not counted)."""
    return working_days_after(start + timedelta(days=1), days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`):
    the length of a processing time, e.g. submitted on a Friday and decided the next Monday is 1."""
    calendar, count, current = Calendar(), 0, start + timedelta(days=1)
    while current <= end:
        count += calendar.is_working_day(current)
        current += timedelta(days=1)
    return count
