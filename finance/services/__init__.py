"""Every write use-case of finance: one transaction each, permission-checked, audited.

A package by part of the subsidy life cycle; callers use `from finance import services` and
`services.verlenen(...)`, as before:

- `base`: plumbing (permission, money parsing, the conditional UPDATE `reserve`, the aanvraag
  row lock, idempotency keys);
- `stappen`: the state machine of an aanvraag (`STAPPEN`, `waarom_niet`) and the checks it uses;
- `budgetten`, `regelingen`: programmabudget and gebiedsbudgetten; regelingen and tiers;
- `aanvragen`: the concept, its bijlagen, indienen;
- `besluiten`: beoordelen, verlenen, weigeren, wijzigen (with beschikking and reservation);
- `betalingen`: voorschotten and the nabetaling;
- `afrekening`: verantwoording, vaststelling, intrekking, terugvordering;
- `wijkplanbegroting`: the begroting lines of a wijkplanversie.
"""

from finance.services.aanvragen import (
    add_bijlage,
    bijlage_stap,
    delete_aanvraag,
    delete_bijlage,
    indienen,
    save_aanvraag,
)
from finance.services.afrekening import (
    TERUGBETAALTERMIJN_WEKEN,
    intrekken,
    terugbetalen,
    vaststellen,
    verantwoorden,
    voorstel_vaststelling,
)
from finance.services.besluiten import OORDELEN, beoordelen, verlenen, weigeren, wijzigen
from finance.services.betalingen import betaal_termijn, betaling_op_geweigerde, nabetalen
from finance.services.budgetten import (
    delete_gebiedsbudget,
    save_gebiedsbudget,
    save_programmabudget,
)
from finance.services.regelingen import (
    klasse_voor,
    klassen_van,
    publiceren,
    save_klasse,
    save_regeling,
)
from finance.services.stappen import (
    BETAALBAAR,
    STAPPEN,
    begroting_per_jaar,
    beoordeling_compleet,
    eisen_voor,
    is_nabetaling,
    mogelijke_stappen,
    ontbreekt,
    periode_einde,
    verantwoorden_voor,
    waarom_niet,
)
from finance.services.wijkplanbegroting import (
    begroting_overnemen,
    delete_wijkplanregel,
    save_wijkplanregel,
)

__all__ = [
    "BETAALBAAR", "OORDELEN", "STAPPEN", "TERUGBETAALTERMIJN_WEKEN", "add_bijlage",
    "bijlage_stap",
    "begroting_overnemen", "begroting_per_jaar", "beoordelen", "beoordeling_compleet",
    "betaal_termijn", "betaling_op_geweigerde", "delete_aanvraag", "delete_bijlage",
    "delete_gebiedsbudget", "delete_wijkplanregel", "eisen_voor", "indienen", "intrekken",
    "is_nabetaling",
    "klasse_voor", "klassen_van", "mogelijke_stappen", "nabetalen", "ontbreekt",
    "periode_einde", "publiceren", "save_aanvraag", "save_gebiedsbudget", "save_klasse",
    "save_programmabudget", "save_regeling", "save_wijkplanregel", "terugbetalen",
    "vaststellen", "verantwoorden", "verantwoorden_voor", "voorstel_vaststelling",
    "verlenen", "waarom_niet", "weigeren", "wijzigen",
]
