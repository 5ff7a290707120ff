"""The portal's URLs plus one view that fails, for the error-page tests."""

from django.urls import path

from portal.urls import handler500
from portal.urls import urlpatterns as portal_urlpatterns


def broken(request):
    raise RuntimeError("a programming error the visitor must never see")


urlpatterns = [path("broken/", broken), *portal_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
