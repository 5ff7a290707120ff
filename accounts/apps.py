from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与单位"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import second_factor
        from portal.middleware import SessionLimitsMiddleware

        user_logged_in.connect(SessionLimitsMiddleware.mark_signed_in, dispatch_uid="portal-session-limits")
        user_logged_in.connect(second_factor.mark_signed_in, dispatch_uid="accounts-second-factor")
