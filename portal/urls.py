from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal import views

admin.site.site_header = "上海市知识产权局 备案与项目申报平台 · 管理"
admin.site.site_title = "备案与项目申报平台"
admin.site.index_title = "参考数据管理"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:home", permanent=False)),
    path("public/", include("review.public_urls")),
    path("accounts/", include("accounts.urls")),
    path("filings/", include("filings.urls")),
    path("review/", include("review.urls")),
    path("reports/", include("review.reports.urls")),
    path("api/v1/", include("api.urls")),
    path("dossier/", include("review.dossier.urls")),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
]

handler500 = "portal.views.server_error"
