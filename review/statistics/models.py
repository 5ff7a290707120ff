from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class Bulletin(models.Model):
    """通报 (seed 003 三: 备案指标统计与通报制度): a period's figures as an A4 PDF, rendered by a worker."""

    title = models.CharField(_("通报标题"), max_length=100)
    date_from = models.DateField(_("起始日期"))
    date_to = models.DateField(_("截止日期"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="bulletins/%Y/", max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(date_to__gte=models.F("date_from")), name="bulletin_period_order")
        ]

    def __str__(self) -> str:
        return self.title


# --- figures kept by the database -------------------------------------------------------------
#
# On PostgreSQL, triggers (review.statistics 0003) keep the tables below exact in the same
# transaction as every change to a filing, its events, its expert assignments or its applicant,
# however the change is made; the dashboard then reads a few thousand rows whatever the number of
# filings. Periods are whole months there; any other period, and SQLite, is counted from the
# filings themselves (review.statistics.selectors).


class FilingFigure(models.Model):
    """One submitted filing as the statistics see it: its scope and its processing times.

    The figures below are sums of these rows; a change to a filing replaces its row and moves
    its contribution. `month` is the (local) month of its first submission.
    """

    filing_id = models.BigIntegerField(primary_key=True)
    call_id = models.BigIntegerField()
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=8)
    in_lingang = models.BooleanField()
    industry = models.CharField(max_length=100)
    state = models.CharField(max_length=16)
    month = models.DateField(null=True)
    audit_days = models.IntegerField(null=True)
    experts_days = models.IntegerField(null=True)
    registered_days = models.IntegerField(null=True)
    rounds = models.IntegerField()
    experts_on_time = models.IntegerField()
    experts_late = models.IntegerField()

    def __str__(self) -> str:
        return f"filing {self.filing_id}"


SCOPE = ("call", "kind", "district", "in_lingang")


def scope_indexes(prefix: str) -> list[models.Index]:
    """A district bureau, or a kind, reads its own rows only; the city reads them all."""
    return [
        models.Index(fields=["district", "month"], name=f"{prefix}_district_idx"),
        models.Index(fields=["kind", "month"], name=f"{prefix}_kind_idx"),
        models.Index(fields=["month"], name=f"{prefix}_lingang_idx", condition=models.Q(in_lingang=True)),
    ]


class _CountFields(models.Model):
    call = models.ForeignKey("filings.Call", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=8)
    in_lingang = models.BooleanField()
    industry = models.CharField(max_length=100)
    month = models.DateField(null=True)
    state = models.CharField(max_length=16)
    n = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.call_id} {self.kind} {self.district} {self.month} {self.state}: {self.n}"


class _TimeFields(models.Model):
    call = models.ForeignKey("filings.Call", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=8)
    in_lingang = models.BooleanField()
    month = models.DateField(null=True)
    measure = models.CharField(max_length=12)
    days = models.IntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.call_id} {self.measure} {self.days}: {self.n}"


class FigureCount(_CountFields):
    """Filings per scope, industry, month of first submission and state, with their expert sheets
    sent on time and late."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*SCOPE, "industry", "month", "state"], name="figure_count_unique", nulls_distinct=False
            )
        ]
        indexes = scope_indexes("figure_count")


class FigureTime(_TimeFields):
    """Filings per scope, month of first submission and working days of one measure (audit,
    experts, registered) or number of 补正 rounds (rounds): the histograms of the processing times."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*SCOPE, "month", "measure", "days"], name="figure_time_unique", nulls_distinct=False
            )
        ]
        indexes = scope_indexes("figure_time")


class FigureCountYear(_CountFields):
    """FigureCount summed over each year: `month` is the year's first month (1 January). Kept with
    FigureCount, by the same function (review.statistics 0006); a period's whole years are read
    here, one row where FigureCount has twelve."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*SCOPE, "industry", "month", "state"], name="figure_count_year_unique", nulls_distinct=False
            )
        ]
        indexes = scope_indexes("figure_count_year")


class FigureTimeYear(_TimeFields):
    """FigureTime summed over each year, as FigureCountYear is FigureCount."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[*SCOPE, "month", "measure", "days"], name="figure_time_year_unique", nulls_distinct=False
            )
        ]
        indexes = scope_indexes("figure_time_year")


class FigureMonth(models.Model):
    """Events per scope and the month they happened: submitted, registered, rejected, withdrawn."""

    call = models.ForeignKey("filings.Call", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kind = models.CharField(max_length=16)
    district = models.CharField(max_length=8)
    in_lingang = models.BooleanField()
    month = models.DateField()
    bucket = models.CharField(max_length=12)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=[*SCOPE, "month", "bucket"], name="figure_month_unique")]

    def __str__(self) -> str:
        return f"{self.call_id} {self.month} {self.bucket}: {self.n}"
