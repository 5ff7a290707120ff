from django.apps import AppConfig


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = "备案与申报"

    def ready(self) -> None:
        # The kinds register themselves from their own apps (filings.kinds.KindAppConfig).
        import filings.checks  # noqa: F401 - registers the PDF system checks (filings.E001, W001, W002)

        # Registers the notification task (it lives beside the e-mail templates it renders), and
        # connects the outbox's task signals (a row is done when its task succeeds) in web
        # processes too: without a broker tasks run in-process.
        from filings import notifications, signals, tasks  # noqa: F401

        signals.connect()
