"""Reads for finance, always within one gemeente and narrowed to what the user may see."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.models import Role
from core.money import ZERO
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Beschikking,
    Betaling,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    Termijn,
    Verantwoordingsklasse,
    WijkplanBegrotingsregel,
)
from framework.models import Doel
from network.models import Organisatie
from regions.models import Gebied

S = Aanvraag.Status


def may_view(user, model, gemeente) -> bool:
    """Has the user a role that may see objects of this model in this gemeente at all?"""
    return bool(policy.roles(user, gemeente) & set(policy.rule_for(model).view))


def aanvraag_scope(user, gemeente=None) -> Q:
    """Which aanvragen the user may see: the whole gemeente for a beleidsmedewerker and a
    raadslid; a coördinator's or stuurgroeplid's gebied; a partner's own organisatie."""
    condition = Q(pk__in=[])
    for m in policy.memberships(user):
        if gemeente is not None and m.gemeente_id != gemeente.pk:
            continue
        if m.role in (Role.BELEIDSMEDEWERKER, Role.RAADSLID):
            condition |= Q(gemeente_id=m.gemeente_id)
        elif m.role in (Role.GEBIEDSCOORDINATOR, Role.STUURGROEPLID) and m.gebied_id:
            condition |= Q(gemeente_id=m.gemeente_id, gebied_id=m.gebied_id)
        elif m.role == Role.PARTNER and m.organisatie_id:
            condition |= Q(gemeente_id=m.gemeente_id, organisatie_id=m.organisatie_id)
    return condition


def aanvragen(user, gemeente):
    return (Aanvraag.objects.filter(gemeente=gemeente).filter(aanvraag_scope(user, gemeente))
            .select_related("gemeente", "regeling", "organisatie", "gebied"))


def aanvraag_detail_queryset(user, gemeente):
    from framework.selectors import prefetch_doelen

    return aanvragen(user, gemeente).prefetch_related(prefetch_doelen(),
        "jaren", "begrotingsregels", "termijnen__betaling", "betalingen", "beschikkingen",
        "wijzigingen", "verantwoording__bestanden", "terugbetalingen", "bestanden")


def te_laat(user, gemeente, today=None):
    """Aanvragen waiting for a decision past their beslistermijn, the longest overdue first."""
    today = today or timezone.localdate()
    return aanvragen(user, gemeente).filter(
        status__in=Aanvraag.OPEN, uiterste_beslisdatum__lt=today).order_by(
        "uiterste_beslisdatum", "pk")


def _zichtbare_regelingen(user, gemeente):
    """A concept regeling is seen only by those who may change it; others see published ones."""
    qs = Regeling.objects.filter(gemeente=gemeente)
    if not policy.can_any(user, policy.CHANGE, Regeling, gemeente):
        qs = qs.filter(gepubliceerd_op__isnull=False)
    return qs


def regelingen(user, gemeente):
    return _zichtbare_regelingen(user, gemeente).select_related("gemeente").annotate(
        n_aanvragen=Count("aanvragen", filter=~Q(aanvragen__status=S.CONCEPT))).order_by(
        "-jaar_van", "naam")


def regeling_detail_queryset(user, gemeente):
    from framework.selectors import prefetch_doelen

    return _zichtbare_regelingen(user, gemeente).select_related(
        "gemeente").prefetch_related(prefetch_doelen())


def programmabudgetten(user, gemeente):
    return Programmabudget.objects.filter(gemeente=gemeente).select_related("gemeente")


def programmabudget_detail_queryset(user, gemeente):
    return programmabudgetten(user, gemeente).prefetch_related("gebiedsbudgetten__gebied")


def gebiedsbudgetten(user, gemeente):
    return Gebiedsbudget.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "gebied", "programmabudget__gemeente")


def klassen(user, gemeente):
    return Verantwoordingsklasse.objects.filter(gemeente=gemeente).select_related("gemeente")


def beschikkingen(user, gemeente):
    return Beschikking.objects.filter(gemeente=gemeente).filter(
        aanvraag__in=aanvragen(user, gemeente).values("pk")).select_related(
        "gemeente", "aanvraag__regeling", "aanvraag__organisatie", "aanvraag__gebied")


def termijnen(user, gemeente):
    return Termijn.objects.filter(gemeente=gemeente).filter(
        aanvraag__in=aanvragen(user, gemeente).values("pk")).select_related(
        "gemeente", "aanvraag__gemeente", "aanvraag__regeling")


def bijlagen(user, gemeente):
    from finance.models import AanvraagBestand

    return AanvraagBestand.objects.filter(gemeente=gemeente).filter(
        aanvraag__in=aanvragen(user, gemeente).values("pk")).select_related("gemeente")


def bestanden(user, gemeente):
    from finance.models import VerantwoordingBestand

    return VerantwoordingBestand.objects.filter(gemeente=gemeente).filter(
        verantwoording__aanvraag__in=aanvragen(user, gemeente).values("pk")).select_related(
        "gemeente", "verantwoording__aanvraag")


def jaren(gemeente) -> list[int]:
    """The years with a programmabudget or with money asked, newest first."""
    years = set(Programmabudget.objects.filter(gemeente=gemeente).values_list("jaar", flat=True))
    years |= set(AanvraagJaar.objects.filter(gemeente=gemeente).values_list("jaar", flat=True)
                 .distinct())
    return sorted(years, reverse=True) or [timezone.localdate().year]


# --- the yearly overview ----------------------------------------------------------------

SUMS = ("gevraagd", "toegekend", "betaald", "vastgesteld", "terugvordering", "vrijgevallen")


def _sums(qs, group):
    """{group value: {gevraagd, toegekend, betaald, vastgesteld, terugvordering}} in one query.
    Gevraagd counts submitted aanvragen only (not concepts)."""
    rows = qs.values(group).annotate(
        gevraagd=Sum("gevraagd", filter=~Q(aanvraag__status=S.CONCEPT)),
        toegekend=Sum("toegekend"), betaald=Sum("betaald"), vastgesteld=Sum("vastgesteld"),
        terugvordering=Sum("terugvordering"), vrijgevallen=Sum("vrijgevallen"),
        n=Count("aanvraag", distinct=True))
    return {row[group]: {k: row[k] or ZERO for k in SUMS} | {"n": row["n"]} for row in rows}


def _add(total, row):
    for key in (*SUMS, "begroot", "n"):
        if key in row and row[key] is not None:
            total[key] = total.get(key, ZERO) + row[key]


def jaaroverzicht(gemeente, jaar: int) -> dict:
    """Budgeted, committed (toegekend), paid and realised (vastgesteld) in one year: per
    gebied, per organisatie and per regeling, with totals. A constant number of queries.

    Per Klaverblad doel: the amounts of aanvragen tagged with that doel (framework's generic
    tagging); an aanvraag with several doelen counts under each, so that table does not add up
    to the total (the page says so).
    """
    base = AanvraagJaar.objects.filter(gemeente=gemeente, jaar=jaar)
    programma = Programmabudget.objects.filter(gemeente=gemeente, jaar=jaar).select_related(
        "gemeente").first()
    budgets = {gb.gebied_id: gb for gb in Gebiedsbudget.objects.filter(
        gemeente=gemeente, programmabudget__jaar=jaar)}

    by_gebied = _sums(base, "aanvraag__gebied")
    per_gebied, total = [], {}
    for gebied in Gebied.objects.filter(gemeente=gemeente).select_related("gemeente").order_by(
            "naam"):
        gb = budgets.get(gebied.pk)
        row = {"gebied": gebied, "naam": gebied.naam, "begroot": gb.bedrag if gb else None,
               **by_gebied.get(gebied.pk, {k: ZERO for k in SUMS} | {"n": 0})}
        row["vrij"] = (row["begroot"] - row["toegekend"] + row["vrijgevallen"]) if gb else None
        per_gebied.append(row)
        _add(total, row)
    if None in by_gebied:
        row = {"gebied": None, "naam": None, "begroot": None, "vrij": None, **by_gebied[None]}
        per_gebied.append(row)
        _add(total, row)

    by_org = _sums(base, "aanvraag__organisatie")
    names = dict(Organisatie.objects.filter(pk__in=[k for k in by_org if k]).values_list(
        "pk", "naam"))
    per_organisatie = sorted(
        ({"organisatie_id": k, "naam": names.get(k), **v} for k, v in by_org.items()),
        key=lambda r: (r["naam"] is None, r["naam"] or ""))

    by_regeling = _sums(base, "aanvraag__regeling")
    per_regeling = []
    for regeling in Regeling.objects.filter(gemeente=gemeente, jaar_van__lte=jaar,
                                            jaar_tot__gte=jaar).select_related(
                                                "gemeente").order_by("naam"):
        per_regeling.append({"regeling": regeling, **by_regeling.get(
            regeling.pk, {k: ZERO for k in SUMS} | {"n": 0})})

    by_doel = _sums(base, "aanvraag__doel_koppelingen__doel")
    doelen = {d.pk: d for d in Doel.objects.filter(pk__in=[k for k in by_doel if k])
              .select_related("kader", "gemeente")}
    per_doel = sorted(
        ({"doel": doelen.get(k), **v} for k, v in by_doel.items()),
        key=lambda r: (r["doel"] is None, r["doel"].kader_id if r["doel"] else 0,
                       r["doel"].nummer if r["doel"] else 0))

    return {
        "jaar": jaar, "programmabudget": programma,
        "per_gebied": per_gebied, "per_organisatie": per_organisatie,
        "per_regeling": per_regeling, "per_doel": per_doel,
        "totaal": {k: total.get(k, ZERO) for k in SUMS}
        | {"begroot": sum((gb.bedrag for gb in budgets.values()), ZERO),
           "n": total.get("n", 0)},
    }


def betalingen(user, gemeente):
    return Betaling.objects.filter(gemeente=gemeente).filter(
        aanvraag__in=aanvragen(user, gemeente).values("pk")).select_related(
        "gemeente", "aanvraag__regeling", "aanvraag__organisatie", "termijn")


def beschikking_context(beschikking) -> dict:
    """Everything the letter template needs, from what was stored with the beschikking."""
    aanvraag = beschikking.aanvraag
    inhoud = dict(beschikking.inhoud)

    def money(value):
        return Decimal(value) if value not in (None, "") else None

    bedragen = [(int(j), money(b)) for j, b in sorted(inhoud.get("bedragen", {}).items())]
    termijnen = [(datetime.date.fromisoformat(d), int(j), money(b))
                 for d, j, b in inhoud.get("termijnen", [])]
    org = aanvraag.organisatie
    # The window of the envelope: the addressee's name, then the address one part a line
    # ("Eikenlaan 10, 9741 AA Groningen" is street, then postcode and place).
    geadresseerde = [org.naam, *[r.strip() for r in org.adres.replace("\n", ",").split(",")
                                 if r.strip()]] if org else [aanvraag.initiatiefnemer]
    return {
        "geadresseerde": geadresseerde,
        "b": beschikking, "aanvraag": aanvraag, "gemeente": beschikking.gemeente,
        "regeling": aanvraag.regeling, "inhoud": inhoud, "bedragen": bedragen,
        "termijnen": termijnen, "totaal": money(inhoud.get("totaal")),
        "voor": [(int(j), money(b)) for j, b in sorted(inhoud.get("voor", {}).items())],
        "na": [(int(j), money(b)) for j, b in sorted(inhoud.get("na", {}).items())],
        "terugvordering": money(inhoud.get("terugvordering")),
        "nabetaling": money(inhoud.get("nabetaling")),
        "betaald": money(inhoud.get("betaald")),
        "toegekend": money(inhoud.get("toegekend")),
        "gevraagd": [(int(j), money(b), dict(bedragen).get(int(j)))
                     for j, b in sorted(inhoud.get("gevraagd", {}).items())],
        "totaal_gevraagd": money(inhoud.get("totaal_gevraagd")),
        "geweigerd_deel": (money(inhoud["totaal_gevraagd"]) - money(inhoud["totaal"])
                           if inhoud.get("totaal_gevraagd") and inhoud.get("totaal") else None),
        "verantwoorden_voor": (datetime.date.fromisoformat(inhoud["verantwoorden_voor"])
                               if inhoud.get("verantwoorden_voor") else None),
        "terugbetalen_voor": (datetime.date.fromisoformat(inhoud["terugbetalen_voor"])
                              if inhoud.get("terugbetalen_voor") else None),
        "ondertekenaar_naam": inhoud.get("ondertekenaar_naam")
        or aanvraag.regeling.ondertekenaar_naam,
        "ondertekenaar_functie": inhoud.get("ondertekenaar_functie")
        or aanvraag.regeling.ondertekenaar_functie,
    }


def home_summary(user, gemeente):
    return [(r.naam, r.get_absolute_url()) for r in
            _zichtbare_regelingen(user, gemeente).select_related("gemeente")[:5]]


# --- wijkplanbegrotingen -----------------------------------------------------------------


def wijkplanversies(user, gemeente):
    """Every version of every wijkplan, with its begroting totals (one query)."""
    from plans.models import WijkplanVersie

    G, C = WijkplanBegrotingsregel.Bron.GEBIEDSBUDGET, WijkplanBegrotingsregel.Bron.COFINANCIERING
    return (WijkplanVersie.objects.filter(gemeente=gemeente)
            .select_related("gemeente", "wijkplan__gebied")
            .annotate(uit_gebiedsbudget=Sum("begrotingsregels__bedrag",
                                            filter=Q(begrotingsregels__bron=G)),
                      cofinanciering=Sum("begrotingsregels__bedrag",
                                         filter=Q(begrotingsregels__bron=C)))
            .order_by("wijkplan__gebied__naam", "wijkplan__naam", "-nummer"))


def wijkplanregels(user, gemeente):
    return WijkplanBegrotingsregel.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "versie__wijkplan", "activiteit")


def wijkplan_begroting(versie) -> dict:
    """The begroting of one version: per activiteit (in plan order) its lines, what comes from
    the gebiedsbudget and what from other sources; lines for the plan as a whole; totals; and
    the gebied's budget of the version's year to hold it against."""
    G = WijkplanBegrotingsregel.Bron.GEBIEDSBUDGET
    regels = list(versie.begrotingsregels.select_related("activiteit__pijler"))
    rows = []
    for activiteit in versie.activiteiten.select_related("pijler").order_by(
            "pijler__volgorde", "pijler_id", "volgorde", "id"):
        eigen = [r for r in regels if r.activiteit_id == activiteit.pk]
        rows.append({"activiteit": activiteit, "regels": eigen,
                     "gebiedsbudget": sum((r.bedrag for r in eigen if r.bron == G), ZERO),
                     "cofinanciering": sum((r.bedrag for r in eigen if r.bron != G), ZERO)})
    algemeen = [r for r in regels if r.activiteit_id is None]
    rows.append({"activiteit": None, "regels": algemeen,
                 "gebiedsbudget": sum((r.bedrag for r in algemeen if r.bron == G), ZERO),
                 "cofinanciering": sum((r.bedrag for r in algemeen if r.bron != G), ZERO)})
    totaal_gb = sum((r["gebiedsbudget"] for r in rows), ZERO)
    totaal_co = sum((r["cofinanciering"] for r in rows), ZERO)
    budget = Gebiedsbudget.objects.filter(gebied_id=versie.wijkplan.gebied_id,
                                          programmabudget__jaar=versie.jaar).first()
    return {"rows": rows, "gebiedsbudget": totaal_gb, "cofinanciering": totaal_co,
            "totaal": totaal_gb + totaal_co, "budget": budget,
            "verschil": (budget.bedrag - totaal_gb) if budget else None}


def ruimte(aanvraag) -> dict:
    """What is still free, now, in the aanvraag's regeling and (when it belongs to a gebied) in
    the gebiedsbudget of each of its years: shown while deciding."""
    plafond, toegekend = Regeling.objects.values_list("plafond", "toegekend").get(
        pk=aanvraag.regeling_id)
    jaren = [j.jaar for j in aanvraag.jaren.all()]
    budgetten = []
    if aanvraag.gebied_id:
        found = {gb.programmabudget.jaar: gb for gb in Gebiedsbudget.objects.filter(
            gebied_id=aanvraag.gebied_id, programmabudget__jaar__in=jaren).select_related(
            "programmabudget")}
        budgetten = [{"jaar": jaar, "budget": found.get(jaar)} for jaar in jaren]
    return {"regeling": aanvraag.regeling, "plafond": plafond, "toegekend": toegekend,
            "vrij": plafond - toegekend, "gebied": aanvraag.gebied, "budgetten": budgetten}


# --- the invariant: stored counters equal the sums over their rows ------------------------


def _verschil(wat, teller, som):
    from core.money import format_euro

    return _("%(wat)s: de teller zegt %(teller)s, de som over de aanvragen is %(som)s "
             "(verschil %(verschil)s).") % {
        "wat": wat, "teller": format_euro(teller), "som": format_euro(som),
        "verschil": format_euro(teller - som)}


def controleer_financien(gemeente=None) -> list[str]:
    """Recompute every stored money counter from the rows it counts and list, in Dutch, each
    one that differs (empty: all is well). Covers regelingen (toegekend = granted less
    vrijgevallen), gebiedsbudgetten (the same per gebied and year), programmabudgetten (the sum
    of their gebiedsbudgetten), each aanvraag's totals against its years, each year's betaald
    against its betalingen and each aanvraag's terugbetaald against its terugbetalingen. A few
    GROUP BY queries, whatever the number of aanvragen."""
    from finance.models import Terugbetaling

    def scoped(qs):
        return qs.filter(gemeente=gemeente) if gemeente is not None else qs

    problems = []
    jaren = scoped(AanvraagJaar.objects.all())
    per_regeling = {r["aanvraag__regeling"]: (r["t"] or ZERO) - (r["v"] or ZERO) for r in
                    jaren.values("aanvraag__regeling").annotate(
                        t=Sum("toegekend"), v=Sum("vrijgevallen"))}
    for regeling in scoped(Regeling.objects.all()).order_by("pk"):
        som = per_regeling.get(regeling.pk, ZERO)
        if regeling.toegekend != som:
            problems.append(_verschil(_("Regeling '%(naam)s', toegekend") % {
                "naam": regeling.naam}, regeling.toegekend, som))
        if regeling.toegekend > regeling.plafond:
            problems.append(_("Regeling '%(naam)s': er is meer toegekend dan het plafond.") % {
                "naam": regeling.naam})
    per_gebied = {(r["aanvraag__gebied"], r["jaar"]): (r["t"] or ZERO) - (r["v"] or ZERO)
                  for r in jaren.filter(aanvraag__gebied__isnull=False).values(
                      "aanvraag__gebied", "jaar").annotate(t=Sum("toegekend"),
                                                          v=Sum("vrijgevallen"))}
    gezien = set()
    for gb in scoped(Gebiedsbudget.objects.all()).select_related(
            "gebied", "programmabudget").order_by("pk"):
        key = (gb.gebied_id, gb.programmabudget.jaar)
        gezien.add(key)
        som = per_gebied.get(key, ZERO)
        if gb.toegekend != som:
            problems.append(_verschil(_("Gebiedsbudget %(jaar)s van %(gebied)s, toegekend") % {
                "jaar": key[1], "gebied": gb.gebied.naam}, gb.toegekend, som))
    for (gebied_id, jaar), som in sorted(per_gebied.items()):
        if som and (gebied_id, jaar) not in gezien:
            problems.append(_verschil(_("Gebied %(gebied)s heeft in %(jaar)s geen "
                                        "gebiedsbudget, toegekend") % {
                "gebied": Gebied.objects.get(pk=gebied_id).naam, "jaar": jaar}, ZERO, som))
    for pb in scoped(Programmabudget.objects.all()).annotate(
            som=Sum("gebiedsbudgetten__bedrag")).order_by("pk"):
        if pb.toegewezen != (pb.som or ZERO):
            problems.append(_verschil(_("Programmabudget %(jaar)s, verdeeld over gebieden") % {
                "jaar": pb.jaar}, pb.toegewezen, pb.som or ZERO))
    velden = ("gevraagd", "toegekend", "betaald", "terugvordering", "vrijgevallen")
    sums = {r["aanvraag"]: r for r in jaren.values("aanvraag").annotate(
        **{f"s_{f}": Sum(f) for f in velden}, s_vastgesteld=Sum("vastgesteld"),
        n_vastgesteld=Count("vastgesteld"), n=Count("pk"))}
    terug = dict(scoped(Terugbetaling.objects.all()).values("aanvraag").annotate(
        s=Sum("bedrag")).values_list("aanvraag", "s"))
    for a in scoped(Aanvraag.objects.all()).order_by("pk").only(
            "pk", "vastgesteld", "terugbetaald", *velden):
        row = sums.get(a.pk)
        for f in velden:
            som = (row[f"s_{f}"] if row else None) or ZERO
            if getattr(a, f) != som:
                problems.append(_verschil(_("Aanvraag %(nummer)s, %(veld)s") % {
                    "nummer": a.nummer, "veld": f}, getattr(a, f), som))
        if a.vastgesteld is not None and row and row["n_vastgesteld"] == row["n"] and (
                a.vastgesteld != row["s_vastgesteld"]):
            problems.append(_verschil(_("Aanvraag %(nummer)s, vastgesteld") % {
                "nummer": a.nummer}, a.vastgesteld, row["s_vastgesteld"]))
        if a.terugbetaald != terug.get(a.pk, ZERO):
            problems.append(_verschil(_("Aanvraag %(nummer)s, terugbetaald") % {
                "nummer": a.nummer}, a.terugbetaald, terug.get(a.pk, ZERO)))
    betaald = {(r["aanvraag"], r["jaar"]): r["s"] for r in scoped(Betaling.objects.all())
               .values("aanvraag", "jaar").annotate(s=Sum("bedrag"))}
    for j in jaren.filter(betaald__gt=0).select_related("aanvraag").only(
            "pk", "jaar", "betaald", "aanvraag__id"):
        som = betaald.pop((j.aanvraag_id, j.jaar), ZERO)
        if j.betaald != som:
            problems.append(_verschil(_("Aanvraag %(nummer)s, betaald in %(jaar)s") % {
                "nummer": j.aanvraag.nummer, "jaar": j.jaar}, j.betaald, som))
    for (aanvraag_id, jaar), som in sorted(betaald.items()):
        problems.append(_verschil(_("Aanvraag A-%(pk)05d, betaald in %(jaar)s") % {
            "pk": aanvraag_id, "jaar": jaar}, ZERO, som))
    return problems


# --- the tables of an aanvraag's page ------------------------------------------------------


def _tabel(caption, kolommen, rijen, leeg=""):
    """One table for `finance/_tabel.html`: kolommen [(label, numeric)], rijen [[text]]; each
    cell goes out as (text, numeric) so the template needs no lookups."""
    return {"caption": caption, "kolommen": kolommen, "leeg": leeg,
            "rijen": [[(cel, numeric) for cel, (_label, numeric) in zip(rij, kolommen, strict=True)]
                      for rij in rijen]}


def aanvraag_tabellen(aanvraag) -> list[dict]:
    """The begroting, the voorschotschema, the betalingen and the terugbetalingen of an
    aanvraag as plain rows (money and dates already in Dutch), rendered by one template."""
    from django.utils.formats import date_format

    from core.money import format_euro

    def dag(value):
        return date_format(value, "j F Y")

    tabellen = [_tabel(
        _("Begroting"),
        [(_("Jaar"), False), (_("Soort"), False), (_("Omschrijving"), False),
         (_("Bedrag"), True)],
        [[r.jaar, r.get_soort_display(), r.omschrijving, format_euro(r.bedrag)]
         for r in aanvraag.begrotingsregels.all()], leeg=_("Nog geen begroting."))]
    termijnen = list(aanvraag.termijnen.all())
    if termijnen:
        def stand(t):
            betaling = getattr(t, "betaling", None)
            if betaling is not None:
                return _("betaald op %(d)s") % {"d": dag(betaling.datum)}
            return _("vervallen") if t.vervallen else _("open")

        tabellen.append(_tabel(
            _("Voorschotschema"),
            [(_("Te betalen op"), False), (_("Subsidiejaar"), False), (_("Bedrag"), True),
             (_("Stand"), False)],
            [[dag(t.datum), t.jaar, format_euro(t.bedrag), stand(t)] for t in termijnen]))
    betalingen = list(aanvraag.betalingen.all())
    if betalingen:
        tabellen.append(_tabel(
            _("Betalingen"),
            [(_("Betaald op"), False), (_("Soort"), False), (_("Subsidiejaar"), False),
             (_("Bedrag"), True)],
            [[dag(b.datum), b.get_soort_display(), b.jaar, format_euro(b.bedrag)]
             for b in betalingen]))
    terug = list(aanvraag.terugbetalingen.all())
    if terug:
        tabellen.append(_tabel(
            _("Terugbetalingen"), [(_("Ontvangen op"), False), (_("Bedrag"), True)],
            [[dag(t.datum), format_euro(t.bedrag)] for t in terug]))
    return tabellen


def terugvorderingen(user, gemeente, today=None):
    """Aanvragen with money still to be paid back, the ones past their date first; each gets
    `te_laat` set."""
    from django.db.models import F

    today = today or timezone.localdate()
    rows = list(aanvragen(user, gemeente).filter(terugvordering__gt=F("terugbetaald"))
                .order_by(F("terugbetalen_voor").asc(nulls_last=True), "pk"))
    for a in rows:
        a.te_laat_terug = a.terugbetaling_te_laat(today)
    return sorted(rows, key=lambda a: not a.te_laat_terug)


def aanvraag_organisaties(user, gemeente):
    """(organisaties, True when any) the user may apply for: core.policy's rule for
    aanvragen (a beleidsmedewerker for any, or a residents' initiative; a partner only for
    its own)."""
    ids = policy.organisatie_ids(user, policy.ADD, Aanvraag, gemeente)
    qs = Organisatie.objects.filter(gemeente=gemeente)
    return (qs, True) if ids is None else (qs.filter(pk__in=ids), False)
