from django.urls import include, path

from filings import kinds, material_views, views

app_name = "filings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("start/<int:call_id>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/step/<slug:slug>/", views.step, name="step"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/submit/preview.pdf", views.submit_preview, name="submit-preview"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/materials/", material_views.materials, name="materials"),
    path("<int:pk>/materials/<int:material_id>/", material_views.material_download, name="material-download"),
    path("<int:pk>/materials/<int:material_id>/remove/", material_views.material_remove_view, name="material-remove"),
]

from filings import document_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/v<int:version>/pdf/", document_views.document_download, name="document"),
    path("<int:pk>/v<int:version>/pdf/status/", document_views.document_status, name="document-status"),
    path("<int:pk>/registration.pdf", document_views.registration_download, name="registration-document"),
]

# Each kind's own applicant pages (filings.kinds.KindSpec.urls).
urlpatterns += [path("", include(spec.urls)) for spec in kinds.all_specs() if spec.urls]
