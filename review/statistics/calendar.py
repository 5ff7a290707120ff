"""The official calendar materialised as WorkdayOrdinal rows, rebuilt when it changes.

The statistics count working days in SQL (ordinal(end) - ordinal(start)), so that no filing
is loaded into Python to measure a processing time.
"""

import hashlib
from datetime import date, timedelta

import chinese_calendar
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from review.statistics.models import WorkdayOrdinal, WorkdayTable
from workdays.calendar import Calendar, CalendarUnknown
from workdays.models import CalendarDay, CalendarYear

# The portal holds no filing from before this day.
FIRST_DAY = date(2018, 1, 1)


def _fingerprint() -> str:
    days = list(CalendarDay.objects.order_by("date").values_list("date", "is_working"))
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    text = f"{chinese_calendar.__version__}|{days}|{years}|{FIRST_DAY}"
    return hashlib.sha256(text.encode()).hexdigest()


def _known_until(calendar: Calendar, today: date) -> date:
    """The last day of the last year the calendar knows, from FIRST_DAY's year on, not before next year."""
    year = FIRST_DAY.year
    while year <= today.year + 1:
        try:
            calendar.is_working_day(date(year, 12, 31))
        except CalendarUnknown:
            break
        year += 1
    return date(year - 1, 12, 31)


# The check below reads the whole calendar; the dashboard asks for it on every request. Once the
# rows match the calendar, the cache says so until a day or a year of the calendar is saved or
# deleted (calendar_changed), or for CHECKED_SECONDS, whichever comes first: with the per-process
# cache of the embedded default, another process sees a calendar change within that time.
CHECKED_KEY = f"statistics:workdays-checked:{chinese_calendar.__version__}:{FIRST_DAY}"
CHECKED_SECONDS = 300


def workday_table_ensure() -> bool:
    """Builds the rows again if the calendar changed since they were built; True when it did.

    Costs nothing while the cache holds the last check; else three small reads when nothing
    changed; only a rebuild takes the lock.
    """
    if cache.get(CHECKED_KEY):
        return False
    fingerprint = _fingerprint()
    rebuilt = False
    if not WorkdayTable.objects.filter(pk=1, fingerprint=fingerprint).exists():
        rebuilt = _rebuild(fingerprint)
    # Once what was read (or built) is committed: inside a transaction that rolls back, it never was.
    transaction.on_commit(lambda: cache.set(CHECKED_KEY, True, CHECKED_SECONDS))
    return rebuilt


def calendar_changed(**_kwargs) -> None:
    """A CalendarDay or CalendarYear saved or deleted: the next dashboard checks the rows again.
    Now, for this process's next read in the same transaction, and after commit, in case another
    request read the calendar before the change was committed and recorded its check since."""
    cache.delete(CHECKED_KEY)
    transaction.on_commit(lambda: cache.delete(CHECKED_KEY))


def connect() -> None:
    for model in (CalendarDay, CalendarYear):
        post_save.connect(calendar_changed, sender=model, dispatch_uid=f"statistics-calendar-{model.__name__}-save")
        post_delete.connect(calendar_changed, sender=model, dispatch_uid=f"statistics-calendar-{model.__name__}-delete")


@transaction.atomic
def _rebuild(fingerprint: str) -> bool:
    table, _created = WorkdayTable.objects.select_for_update().get_or_create(pk=1)
    if table.fingerprint == fingerprint:
        return False  # another request built it meanwhile
    calendar = Calendar()
    last = _known_until(calendar, timezone.localdate())
    rows, ordinal, day = [], 0, FIRST_DAY
    while day <= last:
        ordinal += calendar.is_working_day(day)
        rows.append(WorkdayOrdinal(day=day, ordinal=ordinal))
        day += timedelta(days=1)
    WorkdayOrdinal.objects.all().delete()
    WorkdayOrdinal.objects.bulk_create(rows, batch_size=1000)
    table.fingerprint, table.first_day, table.last_day, table.built_at = fingerprint, FIRST_DAY, last, timezone.now()
    table.save()
    if connection.vendor == "postgresql":
        # The kept processing times (review.statistics 0003) are counted on these rows.
        with connection.cursor() as cursor:
            cursor.execute("SELECT statistics_rebuild()")
    return True
