"""Cursor pagination: stable pages however many entries arrive while a client walks them,
and no COUNT over the whole table (the cost stays flat as the registry grows)."""

from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class PublicCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = "分页游标无效，请从第一页重新开始。"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # A hand-made cursor could carry a position the column cannot compare with.
        if cursor is not None and cursor.position is not None:
            field = self._model._meta.get_field(self.ordering[0].lstrip("-").split("__")[0])
            try:
                field.to_python(cursor.position)
            except (ValidationError, ValueError, TypeError, OverflowError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor


class RegistryPagination(PublicCursorPagination):
    ordering = ("-registered_at", "-id")


class PublicityBatchPagination(PublicCursorPagination):
    ordering = ("-starts_on", "-id")


class PublicityEntryPagination(PublicCursorPagination):
    ordering = ("position", "id")
