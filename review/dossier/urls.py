from django.urls import path

from review.dossier import views

app_name = "dossier"

urlpatterns = [
    path("filing/<int:pk>/", views.filing_dossier, name="filing"),
    path("filing/<int:pk>/mine/", views.applicant_dossier, name="applicant"),
    path("call/<int:pk>/", views.call_dossiers, name="call"),
    path("download/<int:pk>/", views.call_dossier_download, name="download"),
]
