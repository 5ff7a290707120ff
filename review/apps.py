from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "审核评审与公示"

    def ready(self) -> None:
        # The stages' periodic tasks live beside their services; a worker finds only `review.tasks` by itself.
        from review.audit import tasks as audit_tasks  # noqa: F401
        from review.bulk import tasks as bulk_tasks  # noqa: F401
        from review.experts import tasks  # noqa: F401
        from review.publicity import signals

        signals.connect()
