"""Models of participation, in two parts: `verkiezing` (the kinderburgemeester election) and
`jeugdstem` (youth voices), plus the settings they share (`common`). One app, one label: the
tables are participation_*, whichever module defines the model."""

from participation.models.common import (
    DEFAULT_ANTWOORDTERMIJN_DAGEN,
    DEFAULT_BEWAARTERMIJN_DAGEN,
    Instelling,
)
from participation.models.jeugdstem import (
    Adviesronde,
    Inzending,
    Kinderthema,
    Terugkoppeling,
    Vervolgactie,
)
from participation.models.verkiezing import (
    AANTAL_STEMBUSSEN,
    CODE_KANALEN,
    MAX_KANDIDATEN,
    Aanmelding,
    Criterium,
    EmailKiezer,
    Fase,
    JuryScore,
    Kanaal,
    Kandidaat,
    Stembus,
    Stemcode,
    StemcodeReeks,
    Uitslag,
    Verkiezing,
    keyed_hash,
)

__all__ = [
    "AANTAL_STEMBUSSEN", "CODE_KANALEN", "MAX_KANDIDATEN", "DEFAULT_ANTWOORDTERMIJN_DAGEN",
    "DEFAULT_BEWAARTERMIJN_DAGEN", "Aanmelding",
    "Adviesronde", "Criterium", "EmailKiezer", "Fase", "Instelling", "Inzending", "JuryScore",
    "Kanaal", "Kandidaat", "Kinderthema", "Stembus", "Stemcode", "StemcodeReeks",
    "Terugkoppeling", "Uitslag",
    "Verkiezing", "Vervolgactie", "keyed_hash",
]
