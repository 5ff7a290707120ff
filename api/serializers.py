"""What the open data API shows: the facts the public pages show, never a person's data
(no contact names, phones, e-mails or ID numbers; organisations only by name and district)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from filings.labels import kind_labels
from filings.models import Call, Filing
from review.models import PublicityBatch, PublicityEntry


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ["id", "kind", "title", "notice_number", "year"]


def _moment(value, zone) -> str | None:
    """REST framework's rendering of a time: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _Links:
    """Absolute URLs of one route for many rows: reversed once, then filled in (a list page
    would otherwise resolve two URLs per row, a large share of its time)."""

    def __init__(self, request, name: str):
        self.prefix, self.suffix = request.build_absolute_uri(reverse(name, args=[987654321])).split("987654321")

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


class RowsSerializer(serializers.ListSerializer):
    """A list written out row by row by one plain function, `child.writer()`, which looks up
    what every row shares (labels, links, the time zone) once for the answer. The fields of
    the child describe the rows (the schema); going through them for each row, or through the
    serializer's context for each shared value, was most of a page's time."""

    def to_representation(self, data):
        write = self.child.writer()
        return [write(row) for row in data]


class RowSerializer(serializers.ModelSerializer):
    # One row, as its list writes it. (No docstring: the schema would show it for every subclass.)

    def writer(self):
        raise NotImplementedError

    def to_representation(self, row) -> dict:
        return self.writer()(row)


class RegistryEntrySerializer(RowSerializer):
    kind_display = serializers.CharField(source="get_kind_display", help_text="申报类型名称")
    organisation = serializers.CharField(source="organisation.name", help_text="申报单位名称")
    district = serializers.CharField(source="organisation.district", help_text="所在区")
    call = CallSerializer()
    url = serializers.HyperlinkedIdentityField(view_name="api:registry-detail")
    page_url = serializers.SerializerMethodField(help_text="公开网页地址")

    class Meta:
        model = Filing
        list_serializer_class = RowsSerializer
        fields = [
            "id",
            "registry_number",
            "title",
            "kind",
            "kind_display",
            "organisation",
            "district",
            "industry",
            "registered_at",
            "call",
            "url",
            "page_url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, filing: Filing) -> str:
        return _Links(self.context["request"], "public:registry-detail")(filing.pk)

    def writer(self):
        # The fields above, written out from a values() row (api.views.REGISTRY_COLUMNS): the
        # same output (the schema tests hold it to the schema), without a model instance per row.
        labels, zone = kind_labels(), timezone.get_current_timezone()
        request = self.context["request"]
        url, page_url = _Links(request, "api:registry-detail"), _Links(request, "public:registry-detail")

        def write(row: dict) -> dict:
            return {
                "id": row["id"],
                "registry_number": row["registry_number"],
                "title": row["title"],
                "kind": row["kind"],
                "kind_display": labels.get(row["kind"], row["kind"]),
                "organisation": row["organisation__name"],
                "district": row["district"],
                "industry": row["industry"],
                "registered_at": _moment(row["registered_at"], zone),
                "call": {
                    "id": row["call_id"],
                    "kind": row["call__kind"],
                    "title": row["call__title"],
                    "notice_number": row["call__notice_number"],
                    "year": row["call__year"],
                },
                "url": url(row["id"]),
                "page_url": page_url(row["id"]),
            }

        return write


class PublicityBatchSerializer(RowSerializer):
    call = CallSerializer()
    status = serializers.SerializerMethodField(help_text="running 公示中 / upcoming 未开始 / ended 已结束")
    filing_count = serializers.IntegerField(help_text="公示名单中的申报数")
    url = serializers.HyperlinkedIdentityField(view_name="api:publicity-detail")
    entries_url = serializers.HyperlinkedIdentityField(view_name="api:publicity-entries", lookup_url_kwarg="batch_pk")
    page_url = serializers.SerializerMethodField(help_text="公开网页地址")

    class Meta:
        model = PublicityBatch
        list_serializer_class = RowsSerializer
        fields = [
            "id",
            "title",
            "call",
            "starts_on",
            "ends_on",
            "status",
            "filing_count",
            "url",
            "entries_url",
            "page_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["running", "upcoming", "ended"]))
    def get_status(self, batch: dict) -> str:
        return _status(batch, timezone.localdate())

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, batch: dict) -> str:
        return _Links(self.context["request"], "public:publicity-detail")(batch["id"])

    def writer(self):
        # From a values() row (api.views.BATCH_COLUMNS).
        today = timezone.localdate()
        request = self.context["request"]
        url, entries_url = _Links(request, "api:publicity-detail"), _Links(request, "api:publicity-entries")
        page_url = _Links(request, "public:publicity-detail")

        def write(batch: dict) -> dict:
            return {
                "id": batch["id"],
                "title": batch["title"],
                "call": {
                    "id": batch["call_id"],
                    "kind": batch["call__kind"],
                    "title": batch["call__title"],
                    "notice_number": batch["call__notice_number"],
                    "year": batch["call__year"],
                },
                "starts_on": batch["starts_on"].isoformat(),
                "ends_on": batch["ends_on"].isoformat(),
                "status": _status(batch, today),
                "filing_count": batch["filing_count"],
                "url": url(batch["id"]),
                "entries_url": entries_url(batch["id"]),
                "page_url": page_url(batch["id"]),
            }

        return write


def _status(batch: dict, today) -> str:
    if batch["starts_on"] <= today <= batch["ends_on"]:  # PublicityBatch.is_running
        return "running"
    return "upcoming" if batch["starts_on"] > today else "ended"


class PublicityEntrySerializer(RowSerializer):
    number = serializers.CharField(source="filing.number", allow_null=True, help_text="申报编号")
    title = serializers.CharField(source="filing.title", help_text="名称")
    kind = serializers.CharField(source="filing.kind", help_text="申报类型代码")
    kind_display = serializers.CharField(source="filing.get_kind_display", help_text="申报类型名称")
    organisation = serializers.CharField(source="filing.organisation.name", help_text="申报单位名称")
    district = serializers.CharField(source="filing.organisation.district", help_text="所在区")
    industry = serializers.CharField(source="filing.industry", help_text="产业领域")

    class Meta:
        model = PublicityEntry
        list_serializer_class = RowsSerializer
        fields = ["position", "number", "title", "kind", "kind_display", "organisation", "district", "industry"]

    def writer(self):
        # From a values() row (api.views.ENTRY_COLUMNS).
        labels = kind_labels()

        def write(row: dict) -> dict:
            return {
                "position": row["position"],
                "number": row["filing__number"],
                "title": row["filing__title"],
                "kind": row["filing__kind"],
                "kind_display": labels.get(row["filing__kind"], row["filing__kind"]),
                "organisation": row["filing__organisation__name"],
                "district": row["filing__district"],
                "industry": row["filing__industry"],
            }

        return write
