from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与单位"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from accounts import second_factor
        from accounts.backends import forget_user
        from portal.middleware import SessionLimitsMiddleware

        user_logged_in.connect(SessionLimitsMiddleware.mark_signed_in, dispatch_uid="portal-session-limits")
        user_logged_in.connect(second_factor.mark_signed_in, dispatch_uid="accounts-second-factor")
        # A user's row kept for their requests (accounts.backends) is forgotten when it changes.
        user = self.get_model("User")
        post_save.connect(forget_user, sender=user, dispatch_uid="accounts-forget-user-saved")
        post_delete.connect(forget_user, sender=user, dispatch_uid="accounts-forget-user-deleted")
