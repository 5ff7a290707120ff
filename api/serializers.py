"""What the open data API shows: the facts the public pages show, never a person's data
(no contact names, phones, e-mails or ID numbers; organisations only by name and district)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from filings import kinds
from filings.models import Call, Filing
from review.models import PublicityBatch, PublicityEntry


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ["id", "kind", "title", "notice_number", "year"]


def _call(call: Call) -> dict:
    return {
        "id": call.pk,
        "kind": call.kind,
        "title": call.title,
        "notice_number": call.notice_number,
        "year": call.year,
    }


def _moment(serializer, value) -> str | None:
    """REST framework's rendering of a time (ISO 8601 in the current time zone), the zone looked
    up once per answer."""
    if value is None:
        return None
    zone = serializer.context.get("_zone")
    if zone is None:
        zone = serializer.context["_zone"] = timezone.get_current_timezone()
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _kind_labels(serializer) -> dict[str, str]:
    """The kinds' names in the request's language, translated once per answer, not per row."""
    labels = serializer.context.get("_kind_labels")
    if labels is None:
        labels = serializer.context["_kind_labels"] = {code: str(label) for code, label in kinds.choices()}
    return labels


class _Links:
    """Absolute URLs of one route for many rows: reversed once, then filled in (a list page
    would otherwise resolve two URLs per row, a large share of its time)."""

    def __init__(self, request, name: str):
        self.prefix, self.suffix = request.build_absolute_uri(reverse(name, args=[987654321])).split("987654321")

    def __call__(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"


def _links(serializer, name: str) -> _Links:
    cache = serializer.context.setdefault("_links", {})
    if name not in cache:
        cache[name] = _Links(serializer.context["request"], name)
    return cache[name]


class RegistryEntrySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", help_text="申报类型名称")
    organisation = serializers.CharField(source="organisation.name", help_text="申报单位名称")
    district = serializers.CharField(source="organisation.district", help_text="所在区")
    call = CallSerializer()
    url = serializers.HyperlinkedIdentityField(view_name="api:registry-detail")
    page_url = serializers.SerializerMethodField(help_text="公开网页地址")

    class Meta:
        model = Filing
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
        return _links(self, "public:registry-detail")(filing.pk)

    def to_representation(self, row: dict) -> dict:
        # The fields above, written out from a values() row (api.views.REGISTRY_COLUMNS): the
        # same output (the schema tests hold it to the schema) at a fraction of the generic
        # per-field cost, and without a model instance per row.
        return {
            "id": row["id"],
            "registry_number": row["registry_number"],
            "title": row["title"],
            "kind": row["kind"],
            "kind_display": _kind_labels(self).get(row["kind"], row["kind"]),
            "organisation": row["organisation__name"],
            "district": row["organisation__district"],
            "industry": row["industry"],
            "registered_at": _moment(self, row["registered_at"]),
            "call": {
                "id": row["call_id"],
                "kind": row["call__kind"],
                "title": row["call__title"],
                "notice_number": row["call__notice_number"],
                "year": row["call__year"],
            },
            "url": _links(self, "api:registry-detail")(row["id"]),
            "page_url": _links(self, "public:registry-detail")(row["id"]),
        }


class PublicityBatchSerializer(serializers.ModelSerializer):
    call = CallSerializer()
    status = serializers.SerializerMethodField(help_text="running 公示中 / upcoming 未开始 / ended 已结束")
    filing_count = serializers.IntegerField(help_text="公示名单中的申报数")
    url = serializers.HyperlinkedIdentityField(view_name="api:publicity-detail")
    entries_url = serializers.HyperlinkedIdentityField(view_name="api:publicity-entries", lookup_url_kwarg="batch_pk")
    page_url = serializers.SerializerMethodField(help_text="公开网页地址")

    class Meta:
        model = PublicityBatch
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
    def get_status(self, batch: PublicityBatch) -> str:
        today = timezone.localdate()
        if batch.is_running(today):
            return "running"
        return "upcoming" if batch.starts_on > today else "ended"

    @extend_schema_field(serializers.URLField())
    def get_page_url(self, batch: PublicityBatch) -> str:
        return _links(self, "public:publicity-detail")(batch.pk)

    def to_representation(self, batch: PublicityBatch) -> dict:
        return {
            "id": batch.pk,
            "title": batch.title,
            "call": _call(batch.call),
            "starts_on": batch.starts_on.isoformat(),
            "ends_on": batch.ends_on.isoformat(),
            "status": self.get_status(batch),
            "filing_count": batch.filing_count,
            "url": _links(self, "api:publicity-detail")(batch.pk),
            "entries_url": _links(self, "api:publicity-entries")(batch.pk),
            "page_url": _links(self, "public:publicity-detail")(batch.pk),
        }


class PublicityEntrySerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="filing.number", allow_null=True, help_text="申报编号")
    title = serializers.CharField(source="filing.title", help_text="名称")
    kind = serializers.CharField(source="filing.kind", help_text="申报类型代码")
    kind_display = serializers.CharField(source="filing.get_kind_display", help_text="申报类型名称")
    organisation = serializers.CharField(source="filing.organisation.name", help_text="申报单位名称")
    district = serializers.CharField(source="filing.organisation.district", help_text="所在区")
    industry = serializers.CharField(source="filing.industry", help_text="产业领域")

    class Meta:
        model = PublicityEntry
        fields = ["position", "number", "title", "kind", "kind_display", "organisation", "district", "industry"]

    def to_representation(self, row: dict) -> dict:
        # From a values() row (api.views.ENTRY_COLUMNS).
        return {
            "position": row["position"],
            "number": row["filing__number"],
            "title": row["filing__title"],
            "kind": row["filing__kind"],
            "kind_display": _kind_labels(self).get(row["filing__kind"], row["filing__kind"]),
            "organisation": row["filing__organisation__name"],
            "district": row["filing__organisation__district"],
            "industry": row["filing__industry"],
        }
