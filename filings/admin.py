from django.contrib import admin

from accounts import roles
from filings.models import Call


class BureauAdmin(admin.ModelAdmin):
    """Reference data that bureau staff keep in the Django admin (role checks in accounts.roles)."""

    def has_module_permission(self, request) -> bool:
        return roles.is_bureau(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return roles.is_bureau(request.user)

    has_add_permission = has_module_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None) -> bool:
        # A call with filings is protected by the database anyway.
        return roles.is_admin(request.user)


@admin.register(Call)
class CallAdmin(BureauAdmin):
    list_display = ["title", "kind", "notice_number", "opens_at", "closes_at", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "notice_number"]
    date_hierarchy = "closes_at"
