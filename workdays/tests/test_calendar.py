"""Working days by China's official calendar: the State Council's holidays, the 调休 working
weekends, the days staff enter, and a year no one knows refused."""

import datetime

import pytest
from django.urls import reverse

from review.tests.desk import queued
from workdays.calendar import (
    CalendarUnknown,
    add_working_days,
    is_working_day,
    working_days_after,
    working_days_between,
)
from workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_publicity_across_the_spring_festival_keeps_its_five_working_days():
    # 2026: 春节 from Sun 15 to Mon 23 February; Saturday the 14th is a 调休 working day.
    # Monday to Friday alone would end on the 19th, inside the holiday.
    assert working_days_after(D(2026, 2, 13), 5) == D(2026, 2, 26)


def test_a_tiaoxiu_saturday_is_a_working_day_and_a_holiday_weekday_is_not():
    assert is_working_day(D(2026, 2, 14)) is True  # Saturday, 调休
    assert is_working_day(D(2026, 2, 16)) is False  # Monday, 春节
    assert is_working_day(D(2026, 10, 10)) is True  # Saturday after 国庆, 调休
    assert is_working_day(D(2026, 10, 8)) is True


def test_a_due_date_does_not_count_its_first_day():
    # Friday 2026-02-13 + 3 working days: the 14th (调休), the 24th, the 25th.
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_a_processing_time_counts_working_days_after_the_start():
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # the 14th and the 24th
    assert working_days_between(D(2026, 2, 24), D(2026, 2, 24)) == 0


def test_a_year_no_one_knows_is_refused_with_a_message_never_guessed():
    with pytest.raises(CalendarUnknown) as refused:
        working_days_after(D(2099, 3, 2), 5)

    assert refused.value.messages == [
        "尚无 2099 年的法定节假日和调休安排，无法计算工作日。请管理员在“工作日历”中录入该年安排后再试。"
    ]


def test_a_year_staff_entered_counts_weekdays_less_their_holidays_plus_their_working_weekends():
    CalendarYear.objects.create(year=2099, notice="国办发明电〔2098〕1号")
    CalendarDay.objects.create(date=D(2099, 3, 3), is_working=False, name="放假")  # Tuesday
    CalendarDay.objects.create(date=D(2099, 3, 7), is_working=True, name="调休上班")  # Saturday

    # Mon 2, (Tue 3 off), Wed 4, Thu 5, Fri 6, Sat 7 (调休).
    assert working_days_after(D(2099, 3, 2), 5) == D(2099, 3, 7)


def test_a_day_staff_entered_overrides_the_library():
    CalendarDay.objects.create(date=D(2026, 6, 1), is_working=False, name="临时调整")  # a Monday

    assert is_working_day(D(2026, 6, 1)) is False


def test_publishing_into_an_unknown_year_is_refused_at_the_field(staff_client):
    filing = queued(state="reviewed")

    response = staff_client.post(
        f"{reverse('review:publicity-new')}?call={filing.call_id}",
        {"filings": [filing.pk], "starts_on": "2099-03-02", "working_days": 5, "preview": "1"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["working_days"] == [
        "尚无 2099 年的法定节假日和调休安排，无法计算工作日。请管理员在“工作日历”中录入该年安排后再试。"
    ]
