from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
