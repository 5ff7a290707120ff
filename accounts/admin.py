from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts import second_factor
from accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "org_type", "district"]
    list_filter = ["org_type", "district", "in_lingang"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["division_code", "created_at"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "role", "organisation", "is_active"]
    list_filter = ["role", "area", "is_active"]
    search_fields = ["email", "name", "mobile"]
    fields = [
        "email",
        "name",
        "mobile",
        "role",
        "area",
        "organisation",
        "expert_organisation_name",
        "expert_organisation_uscc",
        "expert_field",
        "is_active",
    ]
    autocomplete_fields = ["organisation"]

    actions = ["reset_second_factor"]

    @admin.action(description=_("重置两步验证（用户丢失验证器和恢复码时）"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            second_factor.second_factor_reset(user=user, actor=request.user)
        self.message_user(
            request,
            _("已重置 %(n)s 个用户的两步验证，其登录已失效；下次登录时须重新设置验证器。") % {"n": queryset.count()},
            messages.SUCCESS,
        )
