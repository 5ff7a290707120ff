from django.db import models


class WorkdayOrdinal(models.Model):
    """China's official calendar as a table, so that the database counts working days.

    `ordinal` is the number of working days from the table's first day up to and including
    `day`: the working days after `a` up to and including `b` (workdays.calendar.working_days_between)
    are ordinal(b) - ordinal(a). Rebuilt from workdays.calendar whenever that changes
    (review.statistics.calendar); a year the calendar does not know has no rows.
    """

    day = models.DateField(primary_key=True)
    ordinal = models.PositiveIntegerField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} #{self.ordinal}"


class WorkdayTable(models.Model):
    """One row: what the WorkdayOrdinal rows were built from, to know when to rebuild them."""

    fingerprint = models.CharField(max_length=64, blank=True)
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    built_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"
