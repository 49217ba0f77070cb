"""Demo of the Klaverblad-toets: Groningen's seed documents (the budget paragraph on Positief
Opgroeien and the revised SPT wijkplan 2021) held against its Klaverblad, by the demo
beleidsmedewerker; one judgement overridden with a reason, as a person would."""

from pathlib import Path

from core.models import User
from toets import services
from toets.models import Beleidsterrein

DATA = Path(__file__).resolve().parent / "data" / "toets"
DOCUMENTEN = [
    ("Begroting 2021, 4.1.3 Positief opgroeien", Beleidsterrein.JEUGD, 2021,
     "Gemeente Groningen, Sociaal klimaat", "begroting_positief_opgroeien.txt"),
    ("Bijgesteld wijkplan Positief Opgroeien SPT 2021", Beleidsterrein.JEUGD, 2021,
     "Stuurgroep Positief Opgroeien SPT", "wijkplan_spt_2021.txt"),
]


def load(gemeente, ctx: dict) -> None:
    if gemeente.cbs_code != "GM0014":
        return
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    for titel, terrein, jaar, eigenaar, bestand in DOCUMENTEN:
        document = services.toets_document(
            beleid, gemeente, titel=titel, beleidsterrein=terrein, jaar=jaar,
            eigenaar=eigenaar, data=(DATA / bestand).read_bytes(), bestandsnaam=bestand)
        ctx.setdefault("toets_documenten", []).append(document)
    oordeel = ctx["toets_documenten"][1].laatste_toetsing.oordelen.get(doel__nummer=9)
    services.beoordeel(beleid, oordeel, status="aangetoond",
                       reden="De vreedzame kinderraad geeft kinderen in SPT echt invloed op hun "
                             "wijk; dat staat in de activiteitentabel.")
