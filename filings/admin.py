from django.contrib import admin

from accounts import roles
from filings import outbox
from filings.models import Call, OutboxMessage


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


class OutboxStateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("dead", "已放弃（待人工重试）"), ("open", "未完成"), ("done", "已完成")]

    def queryset(self, request, queryset):
        if self.value() == "dead":
            return queryset.filter(dead_at__isnull=False, done_at__isnull=True)
        if self.value() == "open":
            return queryset.filter(dead_at__isnull=True, done_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BureauAdmin):
    """Queued work (申请书PDF, e-mails): what was given up is listed for staff to send again."""

    list_display = ["key", "task", "delivery_state", "attempts", "created_at", "dispatched_at", "last_error"]
    list_filter = [OutboxStateFilter]
    search_fields = ["key"]
    actions = ["send_again"]
    readonly_fields = ["task", "key", "kwargs", "created_at", "dispatched_at", "done_at", "dead_at", "attempts"]
    fields = [*readonly_fields, "last_error"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="状态")
    def delivery_state(self, obj: OutboxMessage) -> str:
        return obj.delivery_state

    @admin.action(description="重新发送所选任务")
    def send_again(self, request, queryset):
        count = outbox.outbox_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"已重新发送 {count} 项任务。")
