from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (login lockout) under a Chinese name in the admin; its models' names are
    translated in locale/zh_Hans, as the package ships no Chinese catalogue."""

    verbose_name = _("登录保护")
