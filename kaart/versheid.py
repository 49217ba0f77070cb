"""Freshness of an aanbod: one rule for every page, the API and the monitor indicator.

`laatst gecontroleerd` (HSDS assured_date) is set only by an explicit check; `laatst gewijzigd`
by every change. The tier follows from the last check (or, never checked, the day the aanbod was
added) and the gemeente's terms (KaartInstelling):

- actueel: checked within `controle_maanden` (default 6);
- controle nodig: the review date has passed;
- verouderd: not checked for `verouderd_maanden` (default 18): gone from the public kaart,
  still shown (marked) to professionals.

An open public report ("Klopt er iets niet?") lowers the tier by one step.

`niveau` decides one aanbod in Python (a page showing it); `niveau_expressie` is the same rule
as one SQL CASE, for counting many (the freshness counts, the share per aanbieder and the
monitor indicator "Aandeel actueel aanbod op de sociale kaart"). Both compare the base date
with the same cut-off days (`laatste_dag`), so they agree also at the ends of months
(tests/kaart/test_indicator.py holds them against each other day by day).
"""

import datetime

from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext
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


def toelichting(aanbod, open_meldingen: int = 0) -> str:
    """The line beside the tier: when the aanbod was last checked, and its open reports."""
    if aanbod.gecontroleerd_op:
        d = aanbod.gecontroleerd_op  # as date_format(d, "j F Y"), at a tenth of its cost
        tekst = gettext("gecontroleerd op %(d)s") % {"d": f"{d.day} {MONTHS[d.month]} {d.year}"}
    else:
        tekst = gettext("nog niet gecontroleerd")
    if open_meldingen:
        tekst += " · " + ngettext("%(n)s open melding", "%(n)s open meldingen",
                                  open_meldingen) % {"n": open_meldingen}
    return tekst


def laatste_dag(vandaag: datetime.date, maanden: int) -> datetime.date:
    """The last base date whose term of `maanden` has ended by `vandaag`: the largest day d
    with plus_maanden(d, maanden) <= vandaag. plus_maanden never decreases as d grows, so every
    earlier day has ended too (31 August + 6 months is 28 February, like 28 August)."""
    dag = plus_maanden(vandaag, -maanden)
    while plus_maanden(dag + datetime.timedelta(days=1), maanden) <= vandaag:
        dag += datetime.timedelta(days=1)
    return dag


def _basis_tot(dag: datetime.date) -> Q:
    """Base date (last check, else the day it was added) on or before `dag`."""
    return (Q(gecontroleerd_op__lte=dag)
            | Q(gecontroleerd_op__isnull=True, aangemaakt_op__lte=dag))


def _verouderd(instelling, vandaag) -> Q:
    return _basis_tot(laatste_dag(vandaag, instelling.verouderd_maanden))


def _controle_verlopen(instelling, vandaag) -> Q:
    """The review date has passed: controle_voor, or (none set) the base date + term."""
    return (Q(controle_voor__lte=vandaag)
            | Q(_basis_tot(laatste_dag(vandaag, instelling.controle_maanden)),
                controle_voor__isnull=True))


def op_kaart_filter(instelling, vandaag=None) -> Q:
    """Aanbod checked (or added) within `verouderd_maanden`: what the public kaart shows."""
    return ~_verouderd(instelling, vandaag or timezone.localdate())


def actueel_filter(instelling, vandaag=None) -> Q:
    """Aanbod in tier actueel by its dates (without looking at open reports)."""
    vandaag = vandaag or timezone.localdate()
    return ~_verouderd(instelling, vandaag) & ~_controle_verlopen(instelling, vandaag)


def niveau_expressie(instelling, vandaag=None, *, open_melding: str = "open_melding") -> Case:
    """`niveau` as SQL: the tier of each row of an aanbod queryset that is annotated with a
    boolean `open_melding` (an open public report exists)."""
    vandaag = vandaag or timezone.localdate()
    verlopen, melding = _controle_verlopen(instelling, vandaag), Q(**{open_melding: True})
    return Case(
        When(_verouderd(instelling, vandaag), then=Value(VEROUDERD)),
        When(verlopen & melding, then=Value(VEROUDERD)),
        When(verlopen | melding, then=Value(CONTROLE_NODIG)),
        default=Value(ACTUEEL))
