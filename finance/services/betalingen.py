"""Payments: the voorschot termijnen of the schedule and the nabetaling after the vaststelling.
"""


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core import policy
from core.services import save_object
from finance.models import (
    Aanvraag,
    AanvraagJaar,
    Betaling,
    Termijn,
)
from finance.services.base import S, clean_money, current_date, eenmalig, klaar, require, vergrendel
from finance.services.stappen import BETAALBAAR, is_nabetaling, mag, waarom_niet


def _pay(actor, aanvraag, jaar, bedrag, soort, datum, termijn=None):
    """Add a payment to the year and the aanvraag, never beyond what is granted (or, after
    the vaststelling, what was set): one conditional UPDATE each."""
    year_limit = F("toegekend") if aanvraag.vastgesteld is None else F("vastgesteld")
    refused = _("Deze betaling gaat boven de toegekende subsidie uit. Er is niets betaald.")
    if AanvraagJaar.objects.filter(aanvraag=aanvraag, jaar=jaar).filter(
            betaald__lte=year_limit - bedrag).update(betaald=F("betaald") + bedrag) != 1:
        raise ValidationError(refused)
    total_limit = F("toegekend") if aanvraag.vastgesteld is None else F("vastgesteld")
    if Aanvraag.objects.filter(pk=aanvraag.pk, status__in=BETAALBAAR).filter(
            betaald__lte=total_limit - bedrag).update(betaald=F("betaald") + bedrag) != 1:
        raise ValidationError(refused)
    betaling = Betaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag, termijn=termijn,
                        soort=soort, jaar=jaar, datum=datum, bedrag=bedrag,
                        geregistreerd_door=actor if getattr(actor, "pk", None) else None)
    try:
        with transaction.atomic():
            save_object(actor, betaling, check_permission=False)
    except IntegrityError:
        raise ValidationError(_("Deze termijn is al betaald.")) from None
    return betaling


def betaaldatum(datum):
    datum = datum or current_date()
    if datum > current_date():
        raise ValidationError({"datum": _("Een betaling ligt niet in de toekomst: vul de dag in "
                                          "waarop er is betaald.")})
    return datum


def _begin_betaling(actor, aanvraag, datum, sleutel, stap, check_permission):
    """The opening of a payment: permission, a date not in the future, the form's key.
    Returns (datum, key, the earlier Betaling of this exact post or None)."""
    require(actor, policy.ADD, Betaling(gemeente_id=aanvraag.gemeente_id, aanvraag=aanvraag),
            check_permission)
    datum = betaaldatum(datum)
    eerder, sleutel = eenmalig(sleutel, aanvraag, stap)
    return datum, sleutel, (Betaling.objects.get(pk=eerder.resultaat_id) if eerder else None)


@transaction.atomic
def betaal_termijn(actor, termijn: Termijn, *, datum=None, sleutel="",
                   check_permission=True) -> Betaling:
    """Pay one voorschot of the schedule (each once; only scheduled termijnen). Paying a termijn
    that is already paid answers with that payment when it is the same post (`sleutel`)."""
    aanvraag = termijn.aanvraag
    datum, sleutel, eerder = _begin_betaling(actor, aanvraag, datum, sleutel, "betalen",
                                             check_permission)
    if eerder:
        return eerder
    vergrendel(aanvraag)
    termijn.refresh_from_db()
    if aanvraag.status not in BETAALBAAR:
        mag(aanvraag, "betalen")
    if termijn.vervallen:
        raise ValidationError(_("Deze termijn is vervallen."))
    if Betaling.objects.filter(termijn=termijn).exists():
        raise ValidationError(_("Deze termijn is al betaald."))
    if is_nabetaling(aanvraag):
        raise ValidationError(_("Na de vaststelling worden geen voorschotten meer betaald."))
    return klaar(sleutel, _pay(actor, aanvraag, termijn.jaar, termijn.bedrag,
                                Betaling.Soort.VOORSCHOT, datum, termijn=termijn))


@transaction.atomic
def nabetalen(actor, aanvraag, *, jaar: int, bedrag, datum=None, sleutel="",
              check_permission=True):
    """After the vaststelling: pay what was set but not yet paid."""
    datum, sleutel, eerder = _begin_betaling(actor, aanvraag, datum, sleutel, "nabetalen",
                                             check_permission)
    if eerder:
        return eerder
    jaren = vergrendel(aanvraag)
    if aanvraag.status != S.VASTGESTELD:
        raise ValidationError(waarom_niet(aanvraag, "betalen") if aanvraag.status not in
                              BETAALBAAR else _("Een betaling buiten het voorschotschema kan "
                                                "pas na de vaststelling."))
    bedrag = clean_money(bedrag, "bedrag")
    if bedrag <= 0:
        raise ValidationError({"bedrag": _("Een betaling is meer dan € 0.")})
    if int(jaar) not in jaren:
        raise ValidationError({"jaar": _("Dit jaar hoort niet bij de aanvraag.")})
    return klaar(sleutel, _pay(actor, aanvraag, int(jaar), bedrag, Betaling.Soort.NABETALING,
                                datum))


def betaling_op_geweigerde(aanvraag):
    """Used by the forms to give the Dutch error before anything else."""
    return aanvraag.status == S.GEWEIGERD
