from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("expert/", views.expert_home, name="expert-home"),
]
