"""Refuse requests that can only be a client's mistake before any view runs."""

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """A NUL byte in the query string (`?gemeente=%00`) is never meaningful, and PostgreSQL
    cannot compare text holding one: it would end as a 500 somewhere deep in a query. One
    check here answers 400 for every page and every API filter (JSON for the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in value for value in values)
               for key, values in request.GET.lists()):
            message = _("Een zoekwaarde mag geen NUL-teken (%00) bevatten.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            raise BadRequest(message)
        return self.get_response(request)
