from django.urls import path

from filings import views

app_name = "filings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("start/<int:call_id>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
]
