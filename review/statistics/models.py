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
