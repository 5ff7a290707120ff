from django.apps import AppConfig


class ProductConfig(AppConfig):
    # Its own app (not models of `filings`) so that its migrations never collide with
    # those other kinds and the shared machinery add to `filings` at the same time.
    name = "filings.kinds.product"
    label = "product"
    verbose_name = "专利产品备案"
    default_auto_field = "django.db.models.BigAutoField"
