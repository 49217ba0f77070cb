"""Freshness of an aanbod: one rule for every page, the API and the monitor indicator.

`laatst gecontroleerd` (HSDS assured_date) is set only by an explicit check; `laatst gewijzigd`
by every change. The tier follows from the last check (or, never checked, the day the aanbod was
added) and the gemeente's terms (KaartInstelling):

- actueel: checked within `controle_maanden` (default 6);
- controle nodig: the review date has passed;
- verouderd: not checked for `verouderd_maanden` (default 18): gone from the public kaart,
  still shown (marked) to professionals.

An open public report ("Klopt er iets niet?") lowers the tier by one step.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTUEEL, CONTROLE_NODIG, VEROUDERD = "actueel", "controle_nodig", "verouderd"
LABELS = {ACTUEEL: _("actueel"), CONTROLE_NODIG: _("controle nodig"),
          VEROUDERD: _("verouderd")}
_ORDER = [ACTUEEL, CONTROLE_NODIG, VEROUDERD]


def plus_maanden(day: datetime.date, maanden: int) -> datetime.date:
    month = day.month - 1 + maanden
    year, month = day.year + month // 12, month % 12 + 1
    for dag in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, dag)
        except ValueError:
            continue
    raise ValueError(day)


def basisdatum(aanbod) -> datetime.date:
    return aanbod.gecontroleerd_op or aanbod.aangemaakt_op


def controle_datum(aanbod, instelling) -> datetime.date:
    return plus_maanden(basisdatum(aanbod), instelling.controle_maanden)


def niveau(aanbod, instelling, *, open_meldingen: int = 0, vandaag=None) -> str:
    vandaag = vandaag or timezone.localdate()
    basis = basisdatum(aanbod)
    if plus_maanden(basis, instelling.verouderd_maanden) <= vandaag:
        tier = VEROUDERD
    elif (aanbod.controle_voor or controle_datum(aanbod, instelling)) <= vandaag:
        tier = CONTROLE_NODIG
    else:
        tier = ACTUEEL
    if open_meldingen and tier != VEROUDERD:
        tier = _ORDER[_ORDER.index(tier) + 1]
    return tier


def op_kaart_filter(instelling, vandaag=None) -> Q:
    """Aanbod checked (or added) within `verouderd_maanden`: what the public kaart shows."""
    vandaag = vandaag or timezone.localdate()
    grens = plus_maanden(vandaag, -instelling.verouderd_maanden)
    return (Q(gecontroleerd_op__gt=grens)
            | Q(gecontroleerd_op__isnull=True, aangemaakt_op__gt=grens))


def actueel_filter(instelling, vandaag=None) -> Q:
    """Aanbod whose review date has not passed (without looking at open reports)."""
    vandaag = vandaag or timezone.localdate()
    return Q(controle_voor__gt=vandaag)
