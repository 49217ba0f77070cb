"""Every write of participation, in two parts: the kinderburgemeester election (`kandidaten`:
applications, jury and the retention of the election's personal data; `stemmen`: voting codes
and the vote; `uitslag`: the result) and `jeugdstem` (youth voices), plus what they share
(`common`: the redacted audit and the settings) and the retention of personal data in both
(`retention`). Callers import from here.
"""

from participation.services.common import AUDIT_FIELDS, audit, redacted, save_instelling
from participation.services.jeugdstem import (
    anonimiseer_inzendingen,
    beantwoord,
    delete_inzending,
    dien_inzending_in,
    escaleer_te_laat,
    keur_goed,
    markeer_als_spam,
    save_adviesronde,
    save_kinderthemas,
    save_vervolgactie,
    signalen,
    sluit_af,
    verberg,
    voeg_terugkoppeling_toe,
    wijs_toe,
    wis_inzending_emails,
    zoek_inzending,
)
from participation.services.kandidaten import (
    bevestig_kandidaten,
    dien_aanmelding_in,
    geef_scores,
    wis_gegevens_na_termijn,
    wis_verkiezingsgegevens,
    wis_verliezende_kandidaten,
)
from participation.services.retention import wis_persoonsgegevens
from participation.services.stemmen import (
    EMAIL_LINK_GELDIG,
    Melding,
    breng_stem_uit,
    controleer_code,
    controleer_kandidaat,
    controleer_venster,
    kiezer_voor_link,
    maak_stemcodes,
    stem_met_code,
    stem_met_link,
    trek_reeks_in,
    vraag_stemlink_aan,
)
from participation.services.uitslag import lotvolgorde, rangorde, stel_uitslag_vast

__all__ = [
    "AUDIT_FIELDS", "EMAIL_LINK_GELDIG", "Melding", "anonimiseer_inzendingen", "audit",
    "beantwoord", "keur_goed", "markeer_als_spam", "save_kinderthemas", "signalen", "verberg",
    "delete_inzending", "bevestig_kandidaten",
    "breng_stem_uit", "controleer_code", "controleer_kandidaat", "controleer_venster",
    "dien_aanmelding_in", "dien_inzending_in", "escaleer_te_laat", "geef_scores",
    "kiezer_voor_link", "lotvolgorde", "maak_stemcodes",
    "rangorde", "redacted", "save_adviesronde", "save_instelling", "save_vervolgactie",
    "sluit_af", "stel_uitslag_vast", "stem_met_code", "stem_met_link", "trek_reeks_in",
    "voeg_terugkoppeling_toe", "vraag_stemlink_aan", "wijs_toe", "wis_inzending_emails",
    "wis_gegevens_na_termijn", "wis_persoonsgegevens", "wis_verkiezingsgegevens",
    "wis_verliezende_kandidaten",
    "zoek_inzending",
]
