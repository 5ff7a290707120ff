import pytest
from django.utils import timezone

from workdays import calendar
from workdays.models import CalendarYear


@pytest.fixture
def this_year_known(db):
    """Review periods (expert due dates, 补正 deadlines) are counted from today in working days: a year
    past the calendar library's data is entered as staff would enter it (the refusal of an unknown
    year is tested on its own)."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        if not calendar._library_knows(year):
            CalendarYear.objects.get_or_create(year=year)
