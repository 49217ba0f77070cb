"""Demo network: SPT's stuurgroep as revised for 2021 (seed 002), with role titles and tasks
from the source and no invented personal names."""

from core.services import save_object
from network.models import Organisatie, Stuurgroep, StuurgroepRol

T = Organisatie.Type

# Organisations named in seed 002; their soort is our best reading of the source.
SPT_ORGANISATIES = [
    ("Pendinghe", T.BASISSCHOOL),
    ("Kids First", T.KINDEROPVANG),
    ("Bekenkampschool", T.SPECIAAL_ONDERWIJS),
    ("Sunny Selwerd", T.KINDEROPVANG),
    ("SKSG Melkweg", T.KINDEROPVANG),
    ("WIJ-team SPT", T.WIJ_TEAM),
    ("JGZ Groningen", T.JGZ),
    ("Jeugdwerk SPT", T.JEUGDWERK),
    ("Gemeente Groningen", T.GEMEENTE),
    ("Hanze Hogeschool, lectoraat integraal jeugdbeleid", T.KENNISINSTELLING),
]

# Postal addresses, for the addressee of a beschikking: made up in the form of a real address, on
# the streets of the neighbourhood that the sociale kaart's demo locations (demo/kaart.py) use. Only
# the gemeente's and the Hanze's are their public postal addresses.
ADRESSEN = {
    "Pendinghe": "Zaagmuldersweg 5, 9744 AE Groningen",
    "Kids First": "Iepenlaan 7, 9741 AD Groningen",
    "Bekenkampschool": "Pleiadenlaan 30, 9742 AJ Groningen",
    "Sunny Selwerd": "Eikenlaan 24, 9741 AG Groningen",
    "SKSG Melkweg": "Melkweg 2, 9742 AH Groningen",
    "WIJ-team SPT": "Eikenlaan 10, 9741 AA Groningen",
    "JGZ Groningen": "Siriusstraat 2, 9743 AC Groningen",
    "Jeugdwerk SPT": "Pleiadenlaan 4, 9742 AB Groningen",
    "Gemeente Groningen": "Postbus 30026, 9700 RM Groningen",
    "Hanze Hogeschool, lectoraat integraal jeugdbeleid": "Zernikeplein 7, 9747 AS Groningen",
    "GGD Drenthe, jeugdgezondheidszorg": "Postbus 144, 9400 AC Assen",
}

SPT_WERKWIJZE = (
    "Taken van de stuurgroep: eindverantwoordelijk voor het wijkplan; verbinden en initiëren; "
    "visie en mandaat; opdrachten formuleren voor de coördinator; check op uitvoering en "
    "resultaat. Voorzitter, vertegenwoordiger en coördinator vormen samen een overleg dat "
    "structuur en vorm geeft aan het stuurgroepoverleg en de documenten die in omloop zijn. "
    "Sinds 2021 is er geen aanjager meer; de coördinator bewaakt de voortgang."
)

R = StuurgroepRol.Rol
SPT_ROLLEN = [
    (R.VOORZITTER, "Voorzitter stuurgroep", None, [
        "Voorzitterschap tijdens vergadering",
        "Opstellen agenda stuurgroep bijeenkomsten",
        "Aanspreekpunt samenwerkingspartners in de wijk",
        "Overlegpartner van vertegenwoordiger en coördinator",
    ]),
    (R.VERTEGENWOORDIGER, "Vertegenwoordiger stuurgroep", "Gemeente Groningen", [
        "Voortgang wijkplan / plan van aanpak controleren",
        "Contact en afstemming met 'trekker'",
        "Vlottrekken knelpunten die door de coördinator niet kunnen worden opgelost",
        "Overlegpartner van voorzitter en coördinator",
        "Contact met en verantwoordelijk naar de gemeente Groningen",
    ]),
    (R.COORDINATOR, "Coördinator Positief Opgroeien (voortgangsbewaker)", None, [
        "Overzicht / 'spin in het web'",
        "Coördinatie",
        "Contact met alle organisaties rondom het kind; controletaak op uitvoering, houdt het "
        "proces in het oog",
        "Met het doel voor ogen dat de stuurgroep formuleert: opdrachten uitvoeren",
        "Knelpunten vlottrekken",
        "Terugkoppeling voortgang naar stuurgroep tijdens regulier overleg",
        "Overlegpartner van vertegenwoordiger en voorzitter",
        "Gezicht zijn van het netwerk en het netwerk goed onderhouden",
    ]),
    *[(R.LID, "", naam, []) for naam in
      ["Pendinghe", "Kids First", "Bekenkampschool", "Sunny Selwerd", "SKSG Melkweg"]],
]


def _create(obj, m2m=None):
    return save_object(None, obj, m2m=m2m, check_permission=False)


def load(gemeente, ctx: dict) -> None:
    """Organisaties (ctx["organisaties"], by naam) and, in Groningen, SPT's stuurgroep."""
    loader = {"GM0014": _load_groningen, "GM0106": _load_assen}[gemeente.cbs_code]
    ctx["organisaties"] = loader(gemeente, ctx["gebieden"])


def _load_groningen(gemeente, gebieden) -> dict[str, Organisatie]:
    spt = gebieden["SPT"]
    orgs = {}
    for naam, soort in SPT_ORGANISATIES:
        in_spt = soort != T.GEMEENTE and "Hanze" not in naam
        orgs[naam] = _create(Organisatie(gemeente=gemeente, naam=naam, type=soort,
                                         adres=ADRESSEN[naam]),
                             m2m={"gebieden": [spt] if in_spt else []})
    stuurgroep = _create(Stuurgroep(gemeente=gemeente, gebied=spt,
                                    naam="Stuurgroep Positief Opgroeien SPT",
                                    werkwijze=SPT_WERKWIJZE))
    for i, (rol, titel, org_naam, taken) in enumerate(SPT_ROLLEN):
        _create(StuurgroepRol(gemeente=gemeente, stuurgroep=stuurgroep, rol=rol, titel=titel,
                              organisatie=orgs.get(org_naam), taken="\n".join(taken),
                              volgorde=i))
    return orgs


def _load_assen(gemeente, gebieden) -> dict[str, Organisatie]:
    naam = "GGD Drenthe, jeugdgezondheidszorg"
    org = _create(Organisatie(gemeente=gemeente, naam=naam, type=T.JGZ, adres=ADRESSEN[naam]),
                  m2m={"gebieden": [gebieden["Assen-Oost"]]})
    return {org.naam: org}
