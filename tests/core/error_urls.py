"""The project's URLs plus one view that fails, to see the 500 page (tests only)."""

from django.urls import path

from opgroeien.urls import handler400, handler403, handler404, handler500  # noqa: F401
from opgroeien.urls import urlpatterns as site_urls


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("kapot/", fails), *site_urls]
