"""Writing aanbod: the aanbieder record of an organisatie, saving an aanbod, and its search
terms (`indexeer`, stored in zoektekst and Zoekterm)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import save_object
from framework.services import set_doelen
from kaart import versheid, zoeken
from kaart.models import Aanbieder, Aanbod, KaartInstelling


def indexeer(aanbod) -> None:
    """Recompute the aanbod's search terms (stored in zoektekst; the database indexes them)."""
    from kaart.models import Zoekterm

    doelgroep_woorden = [d.naam for d in aanbod.levensdomeinen.all()] if aanbod.pk else []
    terms = zoeken.index_termen(aanbod.naam, aanbod.korte_beschrijving, aanbod.beschrijving,
                                aanbod.doelgroep, aanbod.organisatie.naam, *doelgroep_woorden)
    tekst = " ".join(terms)
    if tekst != aanbod.zoektekst:
        Aanbod.objects.filter(pk=aanbod.pk).update(zoektekst=tekst)
        aanbod.zoektekst = tekst
    bekend = set(Zoekterm.objects.filter(gemeente_id=aanbod.gemeente_id, term__in=terms)
                 .values_list("term", flat=True))
    Zoekterm.objects.bulk_create(
        [Zoekterm(gemeente_id=aanbod.gemeente_id, term=t[:60]) for t in terms if t not in bekend],
        ignore_conflicts=True)


def aanbieder_van(organisatie) -> Aanbieder:
    found, _created = Aanbieder.objects.get_or_create(
        organisatie=organisatie, defaults={"gemeente_id": organisatie.gemeente_id})
    return found


@transaction.atomic
def save_aanbod(actor, aanbod, *, levensdomeinen=None, locaties=None, doelen=None,
                check_permission=True):
    """Create or change an aanbod (redacteur). A new aanbod gets its review date."""
    instelling = KaartInstelling.voor(aanbod.gemeente)
    if aanbod._state.adding and not aanbod.controle_voor:
        aanbod.controle_voor = versheid.plus_maanden(aanbod.aangemaakt_op,
                                                     instelling.controle_maanden)
    aanbod.gewijzigd_op = timezone.now()
    m2m = {}
    if levensdomeinen is not None:
        m2m["levensdomeinen"] = levensdomeinen
    if locaties is not None:
        if any(loc.gemeente_id != aanbod.gemeente_id for loc in locaties):
            raise ValidationError(_("Een locatie hoort bij een andere gemeente."))
        m2m["locaties"] = locaties
    save_object(actor, aanbod, m2m=m2m, check_permission=check_permission)
    if doelen is not None:
        set_doelen(actor, aanbod, doelen, check_permission=check_permission)
    aanbieder_van(aanbod.organisatie)
    indexeer(aanbod)
    return aanbod
