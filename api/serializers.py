"""What the open data API shows: the facts the public pages show, never a person's data
(no contact names, phones, e-mails or ID numbers; organisations only by name and district)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from filings.models import Call, Filing
from review.models import PublicityBatch, PublicityEntry


class CallSerializer(serializers.ModelSerializer):
    class Meta:
        model = Call
        fields = ["id", "kind", "title", "notice_number", "year"]


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
        return self.context["request"].build_absolute_uri(reverse("public:registry-detail", args=[filing.pk]))


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
        return self.context["request"].build_absolute_uri(reverse("public:publicity-detail", args=[batch.pk]))


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
