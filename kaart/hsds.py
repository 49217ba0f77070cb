"""HSDS 3.0 (Open Referral) out and in: the JSON of services and organizations per gemeente.

Mapping: Aanbod → service, network.Organisatie (with its kaart.Aanbieder UUID) → organization,
Locatie → location (+ address, phones, schedules), Openingstijd → a WEEKLY schedule,
Uitzondering → a schedule valid on one day, Levensdomein → attribute with a taxonomy_term,
kosten → cost_options, talen → languages. Rows that have no UUID of their own (phones,
addresses, service_at_location, ...) get a stable uuid5 derived from their parent, so the same
data always gives the same ids. Only public fields leave: the professional's referral text and
contact person never do.
"""

import datetime
import decimal
import json
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaart import versheid
from kaart.models import (
    Aanbieder,
    Aanbod,
    KaartInstelling,
    Levensdomein,
    Locatie,
)
from network.models import Organisatie

STATUS = {Aanbod.Status.ACTIEF: "active", Aanbod.Status.TIJDELIJK_GESLOTEN: "temporarily closed",
          Aanbod.Status.BEEINDIGD: "defunct"}
STATUS_IN = {v: k for k, v in STATUS.items()} | {"inactive": Aanbod.Status.TIJDELIJK_GESLOTEN}
DAGEN = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
APPLICATION = {Aanbod.Aanmelden.DIRECT: "Zelf aanmelden.",
               Aanbod.Aanmelden.VERWIJZING: "Verwijzing nodig.",
               Aanbod.Aanmelden.WACHTTIJD: "Zelf aanmelden; er is een wachttijd."}
TAXONOMY_ID = uuid.UUID("6f1c3a52-1b7e-5d2a-9a57-3b4b1d6a0c11")  # "levensdomeinen" taxonomy


def afgeleid(parent: uuid.UUID, soort: str) -> str:
    return str(uuid.uuid5(parent, soort))


def _clean(d: dict) -> dict:
    """HSDS fields are strings/numbers, not null: leave out what is empty."""
    return {k: v for k, v in d.items() if v not in (None, "", [])}


def _jaren(maanden: int) -> float:
    return float(round(decimal.Decimal(maanden) / 12, 2))


def _maanden(jaren) -> int:
    return int(round(float(jaren) * 12))


def _tijd(t: datetime.time) -> str:
    return t.strftime("%H:%M")


# Out ---------------------------------------------------------------------------------------

def gepubliceerd(gemeente):
    """What the HSDS API publishes: what the public kaart shows, and ended aanbod (defunct) so
    other systems close it too."""
    instelling = KaartInstelling.voor(gemeente)
    return Aanbod.objects.filter(gemeente=gemeente).filter(
        versheid.op_kaart_filter(instelling) | Q(status=Aanbod.Status.BEEINDIGD))


def _vooraf(naam, queryset=None):
    """Prefetch into a plain list `hsds_<naam>`: without a QuerySet built per row, which
    dominated the full export's time."""
    return Prefetch(naam, queryset=queryset, to_attr=f"hsds_{naam}")


def _gehaald(obj, naam) -> list:
    """The related rows as prefetched by _vooraf, or else read now."""
    rows = getattr(obj, f"hsds_{naam}", None)
    return rows if rows is not None else list(getattr(obj, naam).all())


def locaties_met_relaties():
    """Locaties with everything location() reads, so serialising them asks nothing more."""
    return Locatie.objects.select_related("organisatie__aanbieder", "buurt").prefetch_related(
        _vooraf("openingstijden"), _vooraf("uitzonderingen"))


def met_relaties(qs):
    return qs.select_related("organisatie__aanbieder", "gemeente").prefetch_related(
        _vooraf("levensdomeinen"), _vooraf("locaties", locaties_met_relaties()))


def organization_id(organisatie) -> str:
    aanbieder = getattr(organisatie, "aanbieder", None)
    if aanbieder is None:
        from kaart.services import aanbieder_van

        aanbieder = aanbieder_van(organisatie)
    return str(aanbieder.uuid)


def _soort(org) -> str:
    """The organisatie's type in words: one translation lookup (get_type_display hashes every
    lazy label of the choices on each call, which dominated the export)."""
    try:
        return str(Organisatie.Type(org.type).label)
    except ValueError:
        return org.type


def organization_list(org) -> dict:
    return _clean({"id": organization_id(org), "name": org.naam,
                   "description": org.beschrijving or _soort(org),
                   "email": org.email, "website": org.website})


def _schedules(locatie, link: dict) -> list:
    result = [_clean({"id": str(o.uuid), **link, "freq": "WEEKLY", "wkst": "MO",
                      "byday": DAGEN[o.weekdag - 1], "opens_at": _tijd(o.open),
                      "closes_at": _tijd(o.sluit)}) for o in _gehaald(locatie, "openingstijden")]
    for u in _gehaald(locatie, "uitzonderingen"):
        result.append(_clean({
            "id": afgeleid(locatie.uuid, f"uitzondering:{u.datum.isoformat()}"), **link,
            "valid_from": u.datum.isoformat(), "valid_to": u.datum.isoformat(),
            "opens_at": "" if u.gesloten else _tijd(u.open),
            "closes_at": "" if u.gesloten else _tijd(u.sluit),
            "description": (_("Gesloten") if u.gesloten else _("Afwijkende tijden"))
            + (f": {u.reden}" if u.reden else "")}))
    return result


def location(locatie) -> dict:
    return _clean({
        "id": str(locatie.uuid), "location_type": "physical",
        "organization_id": organization_id(locatie.organisatie), "name": locatie.naam,
        "description": locatie.buurt.naam if locatie.buurt_id else "",
        "latitude": float(locatie.latitude) if locatie.latitude is not None else None,
        "longitude": float(locatie.longitude) if locatie.longitude is not None else None,
        "external_identifier": locatie.buurt.code if locatie.buurt_id else "",
        "external_identifier_type": "CBS-buurtcode" if locatie.buurt_id else "",
        "addresses": [{"id": afgeleid(locatie.uuid, "address"), "location_id": str(locatie.uuid),
                       "address_1": locatie.adres, "city": locatie.plaats,
                       "state_province": "", "postal_code": locatie.postcode,
                       "country": "NL", "address_type": "physical"}],
        "phones": [{"id": afgeleid(locatie.uuid, "phone"), "location_id": str(locatie.uuid),
                    "number": locatie.telefoon}] if locatie.telefoon else [],
        "accessibility": [{"id": afgeleid(locatie.uuid, "accessibility"),
                           "location_id": str(locatie.uuid),
                           "description": locatie.toegankelijkheid}]
        if locatie.toegankelijkheid else [],
        "schedules": _schedules(locatie, {"location_id": str(locatie.uuid)}),
    })


def _taxonomy_term(domein) -> dict:
    return {"id": str(domein.uuid), "code": domein.code, "name": domein.naam,
            "description": domein.naam, "taxonomy": "levensdomeinen",
            "taxonomy_id": str(TAXONOMY_ID), "language": "nl"}


def service_list(a) -> dict:
    beschrijving = a.korte_beschrijving + (f"\n\n{a.beschrijving}" if a.beschrijving else "")
    kosten = {Aanbod.Kosten.GRATIS: _("Gratis"),
              Aanbod.Kosten.INKOMEN: _("De prijs hangt af van het inkomen"),
              Aanbod.Kosten.PRIJS: _("Betaald")}[a.kosten]
    return _clean({
        "id": str(a.uuid), "organization_id": organization_id(a.organisatie), "name": a.naam,
        "alternate_name": a.korte_beschrijving, "description": beschrijving, "url": a.website,
        "email": a.email, "status": STATUS[a.status],
        "application_process": " ".join(filter(None, [APPLICATION[a.aanmelden],
                                                      a.aanmelden_toelichting])),
        "wait_time": a.wachttijd,
        "fees_description": ". ".join(filter(None, [kosten, a.kosten_toelichting])),
        "eligibility_description": a.doelgroep,
        "minimum_age": _jaren(a.leeftijd_van), "maximum_age": _jaren(a.leeftijd_tot),
        "assured_date": a.gecontroleerd_op.isoformat() if a.gecontroleerd_op else "",
        "last_modified": timezone.localtime(a.gewijzigd_op).isoformat(timespec="milliseconds"),
    })


def service_full(a) -> dict:
    sid = str(a.uuid)
    data = service_list(a)
    data["organization"] = organization_list(a.organisatie)
    data["phones"] = [{"id": afgeleid(a.uuid, "phone"), "service_id": sid,
                       "number": a.telefoon}] if a.telefoon else []
    data["languages"] = [{"id": afgeleid(a.uuid, f"language:{code}"), "service_id": sid,
                          "code": code} for code in a.taalcodes()]
    data["cost_options"] = [_clean({
        "id": afgeleid(a.uuid, "cost"), "service_id": sid, "currency": "EUR",
        "option": a.kosten,
        "amount": float(a.prijs) if a.prijs is not None else None,
        "amount_description": a.kosten_toelichting})]
    data["attributes"] = [{"id": afgeleid(a.uuid, f"attribute:{d.uuid}"), "link_id": sid,
                           "link_type": "levensdomein", "link_entity": "service",
                           "taxonomy_term_id": str(d.uuid), "taxonomy_term": _taxonomy_term(d)}
                          for d in _gehaald(a, "levensdomeinen")]
    data["service_at_locations"] = [{
        "id": afgeleid(a.uuid, f"sal:{loc.uuid}"), "service_id": sid,
        "location_id": str(loc.uuid), "location": location(loc)} for loc in _gehaald(a, "locaties")]
    return _clean(data)


def organization_full(org, services) -> dict:
    oid = organization_id(org)
    data = organization_list(org)
    data["phones"] = [{"id": afgeleid(uuid.UUID(oid), "phone"), "organization_id": oid,
                       "number": org.telefoon}] if org.telefoon else []
    data["locations"] = [location(loc) for loc in org.kaart_locaties.all()]
    data["services"] = [service_list(a) for a in services]
    return _clean(data)


def pagina(items: list, total: int, page: int, per_page: int) -> dict:
    total_pages = max(1, -(-total // per_page))
    return {"total_items": total, "total_pages": total_pages, "page_number": page,
            "size": len(items), "first_page": page == 1, "last_page": page >= total_pages,
            "empty": total == 0, "contents": items}


EXPORT_PIECE = 64 * 1024  # characters per piece sent: whole services, about this size


def export_chunks(gemeente, chunk_size: int = 500):
    """The full export as JSON text pieces: {"services": [full service, ...]}. Streamed: the
    services are read `chunk_size` at a time (a server-side cursor on PostgreSQL, with the
    related rows prefetched per chunk) and sent in pieces of whole services, so memory stays
    bounded whatever the number of services."""
    yield '{"hsds_version": "3.0", "gemeente": ' + json.dumps(gemeente.cbs_code) + \
        ', "services": ['
    qs = met_relaties(gepubliceerd(gemeente)).order_by("pk")
    piece, size, separator = [], 0, ""
    for a in qs.iterator(chunk_size=chunk_size):
        text = separator + json.dumps(service_full(a), ensure_ascii=False)
        separator = ","
        piece.append(text)
        size += len(text)
        if size >= EXPORT_PIECE:
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece) + "]}"


# In ----------------------------------------------------------------------------------------

class HsdsFout(ValidationError):
    pass


def _fout(waar, exc, model):
    """A model's ValidationError as one Dutch line naming the fields."""
    if hasattr(exc, "error_dict"):
        delen = []
        for veld, fouten in exc.message_dict.items():
            try:
                label = model._meta.get_field(veld).verbose_name
            except Exception:
                label = ""
            delen.append(f"{label}: {' '.join(fouten)}" if label else " ".join(fouten))
        return HsdsFout(f"{waar}: {'; '.join(delen)}")
    return HsdsFout(f"{waar}: {'; '.join(exc.messages)}")


def _services_uit(data) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("services", "contents"):
            if isinstance(data.get(key), list):
                return data[key]
        if "id" in data and "name" in data:
            return [data]
    raise HsdsFout(_("Dit is geen HSDS-bestand met services."))


def _uuid(value, waar):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise HsdsFout(_("%(waar)s: '%(id)s' is geen geldige id (UUID).")
                       % {"waar": waar, "id": value}) from None


def _van_elders(model, uid, gemeente):
    return model.objects.filter(uuid=uid).exclude(gemeente=gemeente).exists()


@transaction.atomic
def importeer(actor, gemeente, data, *, check_permission=True) -> dict:
    """Import HSDS services (with their organization and locations) into `gemeente`. Ids are
    kept, so importing the same file again changes nothing. All or nothing: any error raises
    HsdsFout (Dutch, with the service's position) and nothing is stored."""
    from core import policy
    from kaart import services as kaart_services

    if check_permission:
        policy.require(actor, policy.ADD, Aanbod(gemeente=gemeente))
    telling = {"aangemaakt": 0, "bijgewerkt": 0, "ongewijzigd": 0}
    domeinen = {str(d.uuid): d for d in Levensdomein.objects.all()}
    domeinen.update({d.code: d for d in domeinen.values()})
    for nr, s in enumerate(_services_uit(data), start=1):
        waar = _("Service %(nr)s") % {"nr": nr}
        if not isinstance(s, dict) or not s.get("name") or not s.get("id"):
            raise HsdsFout(_("%(waar)s: id en name zijn verplicht.") % {"waar": waar})
        org = _organisatie(actor, gemeente, s, waar)
        sid = _uuid(s["id"], waar)
        if _van_elders(Aanbod, sid, gemeente):
            raise HsdsFout(_("%(waar)s: deze id hoort bij een andere gemeente.") % {"waar": waar})
        aanbod = Aanbod.objects.filter(gemeente=gemeente, uuid=sid).first() or Aanbod(
            gemeente=gemeente, uuid=sid)
        nieuw = aanbod.pk is None
        voor = kaart_services.huidige_waarden(aanbod) if not nieuw else None
        locaties = [_locatie(actor, gemeente, org, sal.get("location") or {}, waar)
                    for sal in s.get("service_at_locations") or []]
        _velden(aanbod, s, org, waar)
        try:
            dom = [domeinen[str(att["taxonomy_term"].get("id"))] if str(
                att["taxonomy_term"].get("id")) in domeinen else domeinen[
                att["taxonomy_term"].get("code")]
                for att in s.get("attributes") or [] if att.get("taxonomy_term")]
        except KeyError:
            raise HsdsFout(_("%(waar)s: onbekend levensdomein.") % {"waar": waar}) from None
        oude_locaties = set() if nieuw else {loc.pk for loc in aanbod.locaties.all()}
        oude_domeinen = set() if nieuw else {d.pk for d in aanbod.levensdomeinen.all()}
        gelijk = (not nieuw and voor == kaart_services.huidige_waarden(aanbod)
                  and oude_locaties == {loc.pk for loc in locaties}
                  and oude_domeinen == {d.pk for d in dom})
        if gelijk:
            telling["ongewijzigd"] += 1
            continue
        try:
            kaart_services.save_aanbod(actor, aanbod, levensdomeinen=dom, locaties=locaties,
                                       check_permission=check_permission)
        except ValidationError as exc:
            raise _fout(waar, exc, Aanbod) from None
        telling["aangemaakt" if nieuw else "bijgewerkt"] += 1
    return telling


def _velden(aanbod, s, org, waar):
    aanbod.organisatie = org
    aanbod.naam = s["name"][:200]
    kort = s.get("alternate_name") or ""
    beschrijving = s.get("description") or ""
    if kort and beschrijving.startswith(kort):
        beschrijving = beschrijving[len(kort):].strip()
    aanbod.korte_beschrijving = (kort or beschrijving)[:200]
    aanbod.beschrijving = beschrijving if kort else ""
    aanbod.website = s.get("url") or ""
    aanbod.email = s.get("email") or ""
    status = s.get("status")
    if status not in STATUS_IN:
        raise HsdsFout(_("%(waar)s: onbekende status '%(s)s'.") % {"waar": waar, "s": status})
    aanbod.status = STATUS_IN[status]
    aanbod.wachttijd = (s.get("wait_time") or "")[:100]
    aanbod.doelgroep = (s.get("eligibility_description") or "")[:200]
    proces = s.get("application_process") or ""
    aanbod.aanmelden = Aanbod.Aanmelden.DIRECT
    for key, tekst in APPLICATION.items():
        if proces.startswith(tekst):
            aanbod.aanmelden, proces = key, proces[len(tekst):].strip()
            break
    aanbod.aanmelden_toelichting = proces
    if s.get("minimum_age") is not None:
        aanbod.leeftijd_van = _maanden(s["minimum_age"])
    if s.get("maximum_age") is not None:
        aanbod.leeftijd_tot = _maanden(s["maximum_age"])
    phones = s.get("phones") or []
    aanbod.telefoon = phones[0]["number"][:30] if phones else ""
    talen = [lang.get("code") for lang in s.get("languages") or [] if lang.get("code")]
    aanbod.talen = ", ".join(talen)
    kosten = (s.get("cost_options") or [{}])[0]
    option = kosten.get("option")
    aanbod.kosten = option if option in Aanbod.Kosten.values else (
        Aanbod.Kosten.PRIJS if kosten.get("amount") else Aanbod.Kosten.GRATIS)
    aanbod.prijs = (decimal.Decimal(str(kosten["amount"])).quantize(decimal.Decimal("0.01"))
                    if kosten.get("amount") is not None else None)
    aanbod.kosten_toelichting = (kosten.get("amount_description") or "")[:300]
    if s.get("assured_date"):
        try:
            aanbod.gecontroleerd_op = datetime.date.fromisoformat(s["assured_date"])
        except ValueError:
            raise HsdsFout(_("%(waar)s: assured_date is geen datum.") % {"waar": waar}) from None
        aanbod.gecontroleerd_door = _("HSDS-import")
        instelling = KaartInstelling.voor(aanbod.gemeente)
        aanbod.controle_voor = versheid.plus_maanden(aanbod.gecontroleerd_op,
                                                     instelling.controle_maanden)


def _organisatie(actor, gemeente, s, waar):
    data = s.get("organization") or {}
    oid = data.get("id") or s.get("organization_id")
    if not oid:
        raise HsdsFout(_("%(waar)s: de organisatie ontbreekt.") % {"waar": waar})
    oid = _uuid(oid, waar)
    aanbieder = Aanbieder.objects.filter(uuid=oid).select_related("organisatie").first()
    if aanbieder is not None:
        if aanbieder.gemeente_id != gemeente.pk:
            raise HsdsFout(_("%(waar)s: de organisatie hoort bij een andere gemeente.")
                           % {"waar": waar})
        return aanbieder.organisatie
    naam = (data.get("name") or "").strip()
    if not naam:
        raise HsdsFout(_("%(waar)s: de organisatie is onbekend en heeft geen naam.")
                       % {"waar": waar})
    org = Organisatie.objects.filter(gemeente=gemeente, naam=naam).first()
    if org is None:
        from core.services import save_object

        org = save_object(actor, Organisatie(
            gemeente=gemeente, naam=naam[:200], type=Organisatie.Type.OVERIG,
            beschrijving=data.get("description") or "", website=data.get("website") or "",
            email=data.get("email") or ""), check_permission=False)
    if hasattr(org, "aanbieder"):
        raise HsdsFout(_("%(waar)s: organisatie '%(naam)s' heeft al een andere id.")
                       % {"waar": waar, "naam": naam})
    Aanbieder.objects.create(gemeente=gemeente, organisatie=org, uuid=oid)
    return org


def _locatie(actor, gemeente, org, data, waar):
    from kaart import services as kaart_services

    lid = _uuid(data.get("id"), waar)
    if _van_elders(Locatie, lid, gemeente):
        raise HsdsFout(_("%(waar)s: een locatie hoort bij een andere gemeente.")
                       % {"waar": waar})
    locatie = Locatie.objects.filter(uuid=lid).first() or Locatie(
        gemeente=gemeente, uuid=lid, organisatie=org)
    adres = (data.get("addresses") or [{}])[0]
    phones = data.get("phones") or []
    access = data.get("accessibility") or []
    waarden = {
        "naam": (data.get("name") or adres.get("address_1") or "")[:200],
        "adres": (adres.get("address_1") or "")[:200],
        "postcode": (adres.get("postal_code") or "")[:7],
        "plaats": (adres.get("city") or "")[:100],
        "telefoon": phones[0]["number"][:30] if phones else "",
        "toegankelijkheid": access[0].get("description", "") if access else "",
        "latitude": (decimal.Decimal(str(data["latitude"])).quantize(decimal.Decimal("0.000001"))
                     if data.get("latitude") is not None else None),
        "longitude": (decimal.Decimal(str(data["longitude"])).quantize(
            decimal.Decimal("0.000001")) if data.get("longitude") is not None else None),
    }
    tijden = []
    for sch in data.get("schedules") or []:
        if sch.get("freq") == "WEEKLY" and sch.get("byday") and sch.get("opens_at"):
            for dag in sch["byday"].split(","):
                if dag.strip() in DAGEN:
                    tijden.append((DAGEN.index(dag.strip()) + 1,
                                   datetime.time.fromisoformat(sch["opens_at"][:5]),
                                   datetime.time.fromisoformat(sch["closes_at"][:5])))
    bestaand = sorted((o.weekdag, o.open, o.sluit) for o in locatie.openingstijden.all()) \
        if locatie.pk else None
    veranderd = locatie.pk is None or any(
        getattr(locatie, k) != v for k, v in waarden.items()
        if k not in ("latitude", "longitude")) or any(
        (getattr(locatie, k) is None) != (v is None) or (v is not None and getattr(
            locatie, k) != v) for k, v in waarden.items() if k in ("latitude", "longitude"))
    if veranderd:
        for k, v in waarden.items():
            setattr(locatie, k, v)
        try:
            kaart_services.save_locatie(actor, locatie, check_permission=False)
        except ValidationError as exc:
            raise _fout(waar, exc, Locatie) from None
    if bestaand != sorted(tijden):
        kaart_services.zet_openingstijden(actor, locatie, tijden, check_permission=False)
    return locatie


