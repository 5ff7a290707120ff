"""The open data API (read-only): the registry and the publicity lists, as JSON or CSV.

Every response carries an ETag (a digest of its body) and a Last-Modified (the newest record
it shows), so that a client polling with If-None-Match or If-Modified-Since gets an empty
304 while nothing changed. Rate-limited per client address (API_RATE_LIMIT).
"""

from django.db.models import Count
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets

from api import filters, pagination, serializers
from review.models import PublicityBatch, PublicityEntry
from review.publicity.selectors import publicity_batch_for_public
from review.registry.selectors import registry_entries

# Ids beyond this never exist; refusing them in the URL keeps them away from the database.
ID_PATTERN = r"[0-9]{1,9}"

# What a registry entry shows, read as plain rows: building three model instances per row
# (filing, call, organisation) was most of a page's time.
REGISTRY_COLUMNS = (
    "id",
    "registry_number",
    "title",
    "kind",
    "industry",
    "registered_at",
    "updated_at",
    "organisation__name",
    "district",
    "call_id",
    "call__kind",
    "call__title",
    "call__notice_number",
    "call__year",
)
BATCH_COLUMNS = (
    "id",
    "title",
    "starts_on",
    "ends_on",
    "published_at",
    "call_id",
    "call__kind",
    "call__title",
    "call__notice_number",
    "call__year",
    "filing_count",
)
ENTRY_COLUMNS = (
    "id",
    "position",
    "filing__number",
    "filing__title",
    "filing__kind",
    "filing__industry",
    "filing__organisation__name",
    "filing__district",
)
NOT_FOUND = OpenApiResponse(description="不存在")
BAD_CURSOR = OpenApiResponse(description="分页游标无效")
BAD_FILTER = OpenApiResponse(description="筛选条件无效（逐项说明原因）")
THROTTLED = OpenApiResponse(description="请求过于频繁，请稍后再试")


class PublicReadOnly(viewsets.GenericViewSet):
    """Shared by the API's views: Last-Modified from the records shown, revalidate on every use."""

    def last_modified_of(self, records) -> float | None:
        return None

    def handle_exception(self, exc):
        if isinstance(exc, Http404):  # DRF's own words would be English here
            exc = exceptions.NotFound(_("不存在。"))
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            modified = self.last_modified_of(getattr(self, "_shown", []))
            if modified is not None:
                response["Last-Modified"] = http_date(modified.timestamp())
            patch_cache_control(response, public=True, no_cache=True)
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown = page if page is not None else []
        return page

    def get_object(self):
        record = super().get_object()
        self._shown = [record]
        return record


@extend_schema_view(
    list=extend_schema(
        summary="备案库/立项名单",
        description="已纳入备案库或已立项的申报（各类型），最新入库在前；可按类型、年度、所在区、产业领域、申报批次筛选，"
        "按名称或编号搜索。",
        responses={
            200: serializers.RegistryEntrySerializer(many=True),
            400: BAD_FILTER,
            404: BAD_CURSOR,
            429: THROTTLED,
        },
    ),
    retrieve=extend_schema(
        summary="备案库/立项名单中的一条",
        responses={200: serializers.RegistryEntrySerializer, 404: NOT_FOUND, 429: THROTTLED},
    ),
)
class RegistryViewSet(PublicReadOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Every registered filing of every kind, newest first."""

    serializer_class = serializers.RegistryEntrySerializer
    filterset_class = filters.RegistryFilter
    pagination_class = pagination.RegistryPagination
    lookup_value_regex = ID_PATTERN

    # Built once: REST framework reads a copy of it for each request (GenericAPIView.get_queryset),
    # not a query built anew. Ordered by the pagination; filtered by RegistryFilter on the
    # registry's indexes (filings 0016).
    queryset = registry_entries().values(*REGISTRY_COLUMNS)

    def last_modified_of(self, records):
        return max((row["updated_at"] for row in records), default=None)


@extend_schema_view(
    list=extend_schema(
        summary="公示",
        description="各次公示，开始日期最新的在前；每次公示的名单见 entries_url。",
        responses={
            200: serializers.PublicityBatchSerializer(many=True),
            400: BAD_FILTER,
            404: BAD_CURSOR,
            429: THROTTLED,
        },
    ),
    retrieve=extend_schema(
        summary="一次公示", responses={200: serializers.PublicityBatchSerializer, 404: NOT_FOUND, 429: THROTTLED}
    ),
)
class PublicityViewSet(PublicReadOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Publicity batches, latest start first; each one's list of filings under `entries_url`."""

    serializer_class = serializers.PublicityBatchSerializer
    filterset_class = filters.PublicityBatchFilter
    pagination_class = pagination.PublicityBatchPagination
    lookup_value_regex = ID_PATTERN

    # The batches and their sizes, as plain rows (the public page's order by period is not read here:
    # the pagination orders). Built once, as the registry's.
    queryset = PublicityBatch.objects.annotate(filing_count=Count("entries")).values(*BATCH_COLUMNS)

    def last_modified_of(self, records):
        return max((batch["published_at"] for batch in records), default=None)


@extend_schema_view(
    list=extend_schema(
        summary="一次公示的名单",
        description="一次公示中的申报，按公示名单顺序。",
        responses={
            200: serializers.PublicityEntrySerializer(many=True),
            400: BAD_FILTER,
            404: OpenApiResponse(description="公示不存在或分页游标无效"),
            429: THROTTLED,
        },
    ),
)
class PublicityEntryViewSet(PublicReadOnly, mixins.ListModelMixin):
    serializer_class = serializers.PublicityEntrySerializer
    filterset_class = filters.PublicityEntryFilter
    pagination_class = pagination.PublicityEntryPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no batch
            return PublicityEntry.objects.none()
        # The public page's read of the batch, kept until the next state change.
        self.batch = publicity_batch_for_public(int(self.kwargs["batch_pk"]))
        if self.batch is None:
            raise Http404
        return self.batch.entries.values(*ENTRY_COLUMNS)

    def last_modified_of(self, records):
        batch = getattr(self, "batch", None)
        return batch.published_at if batch is not None else None
