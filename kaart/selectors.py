"""Reads of the sociale kaart, always within one gemeente: the search, lists, freshness counts,
and the counts for the Klaverblad coverage matrix."""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

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


def nu_open_filter(moment: datetime.datetime) -> Q:
    moment = timezone.localtime(moment)
    tijd, dag = moment.time(), moment.date()
    regulier = Openingstijd.objects.filter(locatie=OuterRef("pk"), weekdag=moment.isoweekday(),
                                           open__lte=tijd, sluit__gt=tijd)
    afwijkend_open = Uitzondering.objects.filter(locatie=OuterRef("pk"), datum=dag,
                                                 gesloten=False, open__lte=tijd, sluit__gt=tijd)
    afwijkend = Uitzondering.objects.filter(locatie=OuterRef("pk"), datum=dag)
    open_locaties = Locatie.objects.filter(
        (Exists(regulier) & ~Exists(afwijkend)) | Exists(afwijkend_open))
    return Q(locaties__in=open_locaties)


def zoek(queryset, gemeente, vraag: Zoekvraag, *, moment=None):
    """Filter an aanbod queryset by the visitor's question. Distinct rows, best first."""
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
        qs = qs.filter(locaties__buurt_id__in=regio_buurt_ids(vraag.regio))
    if vraag.levensdomein:
        qs = qs.filter(levensdomeinen__code=vraag.levensdomein)
    if vraag.doel_id:
        qs = qs.filter(doel_koppelingen__doel_id=vraag.doel_id)
    if vraag.gratis:
        qs = qs.filter(kosten=Aanbod.Kosten.GRATIS)
    if vraag.nu_open:
        qs = qs.filter(nu_open_filter(moment or timezone.now()))
    if vraag.regio is not None or vraag.levensdomein or vraag.doel_id or vraag.nu_open:
        qs = qs.filter(pk__in=qs.values("pk"))  # joins may repeat rows
        qs = queryset.filter(pk__in=qs.values("pk"))
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
        "gemeente", "aanbod__gemeente", "ingediend_door")
    if policy.roles(user, gemeente) & {"beleidsmedewerker"}:
        return qs
    orgs = [m.organisatie_id for m in policy.memberships(user)
            if m.gemeente_id == gemeente.pk and m.organisatie_id]
    return qs.filter(aanbod__organisatie_id__in=orgs)


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
