"""The site's error pages (400, 403, 404, 429, 500), in Dutch and in the site layout.

The children's public participation pages (kinderburgemeester, jouw stem) get a friendly
version in plain language (A2) in their own layout; the API answers JSON. Django calls these
views through `handler400` ... `handler500` in opgroeien/urls.py (they are used when DEBUG is
off) and django-ratelimit through RATELIMIT_VIEW.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from core import selectors

logger = logging.getLogger(__name__)

# The first path segment after /<gemeente>/ of the children's public pages
# (participation/urls.py), used when the path resolves to nothing (a 404).
CHILDREN_PREFIXES = ("kinderburgemeester", "jouw-stem")

API_DETAIL = {
    400: _("Ongeldige vraag."),
    403: _("Geen toestemming."),
    404: _("Niet gevonden."),
    429: _("Te veel verzoeken; probeer het later opnieuw."),
    500: _("Er ging iets mis op de server."),
}


def children_gemeente(request):
    """The gemeente whose children's public page this request is for, or None."""
    try:
        match = resolve(request.path_info)
        is_children = match.namespace == "participation" and \
            (match.url_name or "").startswith("publiek-")
        slug = match.kwargs.get("gemeente")
    except Resolver404:
        parts = request.path_info.strip("/").split("/")
        is_children = len(parts) >= 2 and parts[1] in CHILDREN_PREFIXES
        slug = parts[0] if parts else None
    if not is_children or not slug:
        return None
    return selectors.get_gemeente(slug)


def error_page(request, status: int, *, with_context: bool = True) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(API_DETAIL[status])}, status=status)
    context = {"status": status}
    try:
        publiek = children_gemeente(request)
    except Exception:  # the database may be what failed (500): show the plain page
        logger.exception("Looking up the gemeente of an error page failed")
        publiek = None
    if publiek is not None:
        name, context["publiek"] = f"kinderen/{status}.html", publiek
    else:
        name = f"{status}.html"
    template = loader.get_template(name)
    # A 500 renders without context processors: they may need what just failed.
    body = template.render(context, request if with_context else None)
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def ratelimited(request, exception=None):
    return error_page(request, 429)


def server_error(request):
    return error_page(request, 500, with_context=False)
