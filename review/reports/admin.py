from django.contrib import admin

from review.reports.models import ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    """Staff set a call's task period and deadlines here; reports themselves are worked in /review/reports/."""

    list_display = ("call", "first_year", "years", "due_month", "due_day", "remind_days")
    list_select_related = ("call",)
    search_fields = ("call__title", "call__notice_number")
