"""Reads of youth voices ("Jouw stem"), always within one gemeente."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Membership, Role, User
from framework.selectors import klaverblad_doelen
from participation.models import (
    Adviesronde,
    Inzending,
    Kinderthema,
    Terugkoppeling,
    Vervolgactie,
)
from regions.models import Gebied, Region


def inzendingen(user, gemeente):
    return Inzending.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "behandelaar", "wijk", "gebied", "thema", "adviesronde")


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
    return Terugkoppeling.objects.filter(gemeente=gemeente).select_related("inzending__gemeente")


def adviesrondes(user, gemeente):
    return (Adviesronde.objects.filter(gemeente=gemeente).select_related("gemeente")
            .annotate(n_adviezen=Count("adviezen")).order_by("-open_tot", "-id"))


def publieke_adviesrondes(gemeente):
    return Adviesronde.objects.filter(gemeente=gemeente).select_related("gemeente")


# Public: the child agreed, staff approved the public text, not hidden, not spam, answered
# (Inzending.is_openbaar says the same of one row).
OPENBAAR = Q(openbaar=True, goedgekeurd_op__isnull=False, verborgen_op__isnull=True,
             spam_op__isnull=True, beantwoord_op__isnull=False)


def beantwoorde_openbare(gemeente, limit=20):
    """"Jij zei – wij deden": answered submissions whose sender agreed to publication and
    whose public text staff approved. Templates show `publieke_tekst`, never `tekst`."""
    return (Inzending.objects.filter(OPENBAAR, gemeente=gemeente)
            .prefetch_related("vervolgacties").order_by("-beantwoord_op")[:limit])


def publieke_adviezen(ronde):
    """The answered advice of a round, for its public page: hidden and spam left out; the
    template shows the child's words only of those that are `is_openbaar`."""
    return ronde.adviezen.filter(beantwoord_op__isnull=False, verborgen_op__isnull=True,
                                 spam_op__isnull=True).order_by("beantwoord_op")


# Messages a child wants public whose public text nobody approved yet.
TE_BEOORDELEN = Q(openbaar=True, goedgekeurd_op__isnull=True, spam_op__isnull=True,
                  geanonimiseerd_op__isnull=True)


def kinderthemas(gemeente):
    """The themes of the children's form: those whose doel is in the current Klaverblad."""
    return (Kinderthema.objects.filter(gemeente=gemeente,
                                       doel__in=klaverblad_doelen(gemeente))
            .select_related("doel").order_by("volgorde", "id"))


def gebieden(gemeente):
    return Gebied.objects.filter(gemeente=gemeente).order_by("naam")


def behandelaars(gemeente):
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
    open_ = Inzending.objects.filter(gemeente=gemeente, gesloten_op__isnull=True).count()
    laat = te_laat_inzendingen(gemeente).count()
    return [
        (_("%(n)s open") % {"n": open_},
         reverse("participation:inzending-list", kwargs={"gemeente": gemeente.slug})),
        (_("%(n)s te laat") % {"n": laat},
         reverse("participation:te-laat", kwargs={"gemeente": gemeente.slug})),
    ]
