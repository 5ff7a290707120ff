from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "review.statistics"
    label = "statistics"
    verbose_name = "统计与通报"
    default_auto_field = "django.db.models.BigAutoField"
