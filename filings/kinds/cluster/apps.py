from django.apps import AppConfig


class ClusterConfig(AppConfig):
    # Its own app (not models of `filings`) so that its migrations never collide with
    # those other kinds and the shared machinery add to `filings` at the same time.
    name = "filings.kinds.cluster"
    label = "cluster"
    verbose_name = "知识产权运营服务集聚区"
    default_auto_field = "django.db.models.BigAutoField"
