from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户"

    def ready(self):
        from django.contrib.auth import signals

        from portal import logs, text

        text.install()
        logs.install_request_id_on_records()
        signals.user_logged_in.connect(logs.on_logged_in, dispatch_uid="portal-audit-login")
        signals.user_logged_out.connect(logs.on_logged_out, dispatch_uid="portal-audit-logout")
        signals.user_login_failed.connect(logs.on_login_failed, dispatch_uid="portal-audit-login-failed")
