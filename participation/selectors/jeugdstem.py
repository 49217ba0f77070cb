"""Reads of youth voices ("Jouw stem"), always within one gemeente."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Membership, Role, User
from participation.models import Adviesronde, Inzending, Terugkoppeling, Vervolgactie
from regions.models import Region


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
