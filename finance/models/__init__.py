"""Money for Positief Opgroeien: budgets, subsidieregelingen, aanvragen and what follows them.

In parts by sub-domain: `budget` (programmabudget, gebiedsbudgetten, the wijkplan begroting),
`regeling` (subsidieregelingen and verantwoordingsklassen), `aanvraag` (the aanvraag, its years,
begroting and bijlagen), `betaling` (termijnen, betalingen, beschikkingen, wijzigingen,
terugbetalingen and the idempotency key `Handeling`) and `verantwoording`. One app, one label:
the tables are finance_*, whichever module defines the model. Callers import from here.

Counters that limits depend on (`Programmabudget.toegewezen`, `Gebiedsbudget.toegekend`,
`Regeling.toegekend`, `AanvraagJaar.betaald`) are not editable: only finance.services changes
them, with a conditional UPDATE inside the decision's transaction, so two decisions at the same
moment can never over-commit a budget (DESIGN.md §5). A CHECK constraint on each table is the
last line of defence.
"""

from finance.models.aanvraag import (
    Aanvraag,
    AanvraagBestand,
    AanvraagDeel,
    AanvraagJaar,
    Begrotingsregel,
    bijlage_pad,
)
from finance.models.betaling import (
    Beschikking,
    Betaling,
    Handeling,
    Termijn,
    Terugbetaling,
    Wijziging,
    beschikking_pad,
)
from finance.models.budget import (
    JAAR_VALIDATORS,
    Gebiedsbudget,
    Programmabudget,
    WijkplanBegrotingsregel,
)
from finance.models.regeling import (
    DEFAULT_KLASSEN,
    MAX_JAREN,
    Eis,
    Regeling,
    Verantwoordingsklasse,
)
from finance.models.verantwoording import Verantwoording, VerantwoordingBestand, bestand_pad

__all__ = [
    "DEFAULT_KLASSEN", "JAAR_VALIDATORS", "MAX_JAREN", "Aanvraag", "AanvraagBestand",
    "AanvraagDeel", "AanvraagJaar", "Begrotingsregel", "Beschikking", "Betaling", "Eis",
    "Gebiedsbudget", "Handeling", "Programmabudget", "Regeling", "Termijn", "Terugbetaling",
    "Verantwoording", "VerantwoordingBestand", "Verantwoordingsklasse", "Wijziging",
    "WijkplanBegrotingsregel", "beschikking_pad", "bestand_pad", "bijlage_pad",
]
