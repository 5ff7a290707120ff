from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "review.statistics"
    label = "statistics"
    verbose_name = "统计与通报"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from review.statistics import calendar, tasks  # noqa: F401  (tasks: the 通报's render task, found by workers)

        calendar.connect()
