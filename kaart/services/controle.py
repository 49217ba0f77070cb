"""Freshness: the explicit check of an aanbod, the one-click links for its provider ('klopt
nog', 'wijzigen'), and the scheduled reminders before the review date and escalation after
it."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.notifications import absolute
from kaart import versheid
from kaart.models import Aanbod, KaartInstelling, Melding
from kaart.services.common import is_partner_van, meld, ontvangers

LINK_SALT = "kaart.controlelink"
KLOPT, WIJZIGEN = "klopt", "wijzigen"


@transaction.atomic
def controleer(actor, aanbod, *, door: str = ""):
    """'Klopt nog': the only way `laatst gecontroleerd` is set. Starts a new review term."""
    if actor is not None:
        _require_controle(actor, aanbod)
    aanbod = Aanbod.objects.select_for_update().get(pk=aanbod.pk)
    before = snapshot(aanbod)
    instelling = KaartInstelling.voor(aanbod.gemeente)
    vandaag = timezone.localdate()
    aanbod.gecontroleerd_op = vandaag
    aanbod.gecontroleerd_door = door or str(actor)
    aanbod.controle_voor = versheid.plus_maanden(vandaag, instelling.controle_maanden)
    aanbod.herinnerd_op = None
    aanbod.save(update_fields=["gecontroleerd_op", "gecontroleerd_door", "controle_voor",
                               "herinnerd_op"])
    record(actor, AuditEntry.Action.UPDATE, aanbod, before, snapshot(aanbod))
    return aanbod


def _require_controle(actor, aanbod):
    if not (policy.can(actor, policy.CHANGE, aanbod) or is_partner_van(actor, aanbod)):
        raise PermissionDenied(_("U mag dit aanbod niet controleren."))


def controlelink_token(aanbod, doel: str) -> str:
    """A signed token for exactly one thing (klopt / wijzigen) on exactly one aanbod, valid
    until the aanbod is checked again (the last check date is part of what is signed)."""
    if doel not in (KLOPT, WIJZIGEN):
        raise ValueError(doel)
    gecontroleerd = aanbod.gecontroleerd_op.isoformat() if aanbod.gecontroleerd_op else ""
    return signing.dumps({"a": str(aanbod.uuid), "d": doel, "c": gecontroleerd},
                         salt=LINK_SALT, compress=True)


def lees_controlelink(gemeente, token: str, doel: str):
    """The aanbod a valid, unexpired, unused token of this purpose points at; else
    ValidationError with the reason in Dutch."""
    instelling = KaartInstelling.voor(gemeente)
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(
            days=instelling.link_dagen))
    except signing.SignatureExpired:
        raise ValidationError(_("Deze link is verlopen.")) from None
    except signing.BadSignature:
        raise ValidationError(_("Deze link klopt niet.")) from None
    if data.get("d") != doel:
        raise ValidationError(_("Deze link klopt niet."))
    aanbod = Aanbod.objects.select_related("gemeente", "organisatie").filter(
        gemeente=gemeente, uuid=data.get("a")).first()
    if aanbod is None:
        raise ValidationError(_("Deze link klopt niet."))
    gecontroleerd = aanbod.gecontroleerd_op.isoformat() if aanbod.gecontroleerd_op else ""
    if data.get("c") != gecontroleerd:
        raise ValidationError(_("Deze link is al gebruikt: het aanbod is intussen "
                                "gecontroleerd."))
    return aanbod


@transaction.atomic
def klopt_nog_via_link(gemeente, token: str):
    aanbod = lees_controlelink(gemeente, token, KLOPT)
    return controleer(None, aanbod, door=_("aanbieder (via de controlelink)"))


# Scheduled: reminders before the review date, escalation after it ---------------------------

def controlelinks(aanbod) -> dict:
    from django.urls import reverse

    return {doel: absolute(reverse(f"kaart:publiek-{'klopt-nog' if doel == KLOPT else doel}",
                                   kwargs={"gemeente": aanbod.gemeente.slug,
                                           "token": controlelink_token(aanbod, doel)}))
            for doel in (KLOPT, WIJZIGEN)}


def herinner_aanbieders(vandaag=None) -> int:
    """Before an aanbod's review date: one message to the provider (partners of the
    organisatie, else the organisatie's or aanbod's e-mail address) with the one-click links
    'klopt nog' and 'wijzigen'. Returns the number of aanbod reminded."""
    vandaag = vandaag or timezone.localdate()
    n = 0
    for instelling_gemeente in _gemeenten_met_aanbod():
        instelling = KaartInstelling.voor(instelling_gemeente)
        grens = vandaag + datetime.timedelta(days=instelling.herinnering_dagen)
        due = (Aanbod.objects.filter(gemeente=instelling_gemeente, herinnerd_op__isnull=True,
                                     controle_voor__lte=grens)
               .exclude(status=Aanbod.Status.BEEINDIGD).select_related("gemeente",
                                                                      "organisatie"))
        for aanbod in due:
            with transaction.atomic():
                links = controlelinks(aanbod)
                body = _("Klopt de informatie over '%(naam)s' op de sociale kaart nog? Kijk "
                         "het voor %(datum)s na.\n\nAlles klopt nog: %(klopt)s\n"
                         "Iets wijzigen: %(wijzigen)s\n\nDe links werken zonder inloggen, "
                         "%(dagen)s dagen lang, en alleen voor dit aanbod.") % {
                    "naam": aanbod.naam, "datum": aanbod.controle_voor.strftime("%d-%m-%Y"),
                    "klopt": links[KLOPT], "wijzigen": links[WIJZIGEN],
                    "dagen": instelling.link_dagen}
                partners = ontvangers(aanbod.gemeente, organisatie=aanbod.organisatie)
                adres = "" if partners else (aanbod.organisatie.email or aanbod.email)
                if partners or adres:
                    meld(aanbod.gemeente, "kaart.controle",
                          _("Klopt uw aanbod nog? %(naam)s") % {"naam": aanbod.naam}, body,
                          obj=aanbod, organisatie=aanbod.organisatie, email=adres,
                          key=f"kaart.herinnering:{aanbod.pk}:{aanbod.controle_voor}")
                Aanbod.objects.filter(pk=aanbod.pk).update(herinnerd_op=vandaag)
                n += 1
    return n


def escaleer(vandaag=None) -> dict:
    """To the redacteuren, once each: aanbod past its review date (not checked after the
    reminder) and reports not answered within their term."""
    vandaag = vandaag or timezone.localdate()
    telling = {"controles": 0, "meldingen": 0}
    for gemeente in _gemeenten_met_aanbod():
        for aanbod in Aanbod.objects.filter(gemeente=gemeente, controle_voor__lt=vandaag
                                            ).exclude(status=Aanbod.Status.BEEINDIGD):
            meld(gemeente, "kaart.escalatie",
                  _("Niet gecontroleerd: %(naam)s") % {"naam": aanbod.naam},
                  _("De aanbieder heeft dit aanbod niet op tijd gecontroleerd (uiterlijk "
                    "%(datum)s). Neem contact op of zet het op beëindigd.") % {
                      "datum": aanbod.controle_voor.strftime("%d-%m-%Y")},
                  obj=aanbod, redacteur=True, url=aanbod.get_absolute_url(),
                  key=f"kaart.escalatie:{aanbod.pk}:{aanbod.controle_voor}")
            telling["controles"] += 1
        for melding in Melding.objects.filter(gemeente=gemeente, status=Melding.Status.OPEN,
                                              antwoord_voor__lt=vandaag).select_related(
                "aanbod__gemeente"):
            meld(gemeente, "kaart.escalatie",
                  _("Melding niet op tijd beantwoord: %(naam)s") % {"naam": melding.aanbod.naam},
                  _("Deze melding had uiterlijk %(datum)s een antwoord moeten hebben.") % {
                      "datum": melding.antwoord_voor.strftime("%d-%m-%Y")},
                  obj=melding, redacteur=True, url=melding.get_absolute_url(),
                  key=f"kaart.melding-escalatie:{melding.pk}")
            telling["meldingen"] += 1
    return telling


def _gemeenten_met_aanbod():
    from core.models import Gemeente

    return Gemeente.objects.filter(pk__in=Aanbod.objects.values("gemeente_id")).order_by("pk")
