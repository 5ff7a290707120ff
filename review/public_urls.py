"""The public pages under /public/: anyone may read them without logging in."""

from django.urls import path

from portal import home
from review.publicity import views as publicity_views
from review.registry import views as registry_views
from review.verification import views as verification_views

app_name = "public"

urlpatterns = [
    path("", home.home, name="home"),
    path("verify/", verification_views.verify_form, name="verify-form"),
    path("verify/<str:code>/", verification_views.verify, name="verify"),
    path("publicity/", publicity_views.public_list, name="publicity-list"),
    path("publicity/<int:pk>/", publicity_views.public_detail, name="publicity-detail"),
    path("registry/", registry_views.registry, name="registry"),
    path("registry/<int:pk>/", registry_views.registry_detail, name="registry-detail"),
]
