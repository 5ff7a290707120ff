from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "review.directory"
    label = "directory"
    verbose_name = "重点企业专利产品备案目录清单"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from review.directory import tasks  # noqa: F401  (the reminder task, found by workers)
