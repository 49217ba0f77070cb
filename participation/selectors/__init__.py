"""Reads of participation, in two parts: `verkiezing` (the kinderburgemeester election) and
`jeugdstem` (youth voices), plus what they share (`common`). Callers import from here."""

from participation.selectors.common import basisscholen, instelling_for
from participation.selectors.jeugdstem import (
    adviesrondes,
    beantwoorde_openbare,
    behandelaars,
    home_summary_inzendingen,
    inzendingen,
    publieke_adviesrondes,
    te_laat_acties,
    te_laat_inzendingen,
    terugkoppelingen,
    vervolgacties,
    wijken,
)
from participation.selectors.verkiezing import (
    STEMBUS_CACHE,
    Stembus,
    UitslagGeheim,
    aanmeldingen,
    codereeksen,
    home_summary_verkiezingen,
    huidige_verkiezing,
    kandidaten,
    opkomst,
    publieke_kandidaten,
    publieke_verkiezingen,
    ranking,
    scores_van,
    stembus,
    telling,
    verkiezingen,
)

__all__ = [
    "STEMBUS_CACHE", "Stembus", "UitslagGeheim", "aanmeldingen", "adviesrondes",
    "basisscholen", "beantwoorde_openbare", "behandelaars", "codereeksen",
    "home_summary_inzendingen", "home_summary_verkiezingen", "huidige_verkiezing",
    "instelling_for", "inzendingen", "kandidaten", "opkomst", "publieke_adviesrondes",
    "publieke_kandidaten", "publieke_verkiezingen", "ranking", "scores_van", "stembus",
    "te_laat_acties", "te_laat_inzendingen", "telling", "terugkoppelingen", "verkiezingen",
    "vervolgacties", "wijken",
]
