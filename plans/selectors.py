"""Reads for wijkplannen, always within one gemeente. The pages built on these run a fixed
number of queries, whatever the number of pijlers, activiteiten or reports."""

import datetime
from collections import defaultdict

from django.db.models import Count, Max, Prefetch, Q
from django.utils.translation import gettext as _

from core.periods import KWARTAAL, Periode
from framework.selectors import prefetch_doelen
from monitor.koppelingen import Verwijzing
from monitor.models import Streefwaarde
from plans.models import (
    Activiteit,
    ActiviteitStreefwaarde,
    Pijler,
    VoortgangRapportage,
    Wijkplan,
    WijkplanVersie,
)

S = WijkplanVersie.Status


def wijkplannen(user, gemeente):
    return (Wijkplan.objects.filter(gemeente=gemeente).select_related("gemeente", "gebied")
            .annotate(n_versies=Count("versies"),
                      laatste_nummer=Max("versies__nummer"))
            .order_by("gebied__naam", "-jaar_van"))


def wijkplan_detail_queryset(user, gemeente):
    return Wijkplan.objects.filter(gemeente=gemeente).select_related("gemeente", "gebied") \
        .prefetch_related(Prefetch("versies", queryset=WijkplanVersie.objects.select_related(
            "gemeente", "wijkplan", "vastgesteld_door").order_by("-nummer")))


def versies(user, gemeente):
    return WijkplanVersie.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "wijkplan__gebied", "wijkplan__gemeente", "vastgesteld_door",
        "bijgesteld_van")


def _streefwaarden_queryset():
    return Streefwaarde.objects.select_related("gemeente", "indicator", "gebied", "region") \
        .order_by("indicator__volgorde", "indicator__naam", "periode", "pk")


def activiteiten_queryset():
    return Activiteit.objects.select_related(
        "gemeente", "pijler", "trekker", "versie__wijkplan__gebied", "versie__gemeente",
    ).prefetch_related("partners", "locaties", prefetch_doelen(),
                       Prefetch("streefwaarden", queryset=_streefwaarden_queryset()))


def streefwaarden_van(activiteit) -> list:
    """The monitor targets ("te behalen resultaten") an activiteit works on, with indicator,
    gebied and region, ordered like the monitor orders them."""
    return list(activiteit.streefwaarden.all())


def streefwaarde_activiteiten(user, gemeente, streefwaarde_ids) -> dict:
    """{streefwaarde id: [koppelingen.Verwijzing]}: the activiteiten of the current
    (vastgestelde) and concept versions of the gemeente's wijkplannen that work on each
    target. One query. Registered with monitor.koppelingen in PlansConfig.ready()."""
    rows = (ActiviteitStreefwaarde.objects
            .filter(streefwaarde_id__in=list(streefwaarde_ids), activiteit__gemeente=gemeente,
                    activiteit__versie__status__in=[S.VASTGESTELD, S.CONCEPT])
            .select_related("activiteit__gemeente", "activiteit__versie__wijkplan")
            .order_by("activiteit__versie__wijkplan__naam", "activiteit__versie__nummer",
                      "activiteit__naam", "activiteit_id"))
    result = defaultdict(list)
    for row in rows:
        act = row.activiteit
        versie = act.versie
        toelichting = (_("%(plan)s, conceptversie voor %(jaar)s") if versie.is_concept
                       else _("%(plan)s, vastgestelde versie voor %(jaar)s")) % {
            "plan": versie.wijkplan.naam, "jaar": versie.jaar}
        result[row.streefwaarde_id].append(Verwijzing(act.naam, act.get_absolute_url(),
                                                      toelichting))
    return dict(result)


def andere_versies(versie):
    """The other versions of `versie`'s wijkplan, the newest first."""
    return versie.wijkplan.versies.exclude(pk=versie.pk).order_by("-nummer")


def vastgestelde_versie(wijkplan):
    """The version of `wijkplan` that holds now (vastgesteld), or None."""
    return wijkplan.versies.filter(status=WijkplanVersie.Status.VASTGESTELD).first()


def versie_detail_queryset(user, gemeente):
    return versies(user, gemeente).prefetch_related(
        Prefetch("pijlers", queryset=Pijler.objects.prefetch_related(prefetch_doelen())),
        Prefetch("activiteiten", queryset=activiteiten_queryset()),
    )


def pijlers(user, gemeente):
    return Pijler.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "versie__wijkplan__gebied", "versie__gemeente").prefetch_related(
        prefetch_doelen())


def activiteiten(user, gemeente):
    return activiteiten_queryset().filter(gemeente=gemeente)


def rapportages(user, gemeente):
    return VoortgangRapportage.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "activiteit__versie__wijkplan__gebied", "activiteit__gemeente",
        "activiteit__trekker")


def rapportages_over(activiteit):
    """The progress reports on `activiteit` in every version of its wijkplan (an activiteit
    keeps its sleutel from version to version), the newest quarter first."""
    return VoortgangRapportage.objects.filter(
        activiteit__versie__wijkplan_id=activiteit.versie.wijkplan_id,
        activiteit__sleutel=activiteit.sleutel).select_related(
        "activiteit__versie", "gerapporteerd_door").order_by("-periode")


def huidige_activiteiten(user, gemeente, *, doel_id=None, gebied_id=None):
    """Activiteiten of the vastgestelde versions (what is being carried out now)."""
    qs = activiteiten(user, gemeente).filter(versie__status=S.VASTGESTELD)
    if doel_id:
        qs = qs.filter(doel_koppelingen__doel_id=doel_id)
    if gebied_id:
        qs = qs.filter(versie__wijkplan__gebied_id=gebied_id)
    return qs.distinct().order_by("versie__wijkplan__gebied__naam", "pijler__volgorde",
                                  "volgorde", "naam")


def dekking_counts(user, gemeente, doel_ids):
    """{(doel_id, gebied_id): number of activiteiten of vastgestelde versions}; one query."""
    rows = (Activiteit.objects.filter(gemeente=gemeente, versie__status=S.VASTGESTELD,
                                      doel_koppelingen__doel_id__in=doel_ids)
            .values("doel_koppelingen__doel_id", "versie__wijkplan__gebied_id")
            .annotate(n=Count("id", distinct=True)))
    return {(r["doel_koppelingen__doel_id"], r["versie__wijkplan__gebied_id"]): r["n"]
            for r in rows}


def versie_met_inhoud(versie_pk):
    """A version with pijlers, activiteiten (and their doelen) loaded, for compare/export."""
    return (WijkplanVersie.objects.select_related("wijkplan__gebied", "gemeente")
            .prefetch_related(
                Prefetch("pijlers", queryset=Pijler.objects.prefetch_related(prefetch_doelen())),
                Prefetch("activiteiten", queryset=activiteiten_queryset()))
            .get(pk=versie_pk))


def tijdlijn(wijkplan, sleutels, eerste: Periode, laatste: Periode):
    """{sleutel: {periode code: rapportage}} over all versions of the wijkplan, one query."""
    result = defaultdict(dict)
    qs = VoortgangRapportage.objects.filter(
        activiteit__versie__wijkplan=wijkplan, activiteit__sleutel__in=list(sleutels),
        periode__gte=eerste.code, periode__lte=laatste.code,
    ).select_related("activiteit").order_by("periode")
    for r in qs:
        result[r.activiteit.sleutel][r.periode.code] = r
    return result


def plan_kwartalen(wijkplan) -> list[Periode]:
    """Every quarter of the wijkplan's years, first to last."""
    return [Periode(KWARTAAL, jaar, k) for jaar in range(wijkplan.jaar_van, wijkplan.jaar_tot + 1)
            for k in range(1, 5)]


def huidig_kwartaal(wijkplan, vandaag: datetime.date | None = None) -> Periode:
    """The current quarter, held within the plan's years: its first quarter before the plan
    starts, its last one after it ended."""
    huidig = Periode.containing(vandaag or datetime.date.today(), KWARTAAL)
    return max(Periode(KWARTAAL, wijkplan.jaar_van, 1),
               min(huidig, Periode(KWARTAAL, wijkplan.jaar_tot, 4)))


def _actief_in(act, periode: Periode, vanaf: Periode) -> bool:
    """Was a report on `act` due for `periode`? From the version's year (or the activiteit's
    start, if later) up to its end."""
    if periode < vanaf or (act.start and periode.end < act.start):
        return False
    return not (act.eind and periode.start > act.eind)


def voortgang(user, wijkplan, *, vandaag: datetime.date | None = None, kwartalen=8):
    """The stuurgroep overview of a wijkplan's vastgestelde version: per pijler its activiteiten,
    each with its latest report, whether it is late, whether the current quarter's report is
    missing, which earlier quarters of the timeline have no report although the activiteit ran
    ("gemist"), and a timeline of the last `kwartalen` quarters. Constant number of queries."""
    vandaag = vandaag or datetime.date.today()
    versie = wijkplan.versies.filter(status=S.VASTGESTELD).select_related(
        "wijkplan__gebied", "gemeente").first()
    if versie is None:
        return None
    huidig = Periode.containing(vandaag, KWARTAAL)
    eerste_mogelijk = Periode(KWARTAAL, wijkplan.jaar_van, 1)
    laatste = huidig_kwartaal(wijkplan, vandaag)
    kolommen = [laatste]
    while len(kolommen) < kwartalen and kolommen[0].previous() >= eerste_mogelijk:
        kolommen.insert(0, kolommen[0].previous())
    eerste = kolommen[0]
    pijler_list = list(versie.pijlers.all())
    acts = list(Activiteit.objects.filter(versie=versie)
                .select_related("gemeente", "trekker__gemeente", "pijler")
                .order_by("volgorde", "naam"))
    lijnen = tijdlijn(wijkplan, [a.sleutel for a in acts], eerste, laatste)
    per_pijler = {p.pk: [] for p in pijler_list}
    telling = {"te_laat": 0, "zonder_rapportage": 0, "gemist": 0, "totaal": len(acts)}
    vanaf = Periode(KWARTAAL, versie.jaar, 1)
    for act in acts:
        reports = lijnen.get(act.sleutel, {})
        laatste_rapport = reports[max(reports)] if reports else None
        afgesloten = act.status in (Activiteit.Status.AFGEROND, Activiteit.Status.GESTOPT) or (
            laatste_rapport is not None and laatste_rapport.status in (
                VoortgangRapportage.Status.AFGEROND, VoortgangRapportage.Status.GESTOPT))
        redenen = []
        if laatste_rapport and laatste_rapport.status == VoortgangRapportage.Status.VERTRAAGD:
            redenen.append("vertraagd")
        if act.eind and act.eind < vandaag and not afgesloten:
            redenen.append("over_einddatum")
        ontbreekt = (not afgesloten and act.status != Activiteit.Status.VOORSTEL
                     and huidig == laatste and huidig.code not in reports)
        # Earlier quarters of the timeline (not the current one: that report may still come).
        gemist = [] if afgesloten or act.status == Activiteit.Status.VOORSTEL else [
            p for p in kolommen if p < huidig and p.code not in reports
            and _actief_in(act, p, vanaf)]
        telling["te_laat"] += bool(redenen)
        telling["zonder_rapportage"] += ontbreekt
        telling["gemist"] += bool(gemist)
        per_pijler[act.pijler_id].append({
            "activiteit": act, "laatste": laatste_rapport, "te_laat": redenen,
            "ontbreekt": ontbreekt, "gemist": gemist,
            "tijdlijn": [(p, reports.get(p.code)) for p in kolommen],
        })
    # "huidig" as shown: within the plan's years (the plan's last quarter once it has ended).
    return {"versie": versie, "huidig": laatste, "afgelopen": huidig > laatste,
            "kolommen": kolommen, "telling": telling,
            "pijlers": [(p, per_pijler[p.pk]) for p in pijler_list]}


def home_summary(user, gemeente):
    return [(f"{w.naam} ({w.periode})", w.get_absolute_url()) for w in
            Wijkplan.objects.filter(gemeente=gemeente).select_related("gemeente")[:5]]


def zonder_rapportage(kwartaal: Periode, **scope):
    """Activiteiten of vastgestelde versions that run (gepland or lopend) and have no progress
    report over `kwartaal`, in every gemeente unless `scope` narrows it. For the attention list
    and the reminders."""
    return (Activiteit.objects.filter(
        versie__status=S.VASTGESTELD,
        status__in=[Activiteit.Status.GEPLAND, Activiteit.Status.LOPEND], **scope)
        .exclude(rapportages__periode=kwartaal.code))


def te_rapporteren(user, gemeente):
    """For a partner: activiteiten of vastgestelde versions their organisation trekt."""
    from core import policy

    org_ids = {m.organisatie_id for m in policy.memberships(user)
               if m.gemeente_id == gemeente.pk and m.organisatie_id}
    return activiteiten(user, gemeente).filter(
        Q(trekker_id__in=org_ids), versie__status=S.VASTGESTELD)


def _gebied_ids(user, gemeente, role) -> set:
    from core import policy

    return {m.gebied_id for m in policy.memberships(user)
            if m.gemeente_id == gemeente.pk and m.role == role and m.gebied_id}


def te_vaststellen(user, gemeente):
    """Aangeboden versions that wait for this user's decision (voorzitter of the gebied's
    stuurgroep, or a beleidsmedewerker: every gebied), oldest offer first. For the attention
    list ("wat vraagt mijn aandacht")."""
    from core import policy
    from core.models import Role
    from network.models import StuurgroepRol

    qs = versies(user, gemeente).filter(status=S.AANGEBODEN).order_by("aangeboden_op", "pk")
    if any(m.gemeente_id == gemeente.pk and m.role == Role.BELEIDSMEDEWERKER
           for m in policy.memberships(user)):
        return qs
    voorzitter_van = StuurgroepRol.objects.filter(
        gemeente=gemeente, rol=StuurgroepRol.Rol.VOORZITTER, persoon__user=user,
        stuurgroep__gebied_id__in=_gebied_ids(user, gemeente, Role.STUURGROEPLID),
    ).values("stuurgroep__gebied_id")
    return qs.filter(wijkplan__gebied_id__in=voorzitter_van)


def teruggestuurd(user, gemeente):
    """Concepts the stuurgroep sent back, in the coördinator's gebieden, not yet offered
    again. For the attention list."""
    from core.models import Role

    return versies(user, gemeente).filter(
        status=S.CONCEPT, teruggestuurd_op__isnull=False,
        wijkplan__gebied_id__in=_gebied_ids(user, gemeente, Role.GEBIEDSCOORDINATOR),
    ).order_by("teruggestuurd_op", "pk")
