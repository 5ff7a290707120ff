from django.contrib import admin

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
