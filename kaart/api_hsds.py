"""The HSDS 3.0 API of a gemeente's sociale kaart: /api/hsds/<gemeente>/ with /services,
/services/{id}, /organizations, /organizations/{id} and /export (the full export, streamed).

Public and read-only like the kaart itself (no login); only public fields (kaart.hsds). Paging
as HSDS prescribes (page, per_page; total_items, total_pages, ...), filters modified_after,
organization_id, taxonomy_term_id and search. Errors are Dutch JSON."""

import datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from core import exports
from core.models import Gemeente
from kaart import hsds, selectors
from kaart.models import Aanbieder

MAX_PER_PAGE = 500


class Fout(Exception):
    pass


def _gemeente(slug):
    return get_object_or_404(Gemeente, slug=slug)


def _int(request, name, default, low, high):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Fout(f"{name} moet een geheel getal zijn.") from None
    if not low <= value <= high:
        raise Fout(f"{name} moet tussen {low} en {high} liggen.")
    return value


def _modified_after(request):
    raw = request.GET.get("modified_after")
    if not raw:
        return None
    moment = parse_datetime(raw.replace(" ", "+"))
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise Fout("modified_after moet een datum of datum en tijd zijn (ISO 8601).")
        moment = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _page(request, qs, serialize):
    page = _int(request, "page", 1, 1, 10**6)
    per_page = _int(request, "per_page", 50, 1, MAX_PER_PAGE)
    total = qs.count()
    rows = list(qs[(page - 1) * per_page: page * per_page])
    return hsds.pagina([serialize(r) for r in rows], total, page, per_page)


def json_view(fn):
    @require_GET
    def view(request, *args, **kwargs):
        try:
            return JsonResponse(fn(request, *args, **kwargs), json_dumps_params={
                "ensure_ascii": False})
        except Fout as exc:
            return JsonResponse({"fout": str(exc)}, status=400)
        except Http404:
            return JsonResponse({"fout": "Niet gevonden."}, status=404)
    return view


@json_view
def root(request, gemeente):
    g = _gemeente(gemeente)
    return {"version": "3.0", "profile": "https://docs.openreferral.org/en/latest/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/"
                           "schema/openapi.json",
            "publisher": g.naam}


@json_view
def services(request, gemeente):
    g = _gemeente(gemeente)
    qs = hsds.gepubliceerd(g)
    moment = _modified_after(request)
    if moment:
        qs = qs.filter(gewijzigd_op__gt=moment)
    if request.GET.get("organization_id"):
        aanbieder = Aanbieder.objects.filter(gemeente=g, uuid__in=_uuids(
            request.GET["organization_id"])).first()
        qs = qs.filter(organisatie_id=getattr(aanbieder, "organisatie_id", None))
    if request.GET.get("taxonomy_term_id"):
        qs = qs.filter(levensdomeinen__uuid__in=_uuids(request.GET["taxonomy_term_id"]))
    if request.GET.get("search"):
        qs = selectors.zoek(qs, g, selectors.Zoekvraag(tekst=request.GET["search"][:100]))
    qs = hsds.met_relaties(qs).order_by("pk")
    full = request.GET.get("full") in ("true", "1")
    return _page(request, qs, hsds.service_full if full else hsds.service_list)


def _uuids(raw):
    import uuid

    try:
        return [uuid.UUID(raw)]
    except ValueError:
        raise Fout("Deze id is geen geldige UUID.") from None


@json_view
def service(request, gemeente, id):
    g = _gemeente(gemeente)
    a = get_object_or_404(hsds.met_relaties(hsds.gepubliceerd(g)), uuid=id)
    return hsds.service_full(a)


def _organisaties(g):
    return (Aanbieder.objects.filter(gemeente=g, organisatie__aanbod__in=hsds.gepubliceerd(g))
            .distinct().select_related("organisatie").order_by("pk"))


@json_view
def organizations(request, gemeente):
    g = _gemeente(gemeente)
    return _page(request, _organisaties(g), lambda a: hsds.organization_list(a.organisatie))


@json_view
def organization(request, gemeente, id):
    g = _gemeente(gemeente)
    aanbieder = get_object_or_404(_organisaties(g), uuid=id)
    org = aanbieder.organisatie
    prefetch_related_objects([org], Prefetch("kaart_locaties",
                                             queryset=hsds.locaties_met_relaties()))
    diensten = hsds.gepubliceerd(g).filter(organisatie=org).select_related(
        "organisatie__aanbieder").order_by("pk")
    return hsds.organization_full(org, diensten)


@require_GET
def export(request, gemeente):
    g = _gemeente(gemeente)
    return exports.file_response(f"hsds-{g.slug}.json", hsds.export_chunks(g),
                                 "application/json; charset=utf-8")


