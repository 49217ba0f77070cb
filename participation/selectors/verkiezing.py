"""Reads of the kinderburgemeester election, always within one gemeente; the tally is secret
until the voting window has closed. Also the per-process cache of the vote endpoint."""

from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import (
    Aanmelding,
    EmailKiezer,
    Kanaal,
    Kandidaat,
    Stembus,
    Stemcode,
    StemcodeReeks,
    Uitslag,
    Verkiezing,
)
from participation.selectors.common import instelling_for


class UitslagGeheim(PermissionDenied):
    """The tally of an election whose voting window is still open: nobody may see it."""


# Elections -----------------------------------------------------------------------------------

def verkiezingen(user, gemeente):
    return Verkiezing.objects.filter(gemeente=gemeente).select_related("gemeente")


def publieke_verkiezingen(gemeente):
    return Verkiezing.objects.filter(gemeente=gemeente).select_related("gemeente")


def huidige_verkiezing(gemeente, now=None):
    """The election children should see now: the newest one that has started, else the next."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    qs = publieke_verkiezingen(gemeente)
    return (qs.filter(aanmelding_start__lte=today).order_by("-jaar").first()
            or qs.order_by("jaar").first())



def aanmeldingen(user, gemeente):
    return Aanmelding.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "school", "verkiezing")


def ranking(verkiezing):
    """Applications with their average jury score (1-5 over all criteria and jurors), best
    first; ties by the number of scores given, then by date of application."""
    n_criteria = verkiezing.criteria.count()
    qs = (Aanmelding.objects.filter(verkiezing=verkiezing)
          .select_related("school", "gemeente")
          .annotate(gemiddelde=Avg("scores__score"), n_scores=Count("scores"),
                    n_juryleden=Count("scores__jurylid", distinct=True))
          .order_by("-gemiddelde", "-n_scores", "ingediend_op", "id"))
    rows = list(qs)
    for row in rows:
        row.volledig = bool(n_criteria) and row.n_scores >= n_criteria * max(row.n_juryleden, 1)
    return rows


def scores_van(jurylid, aanmelding):
    return {s.criterium_id: s.score for s in aanmelding.scores.filter(jurylid=jurylid)}


def kandidaten(verkiezing):
    return (Kandidaat.objects.filter(verkiezing=verkiezing)
            .select_related("aanmelding__school", "gemeente").order_by("nummer"))


def publieke_kandidaten(gemeente):
    """Candidates whose parent consented to a public page."""
    return (Kandidaat.objects.filter(gemeente=gemeente, publiek=True,
                                     aanmelding__toestemming_publiek=True)
            .select_related("aanmelding__school", "verkiezing", "gemeente"))


def codereeksen(verkiezing):
    return (StemcodeReeks.objects.filter(verkiezing=verkiezing).select_related("school")
            .annotate(n_gebruikt=Count("codes", filter=Q(codes__status=1))))


def _stemmen_per_kanaal(verkiezing) -> dict:
    """{kanaal: {candidate number: votes}}, summed over the election's ballot boxes."""
    kolommen = Stembus.KOLOMMEN
    rows = (Stembus.objects.filter(verkiezing=verkiezing).values("kanaal")
            .annotate(**{k: Sum(k) for k in kolommen}).order_by())
    return {row["kanaal"]: {n: row[k] or 0 for n, k in enumerate(kolommen, start=1)}
            for row in rows}


def opkomst(verkiezing):
    """Turnout: votes per channel and in total. Visible during voting (it says nothing about
    who wins)."""
    per_kanaal = {k: sum(per.values()) for k, per in _stemmen_per_kanaal(verkiezing).items()}
    return {"per_kanaal": [(k.label, per_kanaal.get(k.value, 0)) for k in Kanaal],
            "counts": {k.value: per_kanaal.get(k.value, 0) for k in Kanaal},
            "totaal": sum(per_kanaal.values())}


def telling(verkiezing, now=None):
    """Votes per candidate and channel. Refused (UitslagGeheim) while voting is still open or
    has not started: nobody, administrators included, sees a count before the window closes."""
    if not verkiezing.stemmen_gesloten(now):
        raise UitslagGeheim(_("De uitslag is geheim tot het stemmen voorbij is."))
    per_kanaal = _stemmen_per_kanaal(verkiezing)
    rows = []
    for kandidaat in kandidaten(verkiezing):
        per = {k.value: per_kanaal.get(k.value, {}).get(kandidaat.nummer, 0) for k in Kanaal}
        rows.append({"kandidaat": kandidaat, "nummer": kandidaat.nummer,
                     "per_kanaal": per, "kolommen": list(per.values()),
                     "totaal": sum(per.values())})
    totals = {k.value: sum(r["per_kanaal"][k.value] for r in rows) for k in Kanaal}
    return {"kandidaten": sorted(rows, key=lambda r: (-r["totaal"], r["nummer"])),
            "per_kanaal": totals, "kolommen": list(totals.values()),
            "totaal": sum(totals.values())}


def controleer_stemmen(verkiezing) -> list[str]:
    """Check the ballot boxes against what was spent: per code channel, the votes in its boxes
    equal the spent codes of that channel; by e-mail, the voters marked as voted (until the
    retention purge deletes them). Every vote in a box must belong to a candidate. Returns the
    differences in Dutch (empty: all agree)."""
    problemen = []
    per_kanaal = _stemmen_per_kanaal(verkiezing)
    gebruikt = dict(Stemcode.objects.filter(verkiezing=verkiezing, status=Stemcode.GEBRUIKT)
                    .values_list("kanaal").annotate(n=Count("id")).values_list("kanaal", "n")
                    .order_by())
    gestemd = EmailKiezer.objects.filter(verkiezing=verkiezing, gestemd=True).count()
    nummers = set(Kandidaat.objects.filter(verkiezing=verkiezing).values_list("nummer",
                                                                           flat=True))
    for kanaal in Kanaal:
        stemmen = sum(per_kanaal.get(kanaal.value, {}).values())
        if kanaal == Kanaal.EMAIL:
            if not gestemd and not EmailKiezer.objects.filter(verkiezing=verkiezing).exists():
                continue  # deleted by the retention purge: nothing left to compare with
            verwacht = gestemd
        else:
            verwacht = gebruikt.get(kanaal.value, 0)
        if stemmen != verwacht:
            problemen.append(_("%(verkiezing)s, %(kanaal)s: %(stemmen)s stemmen in de "
                               "stembussen, maar %(verwacht)s keer gestemd.") % {
                "verkiezing": verkiezing, "kanaal": kanaal.label, "stemmen": stemmen,
                "verwacht": verwacht})
        for nummer, n in per_kanaal.get(kanaal.value, {}).items():
            if n and nummer not in nummers:
                problemen.append(_("%(verkiezing)s, %(kanaal)s: %(n)s stemmen voor nummer "
                                   "%(nummer)s, maar er is geen kandidaat met dat nummer.") % {
                    "verkiezing": verkiezing, "kanaal": kanaal.label, "n": n,
                    "nummer": nummer})
    return problemen


def uitslag_van(verkiezing):
    return Uitslag.objects.filter(verkiezing=verkiezing).select_related(
        "kinderburgemeester__aanmelding__school", "loco__aanmelding__school").first()


def uitslag_openbaar(verkiezing, uitslag, now=None) -> bool:
    """May the public see the result? Only once it is established ("uitslag vaststellen") AND
    from the announced date (`uitslag_datum`) on."""
    now = now or timezone.now()
    return uitslag is not None and timezone.localtime(now).date() >= verkiezing.uitslag_datum


def kanaalgroepen(totalen: dict, minimum: int) -> list[tuple[str, list[str]]]:
    """The channels as the public sees them: [(label, [kanaal, ...])]. A channel with fewer
    than `minimum` votes is not shown on its own: the smallest group is merged with the next
    smallest until every group has at least `minimum` votes. Every channel stays in exactly one
    group, so no hidden figure can be found by subtracting shown ones from a total. One group
    left (or none): [] -- then only totals are shown."""
    labels = dict(Kanaal.choices)
    groepen = sorted((([k], n) for k, n in totalen.items() if n > 0), key=lambda g: g[1])
    while len(groepen) > 1 and groepen[0][1] < minimum:
        (a, na), (b, nb), *rest = groepen
        groepen = sorted([(a + b, na + nb), *rest], key=lambda g: g[1])
    if len(groepen) <= 1:
        return []
    order = list(Kanaal.values)
    out = [sorted(ks, key=order.index) for ks, _n in groepen]
    out.sort(key=lambda ks: order.index(ks[0]))
    en = f" {_('en')} "
    return [(en.join(str(labels[k]) for k in ks), ks) for ks in out]


def publieke_opkomst(verkiezing):
    """Turnout for the public page: per channel group (`kanaalgroepen`) and in total."""
    o = opkomst(verkiezing)
    minimum = instelling_for(verkiezing.gemeente_id).minimum_per_kanaal
    groepen = kanaalgroepen(o["counts"], minimum)
    return {"per_kanaal": [(label, sum(o["counts"][k] for k in ks)) for label, ks in groepen],
            "totaal": o["totaal"]}


def publieke_telling(verkiezing, now=None):
    """The tally as the public sees it: per candidate the total and the votes per channel
    group (`kanaalgroepen`); exact per-channel figures are left out. Refused like `telling`
    while voting is open; the caller shows it only when `uitslag_openbaar`."""
    t = telling(verkiezing, now)
    minimum = instelling_for(verkiezing.gemeente_id).minimum_per_kanaal
    groepen = kanaalgroepen(t["per_kanaal"], minimum)

    def kolommen(per_kanaal):
        return [sum(per_kanaal[k] for k in ks) for _label, ks in groepen]

    return {"kandidaten": [{"kandidaat": r["kandidaat"], "nummer": r["nummer"],
                            "kolommen": kolommen(r["per_kanaal"]), "totaal": r["totaal"]}
                           for r in t["kandidaten"]],
            "kolommen": kolommen(t["per_kanaal"]), "totaal": t["totaal"],
            "kanalen": [(None, label) for label, _ks in groepen]}


def home_summary_verkiezingen(user, gemeente):
    return [(f"{v} – {v.get_fase_display()}", v.get_absolute_url())
            for v in verkiezingen(user, gemeente)[:3]]


# Youth voices --------------------------------------------------------------------------------


# The vote endpoint's cache -----------------------------------------------------------------

class Stembureau(NamedTuple):
    """What a confirmed vote needs to know of its election, besides what it typed."""
    pk: int
    pepper: str
    bedankt_url: str


# (gemeente slug, jaar) -> Stembureau: facts that never change for an election, kept per
# process so a confirmed vote needs no query to find its election. A stale entry cannot let a
# wrong vote through: `services.breng_stem_uit` checks the id, slug, year, window, channel,
# code and candidate in the database itself, and says when the election is not there. Only
# existing elections are kept.
STEMBUREAU_CACHE: dict[tuple[str, int], Stembureau] = {}


def stembureau(gemeente_slug, jaar, fresh=False) -> Stembureau | None:
    """The Stembureau of the election of this gemeente and year (None if there is none), from
    the per-process cache; `fresh` looks it up again."""
    key = (gemeente_slug, jaar)
    if fresh:
        STEMBUREAU_CACHE.pop(key, None)
    found = STEMBUREAU_CACHE.get(key)
    if found is None:
        row = (Verkiezing.objects.filter(gemeente__slug=gemeente_slug, jaar=jaar)
               .values_list("pk", "pepper").first())
        if row is None:
            return None
        found = STEMBUREAU_CACHE[key] = Stembureau(*row, reverse(
            "participation:publiek-bedankt", kwargs={"gemeente": gemeente_slug, "jaar": jaar}))
    return found
