"""The sociale kaart's monitor indicator: "Aandeel actueel aanbod op de sociale kaart".

Per gemeente, wijk and buurt (the gemeente's latest CBS indeling) and per month:

- teller: aanbod in tier actueel (versheid.niveau: checked within the review term, review
  date not passed, no open public report);
- noemer: aanbod that is not beëindigd (actief or tijdelijk gesloten, stale aanbod included);
- waarde: teller / noemer as a percentage.

An aanbod counts in each buurt where it has a locatie (once) and in the wijken of those
buurten; aanbod without a locatie in a buurt counts only for the gemeente. A gebied's figure is
the monitor's own sum of its wijken/buurten (an aanbod at locaties in two buurten of one
gebied counts twice there). The figures come from kaart.selectors.versheid_per_regio, the same
rule as the counts on the kaart's pages and the share per aanbieder.

Periode: the month (the indicator's periodetype, maand unless the gemeente changed it). The
scheduled job (kaart.tasks) and `manage.py bereken_kaartindicator` write the current month's
figures as they are that day; a later run in the same month replaces them, the same figures
change nothing (monitor.services.schrijf_berekening), and a month that has ended keeps the
figures of its last run. The monitor never imports the kaart: the kaart writes into it.
"""

import logging

from django.db import transaction
from django.utils import timezone

from core import imports
from core.periods import MAAND, Periode
from kaart import selectors
from kaart.models import Aanbod
from monitor import services as monitor_services
from monitor.models import Eenheid, Indicator

logger = logging.getLogger(__name__)

CODE = "kaart_actueel"
BRON = "Sociale kaart (Opgroeien)"


def nieuwe_indicator(gemeente) -> Indicator:
    """The definition (stored data, in Dutch, like every indicator's texts)."""
    return Indicator(
        gemeente=gemeente, code=CODE, naam="Aandeel actueel aanbod op de sociale kaart",
        definitie=("Aanbod op de sociale kaart dat actueel is, als deel van al het aanbod "
                   "dat niet beëindigd is."),
        eenheid=Eenheid.PERCENTAGE, richting=Indicator.Richting.HOGER, bron=BRON,
        niveaus=["gemeente", "wijk", "buurt"], periodetype=MAAND, is_ratio=True,
        teller_definitie=("aanbod dat actueel is: gecontroleerd binnen de controletermijn, "
                          "de controledatum is niet voorbij en er is geen open melding"),
        noemer_definitie=("aanbod met de status actief of tijdelijk gesloten (ook verouderd "
                          "aanbod)"),
        toelichting=("Berekend door Opgroeien uit de sociale kaart, elke nacht voor de "
                     "lopende maand: de stand van de laatste berekening in de maand. Een "
                     "aanbod telt mee in elke buurt en wijk waar het een locatie heeft."),
        volgorde=100)


@transaction.atomic
def indicator_voor(gemeente) -> Indicator:
    """The gemeente's indicator (code kaart_actueel), created when it is not there yet. A
    beleidsmedewerker may rename it or change its texts; it is never overwritten."""
    found = Indicator.objects.select_for_update().filter(gemeente=gemeente, code=CODE).first()
    if found is not None:
        return found
    return monitor_services.save_indicator(None, nieuwe_indicator(gemeente),
                                           check_permission=False)


def bereken(gemeente, vandaag=None) -> imports.Resultaat | None:
    """Compute the gemeente's figures as they are `vandaag` and write them for the period
    that contains it. None when the gemeente has no CBS regions to put them on."""
    vandaag = vandaag or timezone.localdate()
    indicator = indicator_voor(gemeente)
    cijfers = selectors.versheid_per_regio(gemeente, vandaag)
    if cijfers.jaar is None:
        return None
    from regions.models import Region

    # Every wijk and buurt of the indeling gets its figure, 0 of 0 where there is no aanbod
    # (suppressed like any figure under minimum_n): the sums of a gebied stay complete.
    per_regio = {**cijfers.wijken, **cijfers.buurten}
    rijen = []
    for region in Region.objects.filter(
            gemeente=gemeente, jaar=cijfers.jaar,
            soort__in=[Region.Soort.GEMEENTE, Region.Soort.WIJK, Region.Soort.BUURT]):
        v = (cijfers.gemeente if region.soort == Region.Soort.GEMEENTE
             else per_regio.get(region, selectors.Versheid()))
        rijen.append(monitor_services.Cijfer(region, teller=v.actueel, noemer=v.totaal))
    return monitor_services.schrijf_berekening(
        None, indicator, Periode.containing(vandaag, indicator.periodetype), rijen, bron=BRON,
        check_permission=False)


def gemeenten_met_kaart():
    """The gemeenten that use the kaart: they have aanbod."""
    from core.models import Gemeente

    return Gemeente.objects.filter(
        pk__in=Aanbod.objects.values("gemeente_id")).order_by("pk")


def bereken_alle(vandaag=None) -> dict:
    """Every gemeente that uses the kaart: {gemeente slug: 'ingelezen' | 'ongewijzigd' |
    'geen regio's'}. One gemeente's failure does not stop the others; afterwards it fails
    the run (the jobs page shows it) naming each gemeente and its reason."""
    uitkomsten, fouten = {}, []
    for g in gemeenten_met_kaart():
        try:
            r = bereken(g, vandaag)
        except Exception as exc:  # noqa: BLE001 - reported below, after the other gemeenten
            logger.exception("kaart-indicator %s", g.slug)
            fouten.append(f"{g.slug}: {exc}")
            continue
        uitkomsten[g.slug] = r.status if r is not None else "geen regio's"
    if fouten:
        raise RuntimeError("; ".join(fouten))
    return uitkomsten
