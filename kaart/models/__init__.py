"""The sociale kaart (HSDS 3.0): aanbod (service) of an organisatie (network.Organisatie as HSDS
organization), at locaties with opening hours; freshness (laatst gecontroleerd vs gewijzigd);
change requests from providers; public reports ("Klopt er iets niet?"); verwijsroutes.

Every row has an int pk (for DoelKoppeling and the staff pages) and a UUID (`uuid`) that is its
HSDS id. Aanbod is never deleted: it ends with status beëindigd.

In parts by sub-domain: `instellingen` (KaartInstelling, levensdomeinen, register
inschrijvingen), `locatie` (locaties, openingstijden, uitzonderingen, postcode → buurt), `aanbod`
(aanbod, aanbieders, zoektermen, verwijsroutes), `wijzigingen` (wijzigingsverzoeken and
meldingen) and `ladder` (the activiteitenladder and school holidays). One app, one label: the
tables are kaart_*, whichever module defines the model. Callers import from here.
"""

from kaart.models.aanbod import Aanbieder, Aanbod, Verwijsroute, Verwijsstap, Zoekterm
from kaart.models.instellingen import KaartInstelling, Levensdomein, Registerinschrijving
from kaart.models.ladder import Ladderactiviteit, Schoolvakantie
from kaart.models.locatie import (
    Locatie,
    Openingstijd,
    PostcodeBuurt,
    Uitzondering,
    normaliseer_postcode,
)
from kaart.models.wijzigingen import Melding, Wijzigingsverzoek

__all__ = [
    "Aanbieder", "Aanbod", "KaartInstelling", "Ladderactiviteit", "Levensdomein", "Locatie",
    "Melding", "Openingstijd", "PostcodeBuurt", "Registerinschrijving", "Schoolvakantie",
    "Uitzondering", "Verwijsroute", "Verwijsstap", "Wijzigingsverzoek", "Zoekterm",
    "normaliseer_postcode",
]
