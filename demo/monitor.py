"""Demo monitor: the default youth indicator set of issue 5 (about 18 indicators) — definitions
only, no values. A gemeente imports its own figures (docs/monitor-import.md).

Groningen's indicators are tagged with the doelen of its Klaverblad (numbers as in DESIGN.md §3).
Assen gets the same definitions untagged: its leading kader ("Oog voor jeugd") has other doelen,
and mapping them is a policy choice the demo does not make for Assen.
"""

from core.periods import JAAR
from monitor.models import Eenheid, Indicator, MonitorInstelling
from monitor.services import save_indicator, save_instelling

H, L, C = Indicator.Richting.HOGER, Indicator.Richting.LAGER, Indicator.Richting.CONTEXT
PCT, PER1000 = Eenheid.PERCENTAGE, Eenheid.PER_1000
GW = ["gemeente", "wijk"]
G = ["gemeente"]
PEILING = "Peiling: één waarde per peilingsronde (om de twee tot vier jaar); de trend vergelijkt " \
          "rondes, geen kalenderjaren."

# code, naam, teller (or definitie), noemer (None: no ratio), eenheid, richting, bron, niveaus,
# doelen, toelichting
INDICATOREN = [
    ("armoede_kind", "Kinderen in armoede",
     "minderjarige kinderen in huishoudens met een inkomen onder de lage-inkomensgrens",
     "alle minderjarige kinderen in particuliere huishoudens", PCT, L, "CBS", GW, [7], ""),
    ("jeugdhulp_gebruik", "Jongeren met jeugdhulp", "jongeren 0-17 jaar met jeugdhulp in het jaar",
     "alle jongeren 0-17", PCT, C, "CBS Beleidsinformatie Jeugd", GW, [4], ""),
    ("jeugdhulp_verblijf", "Jeugdhulp met verblijf", "jongeren 0-17 met jeugdhulp met verblijf",
     "alle jongeren 0-17", PCT, L, "CBS Beleidsinformatie Jeugd", G, [4], ""),
    ("jeugdbescherming", "Jeugdbeschermingsmaatregel",
     "jongeren 0-17 met een jeugdbeschermingsmaatregel", "alle jongeren 0-17", PCT, L,
     "CBS Beleidsinformatie Jeugd", GW, [1], ""),
    ("wachttijd_jeugdhulp", "Wachttijd jeugdhulp",
     "mediaan aantal dagen tussen aanmelding en start van jeugdhulp", None, Eenheid.DAGEN, L,
     "gemeente / aanbieders", G, [4], ""),
    ("thuiszitters", "Thuiszitters",
     "leerplichtige jongeren die langer dan vier weken zonder geldige reden niet naar school "
     "gaan, plus absoluut verzuimers, op peildatum", None, Eenheid.AANTAL, L,
     "leerplicht (jaarverslag)", G, [6], ""),
    ("vsv", "Voortijdig schoolverlaters",
     "jongeren 12-22 jaar die het onderwijs verlaten zonder startkwalificatie",
     "alle ingeschreven jongeren 12-22", PCT, L, "DUO", G, [6], ""),
    ("startkwalificatie", "Jongeren met startkwalificatie",
     "jongeren 18-22 jaar met minimaal een havo-, vwo- of mbo-2-diploma", "alle jongeren 18-22",
     PCT, H, "CBS", G, [6], ""),
    ("neet", "Jongeren zonder werk of opleiding",
     "jongeren 15-26 jaar zonder werk en zonder onderwijs", "alle jongeren 15-26", PCT, L, "CBS",
     G, [6], ""),
    ("vve_bereik", "Bereik voorschoolse educatie",
     "doelgroeppeuters die voorschoolse educatie volgen", "alle doelgroeppeuters", PCT, H,
     "gemeente / GGD", GW, [5], ""),
    ("overgewicht_4_12", "Overgewicht bij kinderen",
     "kinderen 4-12 jaar met overgewicht (inclusief obesitas) bij JGZ-meting",
     "alle gemeten kinderen 4-12", PCT, L, "JGZ / GGD", GW, [2], ""),
    ("beweegrichtlijn", "Voldoende bewegen", "jongeren die voldoen aan de beweegrichtlijn",
     "de ondervraagde jongeren", PCT, H, "GGD Gezondheidsmonitor Jeugd", GW, [2], PEILING),
    ("vroeggeboorte", "Te vroeg of te klein geboren",
     "levendgeborenen die te vroeg (< 37 weken) of te klein (< p10) geboren zijn",
     "alle levendgeborenen", PCT, L, "Perined", G, [3], ""),
    ("veilig_thuis", "Meldingen kindermishandeling",
     "adviezen en meldingen bij Veilig Thuis over kinderen", "kinderen 0-17", PER1000, C,
     "Veilig Thuis", G, [1], ""),
    ("veilig_buurt", "Veilig voelen in de buurt",
     "jongeren die zich (vrijwel) altijd veilig voelen in hun buurt", "de ondervraagde jongeren",
     PCT, H, "GGD / veiligheidsmonitor", GW, [1], PEILING),
    ("psychosociaal", "Psychosociale problemen",
     "jongeren met een verhoogd risico op psychosociale problemen (SDQ)",
     "de ondervraagde jongeren", PCT, L, "GGD Gezondheidsmonitor Jeugd", GW, [2, 8], PEILING),
    ("invloed", "Ervaren invloed",
     "jongeren die vinden dat ze invloed hebben op wat er in hun buurt of gemeente gebeurt",
     "de ondervraagde jongeren", PCT, H, "eigen jongerenpeiling / GGD", GW, [8, 9], PEILING),
    ("vrijwilligerswerk", "Jongeren doen vrijwilligerswerk",
     "jongeren die het afgelopen jaar vrijwilligerswerk deden", "de ondervraagde jongeren", PCT,
     H, "GGD", G, [10], PEILING),
]


def definitie(teller, noemer, eenheid):
    if noemer is None:
        return teller
    if eenheid == PER1000:
        return f"{teller}, per 1.000 {noemer}"
    return f"{teller}, als deel van {noemer}"


def load(gemeente, ctx: dict) -> None:
    """ctx["indicatoren"]: the demo indicators by code."""
    doelen = ctx.get("doelen", {}) if gemeente.cbs_code == "GM0014" else {}
    save_instelling(None, MonitorInstelling(gemeente=gemeente), check_permission=False)
    result = {}
    for volgorde, (code, naam, teller, noemer, eenheid, richting, bron, niveaus, nummers,
                   toelichting) in enumerate(INDICATOREN, start=1):
        indicator = Indicator(
            gemeente=gemeente, code=code, naam=naam,
            definitie=definitie(teller, noemer, eenheid), eenheid=eenheid, richting=richting,
            bron=bron, niveaus=niveaus, periodetype=JAAR, is_ratio=noemer is not None,
            teller_definitie=teller if noemer else "", noemer_definitie=noemer or "",
            toelichting=toelichting, volgorde=volgorde)
        result[code] = save_indicator(
            None, indicator, doelen=[doelen[n] for n in nummers if n in doelen],
            check_permission=False)
    ctx["indicatoren"] = result
