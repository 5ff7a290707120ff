from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "review.reports"
    label = "reports"
    verbose_name = "年度绩效报告"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The periodic reminders and the PDF render: a worker finds them by their registered names.
        from review.reports import tasks  # noqa: F401
