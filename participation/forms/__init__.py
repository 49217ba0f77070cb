"""Forms of participation, in two parts: `verkiezing` (the kinderburgemeester election) and
`jeugdstem` (youth voices), plus what they share (`common`)."""

from participation.forms.common import DateInput, DateTimeInput, InstellingForm
from participation.forms.jeugdstem import (
    AdviesrondeForm,
    AntwoordForm,
    InzendingForm,
    KinderthemasForm,
    ModeratieForm,
    TerugkoppelingForm,
    ToewijzenForm,
    VervolgactieForm,
    VolgForm,
)
from participation.forms.verkiezing import (
    AanmeldForm,
    CriteriumForm,
    JuryScoreForm,
    ShortlistForm,
    StemcodeReeksForm,
    StemForm,
    StemlinkForm,
    VerkiezingForm,
)

__all__ = [
    "KinderthemasForm", "ModeratieForm",
    "AanmeldForm", "AdviesrondeForm", "AntwoordForm", "CriteriumForm", "DateInput",
    "DateTimeInput", "InstellingForm", "InzendingForm", "JuryScoreForm", "ShortlistForm",
    "StemForm", "StemcodeReeksForm", "StemlinkForm", "TerugkoppelingForm", "ToewijzenForm",
    "VerkiezingForm", "VervolgactieForm", "VolgForm",
]
