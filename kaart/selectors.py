"""Reads of the sociale kaart, always within one gemeente: the search, lists, freshness counts,
and the counts for the Klaverblad coverage matrix."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from framework.models import DoelKoppeling
from framework.selectors import prefetch_doelen
from kaart import versheid, zoeken
from kaart.models import (
    Aanbod,
    KaartInstelling,
    Locatie,
    Melding,
    Openingstijd,
    Uitzondering,
    Wijzigingsverzoek,
    Zoekterm,
    normaliseer_postcode,
)
from regions.models import Gebied, Region


@dataclass
class Zoekvraag:
    """What a visitor asks: text and filters (all optional)."""

    tekst: str = ""
    leeftijd_maanden: int | None = None
    regio: Region | None = None  # a wijk or a buurt
    levensdomein: str = ""  # Levensdomein.code
    doel_id: int | None = None
    gratis: bool = False
    nu_open: bool = False
    gebied: Gebied | None = None  # the coverage page's link: the buurten of a gebied
    punt: tuple | None = None  # (latitude, longitude) of a postcode
    afstand_km: float | None = None
    postcode_onbekend: bool = False  # no locatie with coordinates in that postcode area
    # Filled in by zoek(): the terms used, and corrections made for typos.
    termen: list = field(default_factory=list)
    verbeterd: dict = field(default_factory=dict)


def _open_meldingen():
    return Count("meldingen", filter=Q(meldingen__status=Melding.Status.OPEN), distinct=True)


def basis_queryset(gemeente):
    return (Aanbod.objects.filter(gemeente=gemeente).select_related("gemeente", "organisatie"))


def publiek_aanbod(gemeente, instelling=None):
    """What the public kaart shows: actief or tijdelijk gesloten, and not stale (18 months)."""
    instelling = instelling or KaartInstelling.voor(gemeente)
    return basis_queryset(gemeente).filter(
        versheid.op_kaart_filter(instelling),
        status__in=[Aanbod.Status.ACTIEF, Aanbod.Status.TIJDELIJK_GESLOTEN])


def professioneel_aanbod(gemeente):
    """Professionals also see stale aanbod (marked), never beëindigd aanbod in the search."""
    return basis_queryset(gemeente).exclude(status=Aanbod.Status.BEEINDIGD)


def _match_expression(groups: list[list[str]]) -> str:
    """Each group: alternatives (a term and its typo corrections), all groups must match."""
    if connection.vendor == "postgresql":
        return " & ".join("(" + " | ".join(f"{t}:*" for t in g) + ")" for g in groups)
    return " AND ".join("(" + " OR ".join(f'"{t}"*' for t in g) + ")" for g in groups)


def _tekst_filter(qs, groups):
    expression = _match_expression(groups)
    if connection.vendor == "postgresql":
        return qs.extra(where=["to_tsvector('simple', kaart_aanbod.zoektekst) @@ "
                               "to_tsquery('simple', %s)"], params=[expression])
    return qs.extra(where=["kaart_aanbod.id IN (SELECT rowid FROM kaart_aanbod_fts "
                           "WHERE kaart_aanbod_fts MATCH %s)"], params=[expression])


def _verbeter(gemeente, term: str) -> list[str]:
    """Indexed terms one edit away from `term` that nothing matched (typo tolerance)."""
    if len(term) < 3:
        return []
    if Zoekterm.objects.filter(gemeente=gemeente, term__startswith=term).exists():
        return []
    kandidaten = Zoekterm.objects.filter(
        gemeente=gemeente, term__startswith=term[0]).values_list("term", flat=True)
    found = []
    for kandidaat in kandidaten.iterator():
        if zoeken.een_bewerking(term, kandidaat[: len(term) + 1]) or zoeken.een_bewerking(
                term, kandidaat[: len(term)]) or zoeken.een_bewerking(term, kandidaat):
            found.append(kandidaat)
    return sorted(set(found), key=len)[:5]


def regio_buurt_ids(regio) -> list[int]:
    if regio.soort == Region.Soort.BUURT:
        return [regio.pk]
    return list(Region.objects.filter(parent=regio).values_list("pk", flat=True))


def gebied_buurt_ids(gebied) -> set[int]:
    """The buurten of a gebied: its own buurten and those of its wijken."""
    buurten = set()
    for regio in gebied.regions.all():
        buurten.update(regio_buurt_ids(regio))
    return buurten


AanbodLocatie = Aanbod.locaties.through


def _aanbod_op_locatie(**where) -> Exists:
    """EXISTS (a locatie of this aanbod that meets `where`): one row per aanbod, however many
    locaties match, and a plan both databases run as a semi-join."""
    return Exists(AanbodLocatie.objects.filter(aanbod_id=OuterRef("pk"), **where))


def nu_open_filter(moment: datetime.datetime) -> Exists:
    """Aanbod with a locatie open at `moment`: a day's exception overrules the week."""
    moment = timezone.localtime(moment)
    tijd, dag = moment.time(), moment.date()
    regulier = Openingstijd.objects.filter(locatie_id=OuterRef("locatie_id"),
                                           weekdag=moment.isoweekday(),
                                           open__lte=tijd, sluit__gt=tijd)
    afwijkend_open = Uitzondering.objects.filter(locatie_id=OuterRef("locatie_id"), datum=dag,
                                                 gesloten=False, open__lte=tijd, sluit__gt=tijd)
    afwijkend = Uitzondering.objects.filter(locatie_id=OuterRef("locatie_id"), datum=dag)
    return Exists(AanbodLocatie.objects.filter(aanbod_id=OuterRef("pk")).filter(
        (Exists(regulier) & ~Exists(afwijkend)) | Exists(afwijkend_open)))


def punt_bij_postcode(gemeente, postcode: str):
    """(latitude, longitude) for a postcode, from the kaart's own locaties (no external service
    at run time): the mean position of the locaties with coordinates in that PC6, else in its
    PC4 area. None when no such locatie exists."""
    pc = normaliseer_postcode(postcode)
    if len(pc) < 4 or not pc[:4].isdigit():
        return None
    met_punt = Locatie.objects.filter(gemeente=gemeente, latitude__isnull=False,
                                      longitude__isnull=False)
    for rows in (met_punt.filter(postcode=pc) if len(pc) == 6 else met_punt.none(),
                 met_punt.filter(postcode__startswith=pc[:4])):
        punten = list(rows.values_list("latitude", "longitude"))
        if punten:
            return (sum(float(p[0]) for p in punten) / len(punten),
                    sum(float(p[1]) for p in punten) / len(punten))
    return None


def afstand_km(a, b) -> float:
    """Distance between two (latitude, longitude) points; the equirectangular approximation,
    within a few metres of the great circle over the distances of a gemeente."""
    lat = math.radians((a[0] + b[0]) / 2)
    dx = math.radians(b[1] - a[1]) * math.cos(lat)
    dy = math.radians(b[0] - a[0])
    return 6371.0 * math.hypot(dx, dy)


def binnen_afstand(locaties, punt, km: float) -> list[int]:
    """The pks of the locaties within `km` of `punt`: a bounding box in the database, the
    exact distance over the few rows in the box."""
    lat, lon = punt
    dlat = km / 111.2
    dlon = km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    box = locaties.filter(
        latitude__range=(Decimal(str(round(lat - dlat, 6))), Decimal(str(round(lat + dlat, 6)))),
        longitude__range=(Decimal(str(round(lon - dlon, 6))),
                          Decimal(str(round(lon + dlon, 6)))))
    return [pk for pk, la, lo in box.values_list("pk", "latitude", "longitude")
            if afstand_km(punt, (float(la), float(lo))) <= km]


def zoek(queryset, gemeente, vraag: Zoekvraag, *, moment=None):
    """Filter an aanbod queryset by the visitor's question; best first (by name).

    Every filter is a condition on the aanbod row itself: the text match (the full-text
    index), the age columns, and EXISTS for what hangs off it (locaties, levensdomeinen,
    doelen, opening hours). No joins that repeat rows, so no DISTINCT and no `pk IN (...)`
    wrapping: each database plans the cheapest condition first."""
    qs = queryset
    groups = []
    for term in zoeken.query_termen(vraag.tekst):
        extra = _verbeter(gemeente, term)
        if extra:
            vraag.verbeterd[term] = extra
        groups.append([term, *extra])
    vraag.termen = [g[0] for g in groups]
    if groups:
        qs = _tekst_filter(qs, groups)
    if vraag.leeftijd_maanden is not None:
        qs = qs.filter(leeftijd_van__lte=vraag.leeftijd_maanden,
                       leeftijd_tot__gte=vraag.leeftijd_maanden)
    if vraag.regio is not None:
        qs = qs.filter(_aanbod_op_locatie(locatie__buurt_id__in=regio_buurt_ids(vraag.regio)))
    if vraag.gebied is not None:
        qs = qs.filter(_aanbod_op_locatie(
            locatie__buurt_id__in=sorted(gebied_buurt_ids(vraag.gebied))))
    if vraag.punt is not None and vraag.afstand_km:
        qs = qs.filter(_aanbod_op_locatie(locatie_id__in=binnen_afstand(
            Locatie.objects.filter(gemeente=gemeente), vraag.punt, vraag.afstand_km)))
    if vraag.levensdomein:
        qs = qs.filter(Exists(Aanbod.levensdomeinen.through.objects.filter(
            aanbod_id=OuterRef("pk"), levensdomein__code=vraag.levensdomein)))
    if vraag.doel_id:
        qs = qs.filter(Exists(DoelKoppeling.objects.filter(
            content_type=ContentType.objects.get_for_model(Aanbod), object_id=OuterRef("pk"),
            doel_id=vraag.doel_id)))
    if vraag.gratis:
        qs = qs.filter(kosten=Aanbod.Kosten.GRATIS)
    if vraag.nu_open:
        qs = qs.filter(nu_open_filter(moment or timezone.now()))
    return qs.order_by("naam", "pk")


def met_details(qs):
    """Prefetch what a result card shows (locaties, domeinen, doelen, open reports)."""
    return qs.annotate(n_open_meldingen=_open_meldingen()).prefetch_related(
        "levensdomeinen", prefetch_doelen(),
        Prefetch("locaties", queryset=Locatie.objects.select_related("buurt").prefetch_related(
            "openingstijden", "uitzonderingen")))


def met_versheid(aanbod_list, instelling, vandaag=None):
    """Set .versheid (tier) and .versheid_label on each aanbod."""
    for a in aanbod_list:
        a.versheid = versheid.niveau(a, instelling,
                                     open_meldingen=getattr(a, "n_open_meldingen", 0),
                                     vandaag=vandaag)
        a.versheid_label = versheid.LABELS[a.versheid]
    return aanbod_list


def aanbod_detail_queryset(gemeente):
    return met_details(basis_queryset(gemeente).select_related("contactpersoon"))


def wijzigingsverzoeken(user, gemeente):
    from core import policy

    qs = Wijzigingsverzoek.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "aanbod__gemeente", "locatie__gemeente", "ingediend_door")
    if policy.roles(user, gemeente) & {"beleidsmedewerker"}:
        return qs
    orgs = [m.organisatie_id for m in policy.memberships(user)
            if m.gemeente_id == gemeente.pk and m.organisatie_id]
    return qs.filter(Q(aanbod__organisatie_id__in=orgs) | Q(aanbod__isnull=True,
                                                            locatie__organisatie_id__in=orgs))


def meldingen(user, gemeente):
    from core import policy

    qs = Melding.objects.filter(gemeente=gemeente).select_related("gemeente", "aanbod__gemeente")
    if policy.roles(user, gemeente) & {"beleidsmedewerker"}:
        return qs
    orgs = [m.organisatie_id for m in policy.memberships(user)
            if m.gemeente_id == gemeente.pk and m.organisatie_id]
    return qs.filter(aanbod__organisatie_id__in=orgs)


def locaties(user, gemeente):
    return Locatie.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "organisatie", "buurt").prefetch_related("openingstijden", "uitzonderingen")


def uitzonderingen(gemeente):
    """The days with other opening hours of the gemeente's locaties."""
    return Uitzondering.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "locatie__gemeente", "locatie__organisatie")


def versheid_telling(qs, instelling, vandaag=None) -> dict:
    """{tier: n} over a queryset of aanbod (not beëindigd)."""
    vandaag = vandaag or timezone.localdate()
    qs = qs.exclude(status=Aanbod.Status.BEEINDIGD)
    totaal = qs.count()
    op_kaart = qs.filter(versheid.op_kaart_filter(instelling, vandaag))
    actueel = op_kaart.filter(versheid.actueel_filter(instelling, vandaag)).exclude(
        meldingen__status=Melding.Status.OPEN).count()
    verouderd = totaal - op_kaart.count()
    return {versheid.ACTUEEL: actueel, versheid.CONTROLE_NODIG: totaal - actueel - verouderd,
            versheid.VEROUDERD: verouderd, "totaal": totaal}


def actueel_aanbod(gemeente, instelling=None, vandaag=None):
    instelling = instelling or KaartInstelling.voor(gemeente)
    return publiek_aanbod(gemeente, instelling).filter(
        versheid.actueel_filter(instelling, vandaag)).exclude(
        meldingen__status=Melding.Status.OPEN)


def home_summary(user, gemeente):
    from django.utils.translation import gettext as _

    telling = versheid_telling(Aanbod.objects.filter(gemeente=gemeente),
                               KaartInstelling.voor(gemeente))
    url = reverse("kaart:aanbod-list", kwargs={"gemeente": gemeente.slug})
    return [(_("%(n)s aanbod, waarvan %(a)s actueel") % {
        "n": telling["totaal"], "a": telling[versheid.ACTUEEL]}, url)]


def dekking_counts(user, gemeente, doel_ids):
    """{(doel_id, gebied_id): number of current aanbod at a locatie in the gebied}; one query."""
    buurt_in_gebied = Gebied.regions.through.objects.filter(gebied__gemeente=gemeente)
    pairs = {}
    for gebied_id, region_id in buurt_in_gebied.values_list("gebied_id", "region_id"):
        pairs.setdefault(region_id, set()).add(gebied_id)
    # Wijken in a gebied count with their buurten.
    for region_id, parent_id in Region.objects.filter(
            parent_id__in=list(pairs)).values_list("pk", "parent_id"):
        pairs.setdefault(region_id, set()).update(pairs[parent_id])
    rows = (actueel_aanbod(gemeente).filter(doel_koppelingen__doel_id__in=doel_ids,
                                            locaties__buurt_id__in=list(pairs))
            .values_list("pk", "doel_koppelingen__doel_id", "locaties__buurt_id").distinct())
    seen = {}
    for aanbod_id, doel_id, buurt_id in rows:
        for gebied_id in pairs.get(buurt_id, ()):
            seen.setdefault((doel_id, gebied_id), set()).add(aanbod_id)
    return {key: len(ids) for key, ids in seen.items()}


def dekking_url(gemeente, doel_id, gebied_id):
    base = reverse("kaart:aanbod-list", kwargs={"gemeente": gemeente.slug})
    return f"{base}?doel={doel_id}&gebied={gebied_id}"


def verwijsroutes(gemeente):
    from kaart.models import Verwijsroute, Verwijsstap

    return Verwijsroute.objects.filter(gemeente=gemeente).select_related(
        "eerst_naar", "regisseur").prefetch_related(
        Prefetch("stappen", queryset=Verwijsstap.objects.select_related("aanbod__gemeente")))
