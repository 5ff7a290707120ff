from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


SEPARATORS = ("｜", "|", "\t")


class ScoreSheetField(forms.CharField):
    """The expert score sheet as staff read it: one criterion a line, "评审项｜满分".

    Stored as [{"key", "label", "max"}]; a criterion keeps its key while its wording stays,
    so scores already given still find it.
    """

    widget = forms.Textarea(attrs={"rows": 7, "cols": 80})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{c.get('label', '')}｜{c.get('max', '')}" for c in value)
        return value

    def to_python(self, value) -> list[dict]:
        rows = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            separator = next((s for s in SEPARATORS if s in line), None)
            label, _sep, points = line.rpartition(separator) if separator else ("", "", "")
            try:
                maximum = Decimal(points.strip())
            except InvalidOperation:
                maximum = None
            if not label.strip() or maximum is None or maximum <= 0:
                raise ValidationError(
                    _("第%(n)s行应为“评审项｜满分”，满分为正数，例如：专利池（或专利组合）运营｜25"),
                    code="score_sheet_line",
                    params={"n": number},
                )
            rows.append({"label": label.strip(), "max": int(maximum) if maximum == maximum.to_integral() else float(maximum)})
        return rows


class CallAdminForm(forms.ModelForm):
    score_sheet = ScoreSheetField(
        label=_("评分表"),
        required=False,
        help_text=_("每行一个评审项：“评审项｜满分”。留空则使用该申报类型的默认评分表。"),
    )

    class Meta:
        model = Call
        fields = [
            "kind",
            "title",
            "notice_number",
            "opens_at",
            "closes_at",
            "notice_url",
            "number_format",
            "year",
            "expert_count",
            "score_sheet",
        ]

    def clean_score_sheet(self) -> list[dict]:
        rows = self.cleaned_data["score_sheet"]
        known = {c.get("label"): c.get("key") for c in (self.instance.score_sheet or []) if isinstance(c, dict)}
        taken = set()
        sheet = []
        for number, row in enumerate(rows, start=1):
            key = known.get(row["label"]) or f"c{number}"
            while key in taken:
                key = f"{key}_{number}"
            taken.add(key)
            sheet.append({"key": key, **row})
        return sheet


@admin.register(Call)
class CallAdmin(BureauAdmin):
    form = CallAdminForm
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
