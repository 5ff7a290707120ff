from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose holidays and 调休 days staff have entered in full (for a year the calendar
    library does not know yet: the State Council publishes the next year's schedule each autumn).
    Until it is marked here, a period reaching into that year is refused, never guessed."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice = models.CharField(_("依据（国务院办公厅通知文号）"), max_length=120, blank=True)
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已录入的年度安排")
        verbose_name_plural = _("已录入的年度安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day that is not what its weekday says: a holiday on a weekday, or a 调休 working
    weekend. Entered by staff; it also overrides the library for a year the library knows."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("是否上班"), help_text=_("勾选：调休上班日；不勾选：放假日。"))
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("例如：春节、调休上班。"))

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name or ('上班' if self.is_working else '放假')}"
