"""Demo sociale kaart: invented aanbod of the demo organisaties (no real persons, invented
phone numbers in the 050 / 0592 ranges, example.org addresses), with locaties in SPT and
Beijum, opening hours, and a mix of freshness: most checked recently, one due for a check, one
not checked for two years (verouderd: gone from the public kaart, marked for professionals),
and this month's figure of the monitor indicator "Aandeel actueel aanbod op de sociale kaart".
The postcode → buurt rows are invented for the demo, not the real PC4 areas."""

import datetime
import importlib
from decimal import Decimal

from django.utils import timezone

from kaart import services, versheid
from kaart.models import Aanbod, Levensdomein, Locatie, PostcodeBuurt
from network.models import Organisatie, Persoon
from regions.models import Region

A = Aanbod
T = datetime.time

GRONINGEN_POSTCODES = {"9741": "BU00141000", "9742": "BU00141001", "9743": "BU00141002",
                       "9744": "BU00141005", "9733": "BU00141100", "9734": "BU00141101"}
ASSEN_POSTCODES = {"9401": "BU01060300", "9402": "BU01060301"}

# naam, organisatie, adres, postcode, telefoon, opening hours [(weekdag, open, sluit)],
# (latitude, longitude): a point in the buurt the demo postcode lies in (Selwerd,
# Paddepoel-Zuid, Paddepoel-Noord, Tuinwijk, Beijum-West), so the distance search works.
GRONINGEN_LOCATIES = [
    ("Buurthuis De Schakel", "WIJ-team SPT", "Eikenlaan 10", "9741 AA", "050 000 1010",
     [(d, T(9), T(17)) for d in range(1, 6)], ("53.233420", "6.554870")),
    ("Jongerenruimte Het Dok", "Jeugdwerk SPT", "Pleiadenlaan 4", "9742 AB", "050 000 1020",
     [(3, T(13), T(17)), (5, T(15), T(22)), (6, T(12), T(17))], ("53.236150", "6.545210")),
    ("Consultatiebureau Paddepoel", "JGZ Groningen", "Siriusstraat 2", "9743 AC",
     "050 000 1030", [(1, T(8, 30), T(12)), (4, T(8, 30), T(16, 30))],
     ("53.241180", "6.542790")),
    ("Kids First Selwerd", "Kids First", "Iepenlaan 7", "9741 AD", "050 000 1040",
     [(d, T(7, 30), T(18, 30)) for d in range(1, 6)], ("53.231730", "6.553960")),
    ("Pendinghe gymzaal", "Pendinghe", "Zaagmuldersweg 5", "9744 AE", "050 000 1050",
     [(2, T(15), T(17)), (4, T(15), T(17))], ("53.228240", "6.556910")),
    ("Wijkpost Beijum", "WIJ-team SPT", "Beijumerweg 12", "9733 AF", "050 000 1060",
     [(2, T(9), T(12)), (4, T(13), T(16))], ("53.244630", "6.598470")),
]

MAANDEN = 12
# naam, organisatie, korte beschrijving (B1), domeinen, doelen, (van, tot) in months, kosten,
# prijs, aanmelden, locaties, days since last check (None: never), extra fields
GRONINGEN_AANBOD = [
    ("Voorleesochtend voor peuters", "Kids First",
     "Elke woensdag lezen we samen prentenboeken voor. Ouders en peuters zijn welkom.",
     ["onderwijs", "opvoeden"], [3, 5], (18, 48), "gratis", None, "direct",
     ["Kids First Selwerd"], 20, {"talen": "nl, en"}),
    ("Opvoedspreekuur", "WIJ-team SPT",
     "Vragen over opvoeden? Loop binnen of bel. Een opvoedcoach denkt met u mee.",
     ["opvoeden", "hulp"], [1, 4], (-9, 18 * MAANDEN), "gratis", None, "direct",
     ["Buurthuis De Schakel", "Wijkpost Beijum"], 40,
     {"verwijzen": "Aanmelden kan direct bij het WIJ-team; een verwijzing is niet nodig. "
                   "Bespreek met de ouder wie het contact legt."}),
    ("Consultatiebureau 0-4 jaar", "JGZ Groningen",
     "Uw kind wordt gewogen en gemeten. U krijgt advies over voeding, slapen en groeien.",
     ["gezondheid", "opvoeden"], [2, 3], (0, 4 * MAANDEN), "gratis", None, "direct",
     ["Consultatiebureau Paddepoel"], 10, {"talen": "nl, en, ar, tr"}),
    ("Zwangerschapsgroep", "JGZ Groningen",
     "Samen met andere aanstaande ouders praten over de zwangerschap en de eerste weken.",
     ["gezondheid"], [3], (-9, 0), "gratis", None, "direct",
     ["Consultatiebureau Paddepoel"], 100, {}),
    ("Tienerinloop", "Jeugdwerk SPT",
     "Chillen, gamen en praten met de jongerenwerker. Gewoon binnenlopen.",
     ["vrije-tijd"], [8, 10], (10 * MAANDEN, 14 * MAANDEN), "gratis", None, "direct",
     ["Jongerenruimte Het Dok"], 60, {}),
    ("Meidenclub", "Jeugdwerk SPT",
     "Een middag voor meiden: koken, dansen en praten over wat jou bezighoudt.",
     ["vrije-tijd", "gezondheid"], [8], (11 * MAANDEN, 16 * MAANDEN), "prijs", "1.00",
     "direct", ["Jongerenruimte Het Dok"], 175, {"kosten_toelichting": "€ 1 per keer"}),
    ("Naschoolse sportclub", "Pendinghe",
     "Twee keer per week sporten na school: voetbal, turnen en spelletjes.",
     ["sport"], [2], (4 * MAANDEN, 12 * MAANDEN), "inkomen", "25.00", "direct",
     ["Pendinghe gymzaal"], 30,
     {"kosten_toelichting": "€ 25 per half jaar; gratis met de Stadjerspas"}),
    ("Huiswerkbegeleiding", "Jeugdwerk SPT",
     "Hulp bij je huiswerk en plannen, drie middagen per week.",
     ["onderwijs"], [5, 6], (10 * MAANDEN, 16 * MAANDEN), "gratis", None, "wachttijd",
     ["Jongerenruimte Het Dok"], 50, {"wachttijd": "ongeveer 4 weken"}),
    ("Schuldhulp voor gezinnen", "WIJ-team SPT",
     "Heeft u geldzorgen? We helpen u met een plan en praten met de schuldeisers.",
     ["geld", "hulp"], [7], (-9, 27 * MAANDEN), "gratis", None, "direct",
     ["Buurthuis De Schakel"], 90, {}),
    ("Opvoedcursus Positief Opvoeden", "WIJ-team SPT",
     "Cursus van zes avonden voor ouders van kinderen van 2 tot 12 jaar.",
     ["opvoeden"], [1], (2 * MAANDEN, 12 * MAANDEN), "gratis", None, "verwijzing",
     ["Buurthuis De Schakel"], 200, {"verwijzen": "Verwijzing via het WIJ-team of de JGZ."}),
    ("Zomerspelweek", "Jeugdwerk SPT",
     "Een week spelen, knutselen en op pad in de zomervakantie.",
     ["vrije-tijd", "sport"], [2, 8], (6 * MAANDEN, 12 * MAANDEN), "prijs", "5.00", "direct",
     ["Jongerenruimte Het Dok"], 730, {}),
]

ASSEN_AANBOD = [
    ("Consultatiebureau Assen-Oost", "GGD Drenthe, jeugdgezondheidszorg",
     "Wegen, meten en advies over groeien voor kinderen tot 4 jaar.",
     ["gezondheid"], [], (0, 4 * MAANDEN), "gratis", None, "direct", [], 15, {}),
]


def _loc(gemeente, orgs, naam, org, adres, postcode, telefoon, tijden, punt):
    loc = Locatie(gemeente=gemeente, organisatie=orgs[org], naam=naam, adres=adres,
                  postcode=postcode, plaats=gemeente.naam, telefoon=telefoon,
                  latitude=Decimal(punt[0]), longitude=Decimal(punt[1]))
    services.save_locatie(None, loc, check_permission=False)
    services.zet_openingstijden(None, loc, tijden, check_permission=False)
    return loc


def load(gemeente, ctx: dict) -> None:
    """The kaart of the gemeente: ctx["aanbod"] by naam."""
    groningen = gemeente.cbs_code == "GM0014"
    for pc, code in (GRONINGEN_POSTCODES if groningen else ASSEN_POSTCODES).items():
        buurt = Region.objects.filter(gemeente=gemeente, code=code).first()
        if buurt:
            PostcodeBuurt.objects.create(gemeente=gemeente, postcode=pc, buurt=buurt)
    orgs = dict(ctx["organisaties"])
    locaties = {}
    if groningen:
        for row in GRONINGEN_LOCATIES:
            locaties[row[0]] = _loc(gemeente, orgs, *row)
        Persoon.objects.create(
            gemeente=gemeente, naam="Team Voorzorg (WIJ-team SPT)", functie="aanmeldpunt",
            telefoon="050 000 1011", email="voorzorg@example.org",
            organisatie=orgs["WIJ-team SPT"])
    doelen = ctx.get("doelen", {})
    # The levensdomeinen are reference data made by a migration; a test run that flushed the
    # database (transactional tests) loads the demo again without migrating, so make sure.
    for i, (code, naam) in enumerate(importlib.import_module(
            "kaart.migrations.0002_zoekindex_levensdomeinen").LEVENSDOMEINEN):
        Levensdomein.objects.get_or_create(code=code, defaults={"naam": naam, "volgorde": i})
    domeinen = {d.code: d for d in Levensdomein.objects.all()}
    vandaag = timezone.localdate()
    result = {}
    for (naam, org, kort, dom, doel_nrs, (van, tot), kosten, prijs, aanmelden, locs, dagen,
         extra) in (GRONINGEN_AANBOD if groningen else ASSEN_AANBOD):
        gezien = vandaag - datetime.timedelta(days=dagen)
        a = Aanbod(gemeente=gemeente, organisatie=orgs[org], naam=naam,
                   korte_beschrijving=kort, leeftijd_van=van, leeftijd_tot=tot, kosten=kosten,
                   prijs=prijs, aanmelden=aanmelden, aangemaakt_op=gezien,
                   telefoon=locaties[locs[0]].telefoon if locs else "", **extra)
        if naam == "Opvoedspreekuur":
            a.contactpersoon = Persoon.objects.get(gemeente=gemeente,
                                                   naam="Team Voorzorg (WIJ-team SPT)")
        services.save_aanbod(None, a, levensdomeinen=[domeinen[c] for c in dom],
                             locaties=[locaties[n] for n in locs],
                             doelen=[doelen[n] for n in doel_nrs if n in doelen],
                             check_permission=False)
        # The demo's history: the last explicit check was `dagen` ago.
        Aanbod.objects.filter(pk=a.pk).update(
            gecontroleerd_op=gezien, gecontroleerd_door="demo",
            controle_voor=versheid.plus_maanden(gezien, 6))
        result[naam] = a
    ctx["aanbod"] = result
    if groningen:
        load_verwijsroutes(gemeente, orgs, result)
        from kaart.ladder import huidig_schooljaar

        load_ladder(gemeente, orgs, huidig_schooljaar())
    # The monitor indicator "Aandeel actueel aanbod op de sociale kaart", as the nightly job
    # makes it: this month's figures (Assen's single aanbod is suppressed: below minimum_n).
    from kaart import indicator

    indicator.bereken(gemeente)


# Activiteitenladder: two SPT schools (Pendinghe from the network demo, an invented second one).
VAKANTIES_NOORD = [  # demo dates in the pattern of DUO's advice for region Noord; editable
    ("Herfstvakantie", (10, 17), (10, 25)), ("Kerstvakantie", (12, 19), (1, 3)),
    ("Voorjaarsvakantie", (2, 20), (2, 28)), ("Meivakantie", (4, 24), (5, 2)),
    ("Zomervakantie", (7, 10), (8, 22)),
]
# school, aanbieder, activiteit, weekdag, begin, eind, groepen, plaatsen, bezet, prijs, korting
LADDER = [
    ("Pendinghe", "Pendinghe", "Naschoolse sportclub", 2, T(15), T(16), (3, 8), 20, 14,
     "25.00", 100),
    ("Pendinghe", "Jeugdwerk SPT", "Knutselclub", 3, T(12, 30), T(14), (1, 4), 12, 12, "0", 0),
    ("Pendinghe", "Pendinghe", "Naschoolse sportclub", 4, T(15), T(16), (3, 8), 20, 9,
     "25.00", 100),
    ("Pendinghe", "Jeugdwerk SPT", "Huiswerkklas", 1, T(15), T(16, 30), (6, 8), 10, 4, "0", 0),
    ("OBS De Tuinwijk (demo)", "Jeugdwerk SPT", "Theaterles", 1, T(15, 15), T(16, 15), (4, 8),
     15, 6, "30.00", 75),
    ("OBS De Tuinwijk (demo)", "Kids First", "Peuter- en kleuterspel", 3, T(12, 30), T(14),
     (1, 2), 16, 11, "0", 0),
]


def load_ladder(gemeente, orgs, jaar):
    from core.services import save_object
    from kaart.models import Ladderactiviteit, Schoolvakantie

    for naam, (m1, d1), (m2, d2) in VAKANTIES_NOORD:
        y1 = jaar.jaar if m1 >= 8 else jaar.jaar + 1
        y2 = y1 if (m2, d2) >= (m1, d1) else y1 + 1  # the summer ends in August after it
        Schoolvakantie.objects.create(gemeente=gemeente, regio="noord", schooljaar=jaar,
                                      naam=naam, van=datetime.date(y1, m1, d1),
                                      tot=datetime.date(y2, m2, d2))
    if "OBS De Tuinwijk (demo)" not in orgs:
        orgs["OBS De Tuinwijk (demo)"] = save_object(None, Organisatie(
            gemeente=gemeente, naam="OBS De Tuinwijk (demo)", type=Organisatie.Type.BASISSCHOOL),
            check_permission=False)
    for school, aanbieder, naam, dag, begin, eind, (g1, g2), plaatsen, bezet, prijs, korting \
            in LADDER:
        save_object(None, Ladderactiviteit(
            gemeente=gemeente, school=orgs[school], schooljaar=jaar, aanbieder=orgs[aanbieder],
            naam=naam, weekdag=dag, begin=begin, eind=eind, groep_van=g1, groep_tot=g2,
            plaatsen=plaatsen, bezet=bezet, prijs=prijs, korting=korting,
            locatie=f"{orgs[school].naam}"), check_permission=False)


# Verwijsroutes (seeds 003/004: one family, one plan, one regisseur), invented for the demo.
ROUTES = [
    ("Ik maak me zorgen over de ontwikkeling van mijn kind", "JGZ Groningen", "WIJ-team SPT",
     [("De jeugdverpleegkundige kijkt met u naar uw kind en geeft advies.", None),
      ("Is er meer nodig? Dan maakt het WIJ-team met u één plan.", "Opvoedspreekuur"),
      ("Een cursus kan helpen.", "Opvoedcursus Positief Opvoeden")]),
    ("Mijn kind gaat niet (meer) naar school", "WIJ-team SPT", "WIJ-team SPT",
     [("Het WIJ-team praat met u, uw kind en de school.", None),
      ("Samen maakt u een plan om weer naar school te gaan.", "Huiswerkbegeleiding")]),
    ("Ik heb geldzorgen", "WIJ-team SPT", "WIJ-team SPT",
     [("U krijgt hulp met een plan voor uw geld.", "Schuldhulp voor gezinnen")]),
]


def load_verwijsroutes(gemeente, orgs, aanbod):
    from core.services import save_object
    from kaart.models import Verwijsroute, Verwijsstap

    for i, (behoefte, eerst, regisseur, stappen) in enumerate(ROUTES):
        route = save_object(None, Verwijsroute(
            gemeente=gemeente, behoefte=behoefte, eerst_naar=orgs[eerst],
            regisseur=orgs[regisseur], volgorde=i), check_permission=False)
        for n, (tekst, naam) in enumerate(stappen, start=1):
            save_object(None, Verwijsstap(gemeente=gemeente, route=route, volgorde=n,
                                          tekst=tekst, aanbod=aanbod.get(naam)),
                        check_permission=False)
