from django.urls import path

from review import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.home, name="home"),
]

from review import verify_views  # noqa: E402

urlpatterns += [
    path("verify/", verify_views.verify_form, name="verify-form"),
    path("verify/<str:code>/", verify_views.verify, name="verify"),
]

from review import publicity_views, registry_views  # noqa: E402

urlpatterns += [
    path("publicity/", publicity_views.public_list, name="publicity-list"),
    path("publicity/<int:pk>/", publicity_views.public_detail, name="publicity-detail"),
    path("registry/", registry_views.registry, name="registry"),
    path("registry/<int:pk>/", registry_views.registry_detail, name="registry-detail"),
]
