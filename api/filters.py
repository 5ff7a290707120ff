"""The filters of the open data API: the public pages' filters, each input bounded so that
no query string can reach the database as something it cannot take (a year out of range,
an integer wider than a column)."""

import copy

import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import District
from filings import kinds
from filings.models import Filing
from portal.lookups import contains_text
from review.models import PublicityBatch, PublicityEntry
from review.registry.selectors import registry_search

ID_MAX = 2**31 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=ID_MAX, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, lookup_expr="year", min_value=2000, max_value=2100, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SearchFilter(django_filters.CharFilter):
    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        super().__init__(*args, max_length=100, method=self.search, **kwargs)

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= contains_text(field, text)
        return queryset.filter(condition)


@extend_schema_field(OpenApiTypes.STR)
class RegistrySearchFilter(django_filters.CharFilter):
    """The public registry page's search (review.registry.selectors.registry_search): one indexed
    branch per field, where an OR of icontains across the organisation join would scan."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=100, method=self.search, **kwargs)

    def search(self, queryset, name, value):
        text = value.strip()
        return registry_search(queryset, text) if text else queryset


class _Unchanged(dict):
    """Fields that no request changes: copy.deepcopy hands them back as they are."""

    def __deepcopy__(self, memo):
        return self


class PublicFilterSet(django_filters.FilterSet):
    """Nothing in it depends on who asks (no choice, no queryset of the request): its filters and
    its form's fields are made once per class and shared by every request. FilterSet and Form
    both deep-copy theirs for each instance, hundreds of copies of fields, widgets and choices a
    request, though validating and filtering change none of them."""

    @classmethod
    def shared_filters(cls) -> dict:
        if "_filters" not in cls.__dict__:
            filters = copy.deepcopy(cls.base_filters)
            for filter_ in filters.values():
                # What FilterSet.__init__ gives each copy. Shared, they have no one FilterSet as
                # their parent: none needs it (it serves a method named by a string).
                assert callable(filter_.method) or filter_.method is None, filter_
                filter_.model = cls._meta.model
            cls._filters = filters
        return cls._filters

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # FilterSet.__init__ but for the copy of the filters.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = self._meta.model._default_manager.all() if queryset is None else queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = self.shared_filters()

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = _Unchanged(form_class.base_fields)
            cls._form_class = form_class
        return cls._form_class


def _kind_filter(field_name: str) -> django_filters.ChoiceFilter:
    # The kinds have registered themselves by now (their AppConfig.ready runs before URLs load).
    return django_filters.ChoiceFilter(field_name=field_name, choices=kinds.choices(), help_text="申报类型代码")


class RegistryFilter(PublicFilterSet):
    kind = _kind_filter("kind")
    year = YearFilter(field_name="registered_at", help_text="入库/立项年度")
    district = django_filters.ChoiceFilter(field_name="district", choices=District.choices)
    industry = django_filters.CharFilter(max_length=100, help_text="产业领域（完全一致）")
    call = IdFilter(field_name="call_id", help_text="申报批次编号")
    q = RegistrySearchFilter(help_text="名称、备案号/立项号或申报单位名称中的文字，或统一社会信用代码的开头")

    class Meta:
        model = Filing
        fields = ["kind", "year", "district", "industry", "call", "q"]


class PublicityBatchFilter(PublicFilterSet):
    kind = _kind_filter("call__kind")
    year = YearFilter(field_name="starts_on", help_text="公示开始的年度")
    call = IdFilter(field_name="call_id", help_text="申报批次编号")
    q = SearchFilter(fields=("title",), help_text="公示标题中的文字")

    class Meta:
        model = PublicityBatch
        fields = ["kind", "year", "call", "q"]


class PublicityEntryFilter(PublicFilterSet):
    kind = _kind_filter("filing__kind")
    district = django_filters.ChoiceFilter(field_name="filing__district", choices=District.choices)
    industry = django_filters.CharFilter(field_name="filing__industry", max_length=100)
    q = SearchFilter(fields=("filing__title", "filing__number"), help_text="名称或编号中的文字")

    class Meta:
        model = PublicityEntry
        fields = ["kind", "district", "industry", "q"]
