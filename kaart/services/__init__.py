"""Every write of the sociale kaart: one transaction each, permission-checked through
core.policy and audited (core.audit).

In parts by sub-domain: `aanbod` (saving aanbod and its search terms), `locaties` (locaties,
openingstijden, uitzonderingen), `wijzigingen` (wijzigingsverzoeken), `controle` (freshness:
the check, the one-click links, reminders and escalation), `meldingen` ("Klopt er iets
niet?") and `common` (the outbox messages and the partner check they share). Callers import
from here (`from kaart import services; services.save_aanbod`).
"""

from kaart.services.aanbod import aanbieder_van, indexeer, save_aanbod
from kaart.services.common import KINDS
from kaart.services.controle import (
    KLOPT,
    LINK_SALT,
    WIJZIGEN,
    controleer,
    controlelink_token,
    controlelinks,
    escaleer,
    herinner_aanbieders,
    klopt_nog_via_link,
    lees_controlelink,
)
from kaart.services.locaties import (
    buurt_bij_postcode,
    delete_uitzondering,
    mag_openingstijden_voorstellen,
    mag_openingstijden_wijzigen,
    save_locatie,
    save_uitzondering,
    tijden_per_dag,
    wijzig_openingstijden,
    zet_openingstijden,
)
from kaart.services.meldingen import (
    beantwoord_melding,
    meld_fout,
    werkdagen_later,
    wis_melding_emails,
)
from kaart.services.wijzigingen import (
    DIRECTE_VELDEN,
    WIJZIGBARE_VELDEN,
    dien_wijziging_in,
    diff,
    huidige_waarden,
    keur_wijziging_goed,
    stuur_wijziging_terug,
)

__all__ = [
    "DIRECTE_VELDEN", "KINDS", "KLOPT", "LINK_SALT", "WIJZIGBARE_VELDEN", "WIJZIGEN",
    "aanbieder_van", "beantwoord_melding", "buurt_bij_postcode", "controleer",
    "controlelink_token", "controlelinks", "delete_uitzondering", "diff", "dien_wijziging_in",
    "escaleer", "herinner_aanbieders", "huidige_waarden", "indexeer", "keur_wijziging_goed",
    "klopt_nog_via_link", "lees_controlelink", "mag_openingstijden_voorstellen",
    "mag_openingstijden_wijzigen", "meld_fout", "save_aanbod", "save_locatie",
    "save_uitzondering", "stuur_wijziging_terug", "tijden_per_dag", "werkdagen_later",
    "wijzig_openingstijden", "wis_melding_emails", "zet_openingstijden",
]
