"""Demo frameworks. Groningen: the Klaverblad of the Kadernota Positief Opgroeien 2022-2032
(seed 001, clean reading in DESIGN.md §3). Assen: "Oog voor jeugd" (seed 003): its "Hier bouwen we
aan" statements as the leading kader and its four acties as another kader mapped onto them."""

import datetime

from framework.models import Doel, Kader
from framework.services import save_doel, save_kader

KADERNOTA = ("https://gemeenteraad.groningen.nl/Documenten/Raadsvoorstellen/Bijlage-Positief-"
             "Opgroeien-Preventief-integraal-jeugdbeleid-Gemeente-Groningen-2022-2032.pdf")

GRONINGEN_MISSIE = (
    "Dat alle jeugdigen kansrijk, gezond en veilig opgroeien in een positieve, stimulerende — "
    "bij voorkeur hun eigen — omgeving, waarin ze kansen krijgen hun talenten te ontwikkelen, "
    "actief te participeren en hun stem te laten horen.")
GRONINGEN_VISIE = ("Een positief opvoed- en opgroeiklimaat draagt bij aan kansrijk, gezond, "
                   "veilig opgroeien.")
GRONINGEN_DOELEN = [
    "Alle jeugdigen groeien op in een veilige thuissituatie, buurt en opvang- en "
    "schoolomgeving",
    "Alle jeugdigen hebben een gezonde en actieve leefstijl",
    "Alle kinderen hebben een kansrijke start vanaf de geboorte",
    "(Tijdige) toegang tot (jeugd)hulp voor jeugd en gezinnen",
    "Alle kinderen maken gebruik van kansen binnen de voorschoolse voorzieningen en het onderwijs",
    "Geen jeugdigen thuis zonder onderwijs, alle jeugdigen een startkwalificatie en kans op werk",
    "Geen kinderen en jongeren groeien op in armoede",
    "Jeugdigen hebben het gevoel dat ze ertoe doen",
    "Alle jeugdigen zijn zich ervan bewust dat ze invloed hebben",
    "Alle jeugdigen voelen zich verantwoordelijk voor zichzelf en hun omgeving",
]
TOELICHTING_4 = ("Het eerste woord is in de bron niet leesbaar; 'Tijdige' is de meest "
                 "waarschijnlijke lezing.")

ASSEN_BOUWEN = [
    "Jong zijn in Assen is leuk!",
    "Opgroeien en opvoeden gaat met vallen en opstaan",
    "CJG gaat uit van eigen kracht en verantwoordelijkheid",
    "Ook kinderen met opvallend gedrag doen mee",
    "De gemeente Assen stuurt op resultaat",
    "Partners omarmen de nieuwe cultuur",
]
# (actie, numbers of the "Hier bouwen we aan" statements it serves, as the text says)
ASSEN_ACTIES = [
    ("Kinderen en jongeren beslissen mee", [1]),
    ("Eigen kracht en verantwoordelijkheid", [2, 3]),
    ("Kwetsbare jeugd voorop", [4]),
    ("Aansluiting op de arbeidsmarkt", [1]),
]


def _create(obj, **kwargs):
    return save_kader(None, obj, check_permission=False) if isinstance(obj, Kader) else \
        save_doel(None, obj, check_permission=False, **kwargs)


def load(gemeente, ctx: dict) -> None:
    """ctx["klaverblad"] is the Kader; ctx["doelen"] its doelen by nummer."""
    if gemeente.cbs_code == "GM0014":
        kader = _create(Kader(
            gemeente=gemeente, naam="Klaverblad Positief Opgroeien", soort=Kader.Soort.KLAVERBLAD,
            missie=GRONINGEN_MISSIE, visie=GRONINGEN_VISIE, kern="Kind, jongere, gezin centraal",
            leeftijd_van=-9, leeftijd_tot=27 * 12, geldig_van=datetime.date(2022, 1, 1),
            geldig_tot=datetime.date(2032, 12, 31),
            bron=f"Kadernota Positief Opgroeien 2022-2032: {KADERNOTA}"))
        doelen = {i: _create(Doel(gemeente=gemeente, kader=kader, nummer=i, tekst=tekst,
                                  toelichting=TOELICHTING_4 if i == 4 else ""))
                  for i, tekst in enumerate(GRONINGEN_DOELEN, start=1)}
    else:
        kader = _create(Kader(
            gemeente=gemeente, naam="Oog voor jeugd: hier bouwen we aan",
            soort=Kader.Soort.KLAVERBLAD, missie="Jong zijn in Assen is leuk!",
            kern="Kinderen, jongeren en hun ouders zitten zelf aan het stuur",
            geldig_van=datetime.date(2012, 1, 1), bron="Oog voor jeugd, gemeente Assen"))
        doelen = {i: _create(Doel(gemeente=gemeente, kader=kader, nummer=i, tekst=tekst))
                  for i, tekst in enumerate(ASSEN_BOUWEN, start=1)}
        acties = _create(Kader(
            gemeente=gemeente, naam="Oog voor jeugd: acties", soort=Kader.Soort.ANDER,
            geldig_van=datetime.date(2012, 1, 1), bron="Oog voor jeugd, gemeente Assen"))
        for i, (tekst, nummers) in enumerate(ASSEN_ACTIES, start=1):
            _create(Doel(gemeente=gemeente, kader=acties, nummer=i, tekst=tekst),
                    klaverblad_doelen=[doelen[n] for n in nummers])
    ctx["klaverblad"] = kader
    ctx["doelen"] = doelen
