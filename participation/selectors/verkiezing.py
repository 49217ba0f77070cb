"""Reads of the kinderburgemeester election, always within one gemeente; the tally is secret
until the voting window has closed. Also the per-process cache of the vote endpoint."""

from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participation.models import Aanmelding, Kanaal, Kandidaat, Stem, StemcodeReeks, Verkiezing


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


def opkomst(verkiezing):
    """Turnout: ballots per channel and in total. Visible during voting (it says nothing about
    who wins)."""
    per_kanaal = dict(Stem.objects.filter(verkiezing=verkiezing).values_list("kanaal")
                      .annotate(n=Count("id")).values_list("kanaal", "n"))
    return {"per_kanaal": [(k.label, per_kanaal.get(k.value, 0)) for k in Kanaal],
            "counts": {k.value: per_kanaal.get(k.value, 0) for k in Kanaal},
            "totaal": sum(per_kanaal.values())}


def telling(verkiezing, now=None):
    """Votes per candidate and channel. Refused (UitslagGeheim) while voting is still open or
    has not started: nobody, administrators included, sees a count before the window closes."""
    if not verkiezing.stemmen_gesloten(now):
        raise UitslagGeheim(_("De uitslag is geheim tot het stemmen voorbij is."))
    counts = {}
    for kandidaat_id, kanaal, n in (Stem.objects.filter(verkiezing=verkiezing)
                                    .values_list("kandidaat_id", "kanaal")
                                    .annotate(n=Count("id"))
                                    .values_list("kandidaat_id", "kanaal", "n")):
        counts.setdefault(kandidaat_id, {})[kanaal] = n
    rows = []
    for kandidaat in kandidaten(verkiezing):
        per = counts.get(kandidaat.pk, {})
        rows.append({"kandidaat": kandidaat, "nummer": kandidaat.nummer,
                     "per_kanaal": {k.value: per.get(k.value, 0) for k in Kanaal},
                     "kolommen": [per.get(k.value, 0) for k in Kanaal],
                     "totaal": sum(per.values())})
    totals = {k.value: sum(r["per_kanaal"][k.value] for r in rows) for k in Kanaal}
    return {"kandidaten": sorted(rows, key=lambda r: (-r["totaal"], r["nummer"])),
            "per_kanaal": totals, "kolommen": list(totals.values()),
            "totaal": sum(totals.values())}


def home_summary_verkiezingen(user, gemeente):
    return [(f"{v} – {v.get_fase_display()}", v.get_absolute_url())
            for v in verkiezingen(user, gemeente)[:3]]


# Youth voices --------------------------------------------------------------------------------


# The vote endpoint's cache -----------------------------------------------------------------

class Stembus(NamedTuple):
    """What a confirmed vote needs to know of its election, besides what it typed."""
    pk: int
    pepper: str
    bedankt_url: str


# (gemeente slug, jaar) -> Stembus: facts that never change for an election, kept per process
# so a confirmed vote needs no query to find its election. A stale entry cannot let a wrong vote
# through: `services.breng_stem_uit` checks the id, slug, year, window, channel, code and
# candidate in the database itself, and says when the election is not there. Only existing
# elections are kept.
STEMBUS_CACHE: dict[tuple[str, int], Stembus] = {}


def stembus(gemeente_slug, jaar, fresh=False) -> Stembus | None:
    """The Stembus of the election of this gemeente and year (None if there is none), from the
    per-process cache; `fresh` looks it up again."""
    key = (gemeente_slug, jaar)
    if fresh:
        STEMBUS_CACHE.pop(key, None)
    found = STEMBUS_CACHE.get(key)
    if found is None:
        row = (Verkiezing.objects.filter(gemeente__slug=gemeente_slug, jaar=jaar)
               .values_list("pk", "pepper").first())
        if row is None:
            return None
        found = STEMBUS_CACHE[key] = Stembus(*row, reverse(
            "participation:publiek-bedankt", kwargs={"gemeente": gemeente_slug, "jaar": jaar}))
    return found
