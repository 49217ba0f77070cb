"""Reads for participation, always within one gemeente."""

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Membership, Role
from network.models import Organisatie
from participation.models import (
    Aanmelding,
    Adviesronde,
    Instelling,
    Inzending,
    Kanaal,
    Kandidaat,
    Stem,
    StemcodeReeks,
    Verkiezing,
    Vervolgactie,
)
from regions.models import Region


class UitslagGeheim(PermissionDenied):
    """The tally of an election whose voting window is still open: nobody may see it."""


def instelling_for(gemeente) -> Instelling:
    """The gemeente's settings, or the defaults (unsaved) when it has none yet."""
    gemeente_id = getattr(gemeente, "pk", gemeente)
    return (Instelling.objects.filter(gemeente_id=gemeente_id).first()
            or Instelling(gemeente_id=gemeente_id))


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


def basisscholen(gemeente):
    return Organisatie.objects.filter(gemeente=gemeente,
                                      type=Organisatie.Type.BASISSCHOOL).order_by("naam")


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

def inzendingen(user, gemeente):
    return Inzending.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "behandelaar", "wijk", "adviesronde")


def te_laat_inzendingen(gemeente=None, today=None):
    """Unanswered submissions past their deadline (all gemeenten when gemeente is None)."""
    today = today or timezone.localdate()
    qs = Inzending.objects.filter(beantwoord_op__isnull=True, gesloten_op__isnull=True,
                                  deadline__lt=today)
    return qs.filter(gemeente=gemeente) if gemeente is not None else qs


def te_laat_acties(gemeente, today=None):
    today = today or timezone.localdate()
    return (Vervolgactie.objects.filter(gemeente=gemeente, streefdatum__lt=today,
                                        status__in=[Vervolgactie.Status.GEPLAND,
                                                    Vervolgactie.Status.BEZIG])
            .select_related("inzending__gemeente", "inzending__behandelaar"))


def vervolgacties(user, gemeente):
    return Vervolgactie.objects.filter(gemeente=gemeente).select_related("inzending__gemeente")


def terugkoppelingen(user, gemeente):
    from participation.models import Terugkoppeling

    return Terugkoppeling.objects.filter(gemeente=gemeente).select_related("inzending__gemeente")


def adviesrondes(user, gemeente):
    return (Adviesronde.objects.filter(gemeente=gemeente).select_related("gemeente")
            .annotate(n_adviezen=Count("adviezen")).order_by("-open_tot", "-id"))


def publieke_adviesrondes(gemeente):
    return Adviesronde.objects.filter(gemeente=gemeente).select_related("gemeente")


def beantwoorde_openbare(gemeente, limit=20):
    """"Jij zei – wij deden": answered submissions whose sender agreed to publication."""
    return (Inzending.objects.filter(gemeente=gemeente, openbaar=True,
                                     beantwoord_op__isnull=False)
            .select_related("wijk").prefetch_related("vervolgacties")
            .order_by("-beantwoord_op")[:limit])


def behandelaars(gemeente):
    from core.models import User

    ids = Membership.objects.filter(gemeente=gemeente, role=Role.BELEIDSMEDEWERKER).values(
        "user_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def wijken(gemeente):
    """The wijken of the gemeente's most recent CBS indeling."""
    laatste = (Region.objects.filter(gemeente=gemeente, soort=Region.Soort.WIJK)
               .order_by("-jaar").values_list("jaar", flat=True).first())
    return Region.objects.filter(gemeente=gemeente, soort=Region.Soort.WIJK,
                                 jaar=laatste).order_by("naam")


def home_summary_inzendingen(user, gemeente):
    from django.urls import reverse

    open_ = Inzending.objects.filter(gemeente=gemeente, gesloten_op__isnull=True).count()
    laat = te_laat_inzendingen(gemeente).count()
    return [
        (_("%(n)s open") % {"n": open_},
         reverse("participation:inzending-list", kwargs={"gemeente": gemeente.slug})),
        (_("%(n)s te laat") % {"n": laat},
         reverse("participation:te-laat", kwargs={"gemeente": gemeente.slug})),
    ]
