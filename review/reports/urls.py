from django.urls import path

from review.reports import views

app_name = "reports"

# The unit's pages, mounted at /reports/.
urlpatterns = [
    path("", views.home, name="home"),
    path("start/<int:filing_pk>/<int:year>/", views.start, name="start"),
    path("r/<int:pk>/", views.report, name="report"),
    path("r/<int:pk>/upload/", views.upload, name="upload"),
    path("r/<int:pk>/files/<int:file_id>/", views.file_download, name="file"),
    path("r/<int:pk>/files/<int:file_id>/remove/", views.file_remove, name="file-remove"),
    path("r/<int:pk>/v<int:number>/pdf/", views.document, name="document"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
