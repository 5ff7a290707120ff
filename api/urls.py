"""/api/v1/: the open data API, its OpenAPI schema and its documentation page."""

from django.middleware.http import ConditionalGetMiddleware
from django.urls import path, re_path
from django.utils.decorators import decorator_from_middleware
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import views
from api.caching import rate_limited_and_cached

app_name = "api"

# ETag from the body and 304 for If-None-Match / If-Modified-Since, around the rate limit
# and the cache of rendered answers.
_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def conditional(view):
    return _conditional(rate_limited_and_cached(view))


router = SimpleRouter()
router.register("registry", views.RegistryViewSet, basename="registry")
router.register("publicity", views.PublicityViewSet, basename="publicity")

urlpatterns = [
    *[
        re_path(pattern.pattern.regex.pattern, conditional(pattern.callback), name=pattern.name)
        for pattern in router.urls
    ],
    re_path(
        rf"^publicity/(?P<batch_pk>{views.ID_PATTERN})/entries/$",
        conditional(views.PublicityEntryViewSet.as_view({"get": "list"})),
        name="publicity-entries",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
]
