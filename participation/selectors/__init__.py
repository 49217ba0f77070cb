"""Reads of participation, in two parts: `verkiezing` (the kinderburgemeester election) and
`jeugdstem` (youth voices), plus what they share (`common`). Callers import from here."""

from participation.selectors.common import basisscholen, instelling_for
from participation.selectors.jeugdstem import (
    TE_BEOORDELEN,
    adviesrondes,
    beantwoorde_openbare,
    behandelaars,
    gebieden,
    home_summary_inzendingen,
    inzendingen,
    kinderthemas,
    publieke_adviesrondes,
    publieke_adviezen,
    te_laat_acties,
    te_laat_inzendingen,
    terugkoppelingen,
    vervolgacties,
    wijken,
)
from participation.selectors.verkiezing import (
    STEMBUREAU_CACHE,
    Stembureau,
    UitslagGeheim,
    aanmeldingen,
    codereeksen,
    controleer_stemmen,
    home_summary_verkiezingen,
    huidige_verkiezing,
    kanaalgroepen,
    kandidaten,
    opkomst,
    publieke_kandidaten,
    publieke_opkomst,
    publieke_telling,
    publieke_verkiezingen,
    ranking,
    scores_van,
    stembureau,
    telling,
    uitslag_openbaar,
    uitslag_van,
    verkiezingen,
)

__all__ = [
    "TE_BEOORDELEN", "gebieden", "kinderthemas", "publieke_adviezen",
    "STEMBUREAU_CACHE", "Stembureau", "UitslagGeheim", "aanmeldingen", "adviesrondes",
    "basisscholen", "beantwoorde_openbare", "behandelaars", "codereeksen", "controleer_stemmen",
    "home_summary_inzendingen", "home_summary_verkiezingen", "huidige_verkiezing",
    "instelling_for", "inzendingen", "kanaalgroepen", "kandidaten", "opkomst",
    "publieke_adviesrondes", "publieke_kandidaten", "publieke_opkomst", "publieke_telling",
    "publieke_verkiezingen", "ranking", "scores_van", "stembureau", "te_laat_acties",
    "te_laat_inzendingen", "telling", "terugkoppelingen", "uitslag_openbaar", "uitslag_van",
    "verkiezingen", "vervolgacties", "wijken",
]
