"""Reads of the sociale kaart, always within one gemeente: the search, lists, freshness counts,
and the counts for the Klaverblad coverage matrix."""

import dataclasses
import datetime
import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.models import Gemeente
from framework.models import DoelKoppeling
from framework.selectors import huidig_klaverblad, prefetch_doelen
from kaart import versheid, zoeken
from kaart.models import (
    Aanbod,
    KaartInstelling,
    Levensdomein,
    Locatie,
    Melding,
    Openingstijd,
    Uitzondering,
    Wijzigingsverzoek,
    Zoekterm,
    normaliseer_postcode,
)
from network.models import Organisatie
from regions.models import Gebied, Region


@dataclass
class Zoekvraag:
    """What a visitor asks: text and filters (all optional)."""

    tekst: str = ""
    leeftijd_maanden: int | None = None
    buurten: list | None = None  # the buurt ids of the chosen wijk or buurt
    levensdomein_id: int | None = None
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
    """The number of open reports of the aanbod, as a correlated subquery rather than a
    COUNT over a join: the pagination's COUNT(*) drops an unused subquery (a join with GROUP
    BY it cannot), and the subquery runs only for the rows of the page."""
    return Coalesce(Subquery(
        Melding.objects.filter(aanbod_id=OuterRef("pk"), status=Melding.Status.OPEN)
        .order_by().values("aanbod_id").annotate(n=Count("pk")).values("n")), 0)


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
        return qs.extra(where=["kaart_aanbod.zoekvector @@ to_tsquery('simple', %s)"],
                        params=[expression])
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


@dataclass(frozen=True)
class Zoekkeuzes:
    """The search form's choice lists for one gemeente: the wijken and buurten of its latest
    CBS indeling (and each wijk's buurten, for the filter), the doelen of the current
    Klaverblad, and the levensdomeinen. Plain values only, so they can be cached."""

    jaar: int | None
    regios: list  # [(pk, label)]: a wijk, then its buurten ("– naam"), by code
    wijk_buurten: dict  # {wijk pk: [buurt pks]} as regio_buurt_ids gives them
    klaverblad_id: int | None
    doelen: list  # [(pk, label)] of the current Klaverblad's doelen
    # The levensdomeinen, the same for every gemeente, are cached on their own and filled in
    # by zoekkeuzes().
    domeinen: list = field(default_factory=list)  # [(code, naam)]
    domein_ids: dict = field(default_factory=dict)  # {code: pk}


ZOEKKEUZES_SECONDEN = 300


def _zoekkeuzes_key(gemeente_id, datum=None) -> str:
    # The date is in the key: the current Klaverblad depends on the day.
    return f"kaart:zoekkeuzes:{gemeente_id}:{(datum or datetime.date.today()).isoformat()}"


DOMEINKEUZES_KEY = "kaart:domeinkeuzes"


def zoekkeuzes(gemeente) -> Zoekkeuzes:
    """The choice lists of ZoekForm, read once and then kept in the cache (every public search
    page shows them; reading them cost five queries a page). Kept for at most
    ZOEKKEUZES_SECONDEN and dropped at once when a region, Klaverblad, doel or levensdomein is
    saved or deleted (kaart.apps connects vergeet_zoekkeuzes)."""
    key = _zoekkeuzes_key(gemeente.pk)
    found = cache.get_many([DOMEINKEUZES_KEY, key])
    domeinen = found.get(DOMEINKEUZES_KEY)
    if domeinen is None:
        domeinen = list(Levensdomein.objects.values_list("pk", "code", "naam"))
        cache.set(DOMEINKEUZES_KEY, domeinen, ZOEKKEUZES_SECONDEN)
    keuzes = found.get(key)
    if keuzes is None:
        keuzes = _lees_zoekkeuzes(gemeente)
        cache.set(key, keuzes, ZOEKKEUZES_SECONDEN)
    return dataclasses.replace(keuzes, domeinen=[(code, naam) for _pk, code, naam in domeinen],
                               domein_ids={code: pk for pk, code, _naam in domeinen})


def _lees_zoekkeuzes(gemeente) -> Zoekkeuzes:
    jaar = Region.objects.filter(gemeente=gemeente, soort=Region.Soort.WIJK).order_by(
        "-jaar").values_list("jaar", flat=True).first()
    rows = list(Region.objects.filter(
        gemeente=gemeente, jaar=jaar, soort__in=[Region.Soort.WIJK, Region.Soort.BUURT]
    ).order_by("code").values_list("pk", "soort", "naam"))
    wijken = [pk for pk, soort, _naam in rows if soort == Region.Soort.WIJK]
    wijk_buurten = {pk: [] for pk in wijken}
    for pk, parent_id in Region.objects.filter(parent_id__in=wijken).values_list(
            "pk", "parent_id"):  # Region's ordering, as regio_buurt_ids
        wijk_buurten[parent_id].append(pk)
    klaverblad = huidig_klaverblad(gemeente)
    doelen = [] if klaverblad is None else [
        (d.pk, d.kort(50)) for d in klaverblad.doelen.order_by("nummer", "pk")]
    return Zoekkeuzes(
        jaar=jaar,
        regios=[(pk, naam if soort == Region.Soort.WIJK else f"– {naam}")
                for pk, soort, naam in rows],
        wijk_buurten=wijk_buurten, klaverblad_id=getattr(klaverblad, "pk", None),
        doelen=doelen)


def _vergeet(key):
    """Drop a cache entry now and again after the commit: a page read in between still saw
    the old rows and may have put them back."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def vergeet_zoekkeuzes(sender, instance, **kwargs):
    """Signal receiver: a region, Kader or Doel of a gemeente, or a levensdomein, changed."""
    if sender is Levensdomein:
        _vergeet(DOMEINKEUZES_KEY)
    elif getattr(instance, "gemeente_id", None):
        _vergeet(_zoekkeuzes_key(instance.gemeente_id))


PUBLIEK_SECONDEN = 300


def _publiek_key(slug) -> str:
    return f"kaart:publiek:{slug}"


def publieke_kaart(slug) -> tuple | None:
    """(gemeente, KaartInstelling) of a public kaart URL, kept in the cache: every public page
    needs both. None for an unknown slug (not cached: guessing slugs must not fill the
    cache). Dropped when either is saved or deleted (kaart.apps connects
    vergeet_publieke_kaart); a gemeente's old slug expires after PUBLIEK_SECONDEN."""
    key = _publiek_key(slug)
    found = cache.get(key)
    if found is None:
        gemeente = Gemeente.objects.filter(slug=slug).first()
        if gemeente is None:
            return None
        found = (gemeente, KaartInstelling.voor(gemeente))
        cache.set(key, found, PUBLIEK_SECONDEN)
    return found


def vergeet_publieke_kaart(sender, instance, **kwargs):
    """Signal receiver: a gemeente or its KaartInstelling changed."""
    gemeente = instance if sender is Gemeente else instance.gemeente
    _vergeet(_publiek_key(gemeente.slug))


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
    if vraag.buurten is not None:
        qs = qs.filter(_aanbod_op_locatie(locatie__buurt_id__in=vraag.buurten))
    if vraag.gebied is not None:
        qs = qs.filter(_aanbod_op_locatie(
            locatie__buurt_id__in=sorted(gebied_buurt_ids(vraag.gebied))))
    if vraag.punt is not None and vraag.afstand_km:
        qs = qs.filter(_aanbod_op_locatie(locatie_id__in=binnen_afstand(
            Locatie.objects.filter(gemeente=gemeente), vraag.punt, vraag.afstand_km)))
    if vraag.levensdomein_id:
        qs = qs.filter(Exists(Aanbod.levensdomeinen.through.objects.filter(
            aanbod_id=OuterRef("pk"), levensdomein_id=vraag.levensdomein_id)))
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


# The columns a card reads (with kaart.versheid.niveau's dates): a page of twenty rows
# turns fewer columns into fewer Python values.
KAARTJE_VELDEN = ("organisatie__naam", "naam", "korte_beschrijving",
                  "leeftijd_van", "leeftijd_tot", "kosten", "prijs", "status",
                  "gecontroleerd_op", "aangemaakt_op", "controle_voor")


def met_kaartje(qs):
    """What a result card (_kaartje.html) shows, for the rows of one page: the organisation,
    the locaties with their buurt and the open reports; not the long text nor the index. Not
    the gemeente either: every row is the page's own, and the card's link takes its slug from
    the page (one join less to plan for every search)."""
    return qs.select_related(None).select_related("organisatie").only(*KAARTJE_VELDEN).annotate(
        n_open_meldingen=_open_meldingen()).prefetch_related(
        Prefetch("locaties", to_attr="kaartje_locaties",
                 queryset=Locatie.objects.select_related("buurt").only(
                     "pk", "adres", "buurt__naam")))


class EenQueryPaginator(Paginator):
    """A paginator that reads the page first, one row more than it shows: when that extra row
    is not there, this is the last page and the number of matches follows from it, so no
    COUNT(*) runs. A search with filters usually ends on its first page. When there are more
    rows, Django's COUNT follows (a COUNT(*) OVER () in the page's query would make the
    database read and sort every match of a broad search, much slower than a count and a
    top-20). An empty page past the end, "last" and orphans go Django's way."""

    def page(self, number):
        if "count" not in self.__dict__ and not self.orphans:
            try:
                nummer = int(number)
            except (TypeError, ValueError):
                nummer = 0
            if nummer >= 1:
                bottom = (nummer - 1) * self.per_page
                rows = list(self.object_list[bottom:bottom + self.per_page + 1])
                if len(rows) <= self.per_page and (rows or nummer == 1):
                    self.__dict__["count"] = bottom + len(rows)  # the cached_property's slot
                if rows or "count" in self.__dict__:
                    return self._get_page(rows[:self.per_page], self.validate_number(nummer),
                                          self)
        return super().page(number)


def met_versheid(aanbod_list, instelling, vandaag=None):
    """Set .versheid (tier), .versheid_label and .versheid_toelichting on each aanbod."""
    for a in aanbod_list:
        open_meldingen = getattr(a, "n_open_meldingen", 0)
        a.versheid = versheid.niveau(a, instelling, open_meldingen=open_meldingen,
                                     vandaag=vandaag)
        a.versheid_label = versheid.LABELS[a.versheid]
        a.versheid_toelichting = versheid.toelichting(a, open_meldingen)
    return aanbod_list


def aanbod_detail_queryset(gemeente):
    return met_details(basis_queryset(gemeente).select_related("contactpersoon"))


def _eigen_organisaties(user, gemeente) -> list | None:
    """None for the beleidsmedewerker (who sees every row about aanbod); for anyone else the
    ids of their own organisaties in this gemeente."""
    from core import policy

    if policy.roles(user, gemeente) & {"beleidsmedewerker"}:
        return None
    return [m.organisatie_id for m in policy.memberships(user)
            if m.gemeente_id == gemeente.pk and m.organisatie_id]


def wijzigingsverzoeken(user, gemeente):
    """Change requests of an aanbod, or of a locatie's opening hours (aanbod empty)."""
    qs = Wijzigingsverzoek.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "aanbod__gemeente", "locatie__gemeente", "ingediend_door")
    orgs = _eigen_organisaties(user, gemeente)
    if orgs is None:
        return qs
    return qs.filter(Q(aanbod__organisatie_id__in=orgs)
                     | Q(aanbod__isnull=True, locatie__organisatie_id__in=orgs))


def meldingen(user, gemeente):
    qs = Melding.objects.filter(gemeente=gemeente).select_related("gemeente", "aanbod__gemeente")
    orgs = _eigen_organisaties(user, gemeente)
    return qs if orgs is None else qs.filter(aanbod__organisatie_id__in=orgs)


def locaties(user, gemeente):
    return Locatie.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "organisatie", "buurt").prefetch_related("openingstijden", "uitzonderingen")


def uitzonderingen(gemeente):
    """The days with other opening hours of the gemeente's locaties."""
    return Uitzondering.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "locatie__gemeente", "locatie__organisatie")


@dataclass(frozen=True)
class Versheid:
    """How current a set of aanbod is: the number in each tier."""

    actueel: int = 0
    controle_nodig: int = 0
    verouderd: int = 0

    @property
    def totaal(self) -> int:
        return self.actueel + self.controle_nodig + self.verouderd

    @property
    def aandeel(self) -> float | None:
        """Percentage actueel (None without aanbod): the monitor indicator's waarde."""
        return 100.0 * self.actueel / self.totaal if self.totaal else None

    @classmethod
    def uit(cls, niveaus) -> "Versheid":
        """Count an iterable of tiers."""
        return cls(**Counter(niveaus))


def versheid_aanbod(gemeente, instelling=None, vandaag=None, qs=None):
    """The aanbod that counts for freshness, each with its tier as `niveau`: every aanbod of
    the gemeente that is not beëindigd (actief or tijdelijk gesloten; stale aanbod counts,
    as verouderd), tiered by versheid.niveau_expressie (an open report lowers the tier).

    The one set and rule behind the counts on the staff pages, the share per aanbieder (pages,
    organisation page, API) and the monitor indicator (kaart.indicator)."""
    instelling = instelling or KaartInstelling.voor(gemeente)
    qs = Aanbod.objects.all() if qs is None else qs
    return (qs.filter(gemeente=gemeente).exclude(status=Aanbod.Status.BEEINDIGD)
            .annotate(open_melding=Exists(Melding.objects.filter(
                aanbod_id=OuterRef("pk"), status=Melding.Status.OPEN)))
            .annotate(niveau=versheid.niveau_expressie(instelling, vandaag)))


def _tel(rows) -> Versheid:
    return Versheid(**{niveau: n for niveau, n in rows})


def versheid_telling(qs, instelling, vandaag=None) -> Versheid:
    """The tiers over a queryset of aanbod of the instelling's gemeente (beëindigd left
    out)."""
    return _tel(versheid_aanbod(instelling.gemeente_id, instelling, vandaag, qs=qs).order_by()
                .values_list("niveau").annotate(n=Count("pk")))


def versheid_per_organisatie(gemeente, organisatie_ids=None, vandaag=None):
    """[(Organisatie, Versheid)] for each organisatie with aanbod that counts (optionally only
    `organisatie_ids`), by name: the share of current aanbod per aanbieder."""
    qs = versheid_aanbod(gemeente, vandaag=vandaag)
    if organisatie_ids is not None:
        qs = qs.filter(organisatie_id__in=organisatie_ids)
    per_org: dict[int, dict] = {}
    for org_id, niveau, n in (qs.order_by().values_list("organisatie_id", "niveau")
                              .annotate(n=Count("pk"))):
        per_org.setdefault(org_id, {})[niveau] = n
    orgs = Organisatie.objects.filter(pk__in=list(per_org)).select_related("gemeente")
    return [(org, Versheid(**per_org[org.pk])) for org in orgs.order_by("naam", "pk")]


@dataclass
class VersheidPerRegio:
    """The freshness of a gemeente's aanbod as a whole and per wijk and buurt of one CBS
    indeling year: an aanbod counts in every buurt where it has a locatie, once, and in the
    wijken of those buurten, once each."""

    jaar: int | None
    gemeente: Versheid
    buurten: dict = field(default_factory=dict)  # {Region (buurt): Versheid}
    wijken: dict = field(default_factory=dict)  # {Region (wijk): Versheid}


def versheid_per_regio(gemeente, vandaag=None) -> VersheidPerRegio:
    """The figures of the monitor indicator. Regions are those of the gemeente's latest CBS
    indeling; a locatie's buurt of an older indeling counts under the buurt with the same code
    in the latest one (and not at all when that code is gone). Aanbod without a locatie in a
    buurt counts only for the gemeente as a whole."""
    aanbod = dict(versheid_aanbod(gemeente, vandaag=vandaag).order_by()
                  .values_list("pk", "niveau"))
    totaal = Versheid.uit(aanbod.values())
    jaar = (Region.objects.filter(gemeente=gemeente, soort=Region.Soort.GEMEENTE)
            .order_by("-jaar").values_list("jaar", flat=True).first())
    result = VersheidPerRegio(jaar, totaal)
    if jaar is None:
        return result
    buurten = {r.code: r for r in Region.objects.filter(
        gemeente=gemeente, jaar=jaar, soort=Region.Soort.BUURT).select_related("parent")}
    in_regio: dict = {}
    for aanbod_id, code in (AanbodLocatie.objects.filter(
            aanbod__gemeente=gemeente, locatie__buurt__isnull=False)
            .values_list("aanbod_id", "locatie__buurt__code").distinct()):
        buurt = buurten.get(code)
        if buurt is None or aanbod_id not in aanbod:  # gone, or beëindigd
            continue
        in_regio.setdefault(buurt, set()).add(aanbod_id)
        if buurt.parent_id:
            in_regio.setdefault(buurt.parent, set()).add(aanbod_id)
    for regio, ids in in_regio.items():
        target = result.buurten if regio.soort == Region.Soort.BUURT else result.wijken
        target[regio] = Versheid.uit(aanbod[i] for i in ids)
    return result


def actueel_aanbod(gemeente, instelling=None, vandaag=None):
    """Aanbod in tier actueel (review date not passed, no open report): the teller of the
    monitor indicator, and what the coverage matrix counts."""
    return versheid_aanbod(gemeente, instelling, vandaag).filter(niveau=versheid.ACTUEEL)


def home_summary(user, gemeente):
    from django.utils.translation import gettext as _

    telling = versheid_telling(Aanbod.objects.filter(gemeente=gemeente),
                               KaartInstelling.voor(gemeente))
    url = reverse("kaart:aanbod-list", kwargs={"gemeente": gemeente.slug})
    return [(_("%(n)s aanbod, waarvan %(a)s actueel") % {
        "n": telling.totaal, "a": telling.actueel}, url)]


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
