from django.apps import AppConfig


class ConsortiumConfig(AppConfig):
    # Its own app (not models of `filings`) so that its migrations never collide with
    # those other kinds and the shared machinery add to `filings` at the same time.
    name = "filings.kinds.consortium"
    label = "consortium"
    verbose_name = "产学研运营联合体"
    default_auto_field = "django.db.models.BigAutoField"
