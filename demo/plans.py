"""Demo wijkplan: SPT's "Integraal pedagogisch wijkplan Positief Opgroeien" 2018-2023.

Version 1 (2018) and version 2 (the "Bijgesteld Wijkplan" for 2021, seed 002) are built through
the same services a coördinator and a voorzitter use, so the comparison page shows real history:
- 2018 started with the pijlers Veiligheid, Gezondheid and Participatie; Talentontwikkeling was
  "geparkeerd" (seed 002, Speerpunten 2021). Its activiteiten are those of the 2021 table minus
  what seed 002 marks as new in 2021 (the whole pijler Talentontwikkeling and Kansrijke Start).
- 2021 adds Talentontwikkeling, renames Participatie to Inclusie, adds Kansrijke Start; the
  aanjager role is removed and the coördinator becomes voortgangsbewaker.
Trekkers and partners are only set where the source names the organisation; the Klaverblad
doelen per activiteit are our reading. No personal names: the voorzitter seat is held by the
demo stuurgroeplid account.
"""

import datetime

from django.utils import timezone

from core.models import Bericht, User
from core.services import delete_object, save_object
from network.models import Persoon, Stuurgroep, StuurgroepRol
from plans import services
from plans.models import Activiteit, Pijler, Wijkplan

BASIS = (48, 156)  # basisschoolleeftijd, 4 tot 13 jaar
PIJLER_DOELEN = {
    "Talentontwikkeling": [
        "Het ontwikkelen van een positief zelfbeeld door zelfreflectie en feed forward van de "
        "omgeving",
        "Ontwikkelen van de eigen kracht en veerkracht door te kunnen creëren en succes te "
        "ervaren",
        "Optimale schoolloopbaan met succesvolle afronding op het daadwerkelijk denk- en "
        "werkniveau van het kind, doordat het kind gemotiveerd leert",
    ],
    "Gezondheid": [
        "Het bevorderen en aanleren van een gezonde leefstijl",
        "Ouders ondersteunen om positief ouderschap te bieden",
        "Het bevorderen van het mentale welbevinden bij kinderen en ouders",
    ],
    "Participatie": [
        "Het bewerkstelligen van een positief opvoedklimaat thuis, op school en naschools, zodat "
        "elk kind mee kan doen / mee durft te doen",
        "Sociale aansluiting voor ouders en kinderen door deel te nemen en bij te dragen aan de "
        "activiteiten. Door (taal-)barrières en de gevolgen van armoede te verminderen",
        "Het opgroeien met voldoende financiële middelen te waarborgen door te werken aan "
        "arbeidsparticipatie en toeleiding tot financiële ondersteuning of uitreiken van middelen",
    ],
    "Veiligheid": [
        "Veilige hechting / veilige thuissituatie ondersteunen door versterken van het ouderschap, "
        "vroegsignalering in de voorschoolse periode, samenwerking verloskundigen, kraamzorg, JGZ, "
        "kinderopvang",
        "Veilige leefomgeving door de signaalfunctie en schakel naar de wijk te borgen, "
        "procesafspraken maken. Opbouwwerk/jeugdwerk, wijkteam",
    ],
}
PIJLER_KLAVERBLAD = {"Talentontwikkeling": [5, 8], "Gezondheid": [2, 3],
                     "Participatie": [5, 7, 8], "Veiligheid": [1]}

# (pijler, naam, beschrijving, trekker, partners, locaties, leeftijd, status, klaverblad)
ACTIVITEITEN_2018 = [
    ("Veiligheid", "Vreedzame Wijk", "Trainingen en de vreedzame kinderraad.", None,
     ["Jeugdwerk SPT", "WIJ-team SPT"], ["Pendinghe"], BASIS, "lopend", [1, 9, 10]),
    ("Veiligheid", "Pleintjesaanpak",
     "Inspelen op signalen in de wijken (contacten ouders en kind, vreedzame aanpak). Jeugd- en "
     "opbouwwerk WIJ.", "WIJ-team SPT", ["Jeugdwerk SPT"], [], (48, 216), "lopend", [1, 10]),
    ("Veiligheid", "Politie kids", "Bengels gaan met de agent in projectvorm activiteiten doen.",
     None, [], [], BASIS, "lopend", [1]),
    ("Gezondheid", "Aanpak kinderen met overgewicht", "JGZ, JOGG en WIJ samen.", "JGZ Groningen",
     ["WIJ-team SPT"], [], (0, 216), "lopend", [2]),
    ("Gezondheid", "Schoolontbijt, -fruit en -lunch",
     "Gezond voedingsaanbod voor alle kinderen; uitzoeken hoe (koken).", None, [],
     ["Pendinghe", "Bekenkampschool"], BASIS, "lopend", [2, 7]),
    ("Participatie", "Brugfunctionaris voor elke school",
     "- Huiswerkklas: corona-achterstand, langzaam lerende leerlingen, extra leertijd\n"
     "- Schoolbegeleidingsvaardigheden voor ouders\n- Together huiswerk\n- Swasproject\n"
     "- De 3 scholen stemmen met elkaar af", None, ["WIJ-team SPT"],
     ["Pendinghe", "Bekenkampschool"], BASIS, "lopend", [4, 5]),
    ("Participatie", "Voorschools aanbod en doorgaande lijn VVE", "", "Kids First",
     ["SKSG Melkweg", "Sunny Selwerd", "Pendinghe"], [], (24, 48), "lopend", [3, 5]),
    ("Participatie", "JIM-aanpak 12-",
     "In ontwikkeling; onderdeel van de integrale jeugdaanpak.", None, [], [], (48, 143),
     "gepland", [8]),
]
ACTIVITEITEN_2021_NIEUW = [
    ("Talentontwikkeling", "Integraal naschools aanbod",
     "Een integraal naschools aanbod per basisschool, open voor alle kinderen uit de wijk:\n"
     "- Huiskamer\n- Coachclub\n- Jeugdwerk\n- VSD Pendinghe\n- BSlim 5000\n- BSO\n- BSO+\n"
     "- Inzet van vrijwilligers en participatiebaners van het wijkbedrijf\n"
     "In 2021 onderzoekt een projectleider hoe dit efficiënt en haalbaar vorm krijgt.", None,
     ["Pendinghe", "Kids First", "SKSG Melkweg", "Sunny Selwerd", "Jeugdwerk SPT"],
     ["Pendinghe"], BASIS, "gepland", [5, 8]),
    ("Talentontwikkeling", "Meer kunst- en cultuuraanbod in de wijk voor kinderen",
     "Voorstel; eventueel verzorgd door Vrijdag in de Buurt.", None, [], [], BASIS, "voorstel",
     [8]),
    ("Gezondheid", "Kansrijke Start",
     "De eerste 1000 dagen van een kind: fysiek en emotioneel veilige gezinssystemen en een door "
     "ouders gewenst aanbod.\n- Fysieke speelplek\n- Netwerk ouders versterken\n- Toeleiding\n"
     "- Sluitende ketenaanpak tussen alle kindvoorzieningen en hulpverlening\n"
     "Een projectleider schrijft een projectplan (medio 2021 gereed); een coördinator voor 4 uur "
     "per week voert het uit.", "Gemeente Groningen",
     ["JGZ Groningen", "WIJ-team SPT", "Kids First", "SKSG Melkweg", "Sunny Selwerd"], [],
     (-9, 24), "gepland", [3, 1]),
]

INLEIDING_2021 = (
    "Het jaar 2020 was voor de Stuurgroep Positief Opgroeien in SPT een buitengewoon jaar. De "
    "zorg voor het welzijn van de kinderen in de wijk kreeg een extra dimensie door de "
    "covid-19-pandemie. Met gebundelde krachten hebben de basisscholen, de Bekenkampschool, de "
    "kinderopvang en het WIJ-team ervoor gezorgd dat er zicht bleef op de kwetsbare kinderen in "
    "de wijk.\n\nOok moest in 2020 een bezuiniging doorgevoerd worden op het integraal "
    "pedagogisch wijkplan 'Positief Opgroeien' 2018-2023. Met de uitkomsten van de monitor 2020 "
    "is de stuurgroep opnieuw gaan nadenken over haar organisatiestructuur, en in vier "
    "werksessies over de visie op positief opgroeien in SPT en de strategische doelen voor "
    "2021.")
ORGANISATIE_2021 = (
    "In het eerste kwartaal van 2020 evalueerde het lectoraat integraal jeugdbeleid van de Hanze "
    "Hogeschool de stuurgroep. Er waren twijfels of de functie van de aanjagers voldoende "
    "effectief was; in de praktijk bewaakte de coördinator de voortgang. Daarom is de functie "
    "van aanjager geschrapt. De coördinator is nu voortgangsbewaker en informeert hierover de "
    "stuurgroep. Voorzitter, vertegenwoordiger en coördinator vormen samen een overleg dat "
    "structuur en vorm geeft aan het stuurgroepoverleg.")
SPEERPUNTEN_2021 = (
    "- De pijler Talentontwikkeling, in 2018 geparkeerd, wordt toegevoegd.\n"
    "- De pijler Participatie heet voortaan Inclusie: die term dekt de lading beter en sluit "
    "aan bij landelijke en gemeentelijke ontwikkelingen.\n"
    "- Kansrijke Start: de eerste 1000 dagen, met een projectleider en een coördinator.\n"
    "- Integraal naschools aanbod per basisschool, met een doorgaande lijn tussen onderwijstijd "
    "en vrije tijd.")
INLEIDING_2018 = (
    "Het integraal pedagogisch wijkplan 'Positief Opgroeien' voor Selwerd, Paddepoel en "
    "Tuinwijk, 2018-2023. De stuurgroep start met de pijlers veiligheid, gezondheid en "
    "participatie, vanuit urgentie en beheersbaarheid van het takenpakket; de pijler "
    "talentontwikkeling is geparkeerd.")
AANJAGER_TAKEN = ["Netwerken in de wijk formeren en aanjagen"]


def _act(gemeente, versie, pijlers, orgs, doelen, spec, volgorde):
    pijler, naam, beschrijving, trekker, partners, locaties, leeftijd, status, kb = spec
    act = Activiteit(gemeente=gemeente, versie=versie, pijler=pijlers[pijler], naam=naam,
                     beschrijving=beschrijving, trekker=orgs.get(trekker),
                     leeftijd_van=leeftijd[0], leeftijd_tot=leeftijd[1], status=status,
                     volgorde=volgorde)
    versie.refresh_from_db()
    return services.save_activiteit(
        None, act, revisie=versie.revisie, check_permission=False,
        m2m={"partners": [orgs[n] for n in partners], "locaties": [orgs[n] for n in locaties]},
        doelen=[doelen[n] for n in kb])


def _pijler(gemeente, versie, naam, volgorde, doelen):
    versie.refresh_from_db()
    return services.save_pijler(
        None, Pijler(gemeente=gemeente, versie=versie, naam=naam, volgorde=volgorde,
                     doelen="\n".join(PIJLER_DOELEN[naam])),
        revisie=versie.revisie, check_permission=False,
        doelen=[doelen[n] for n in PIJLER_KLAVERBLAD[naam]])


def _aangeboden_en_vastgesteld(versie, coordinator, voorzitter, bericht, *, aangeboden,
                               vastgesteld):
    """The coördinator offers the version on `aangeboden`, the voorzitter vaststelt it on
    `vastgesteld` (history, so both with their own moment)."""
    versie.refresh_from_db()
    versie = services.aanbieden(coordinator, versie, revisie=versie.revisie, bericht=bericht,
                                aangeboden_op=timezone.make_aware(aangeboden))
    services.vaststellen(voorzitter, versie, revisie=versie.revisie,
                         vastgesteld_op=timezone.make_aware(vastgesteld))
    return versie


def load(gemeente, ctx: dict) -> None:
    if gemeente.cbs_code != "GM0014":
        return
    spt, orgs, doelen = ctx["gebieden"]["SPT"], ctx["organisaties"], ctx["doelen"]
    stuurgroep = Stuurgroep.objects.get(gebied=spt)
    # The demo stuurgroeplid account holds the voorzitter seat (no personal name invented).
    voorzitter_user = User.objects.get(username=f"{gemeente.slug}-stuurgroep")
    persoon = save_object(None, Persoon(gemeente=gemeente, naam=str(voorzitter_user),
                                        functie="Voorzitter stuurgroep", user=voorzitter_user),
                          check_permission=False)
    voorzitter = stuurgroep.rollen.get(rol=StuurgroepRol.Rol.VOORZITTER)
    voorzitter.persoon = persoon
    save_object(None, voorzitter, check_permission=False)

    wijkplan = Wijkplan(gemeente=gemeente, gebied=spt, jaar_van=2018, jaar_tot=2023,
                        naam="Integraal pedagogisch wijkplan Positief Opgroeien SPT",
                        beschrijving="Meerjarig wijkplan van de Stuurgroep Positief Opgroeien "
                                     "SPT; elk jaar bijgesteld.")
    v2018 = services.create_wijkplan(None, wijkplan, check_permission=False)
    v2018.inleiding = INLEIDING_2018
    v2018 = services.save_versie(None, v2018, revisie=v2018.revisie, check_permission=False)
    pijlers = {naam: _pijler(gemeente, v2018, naam, i, doelen)
               for i, naam in enumerate(["Veiligheid", "Gezondheid", "Participatie"], start=1)}
    for i, spec in enumerate(ACTIVITEITEN_2018, start=1):
        _act(gemeente, v2018, pijlers, orgs, doelen, spec, i)

    # The stuurgroep as it was in 2018: with an aanjager, the coördinator not yet
    # voortgangsbewaker.
    coordinator = stuurgroep.rollen.get(rol=StuurgroepRol.Rol.COORDINATOR)
    titel_2021 = coordinator.titel
    coordinator.titel = "Coördinator Positief Opgroeien"
    save_object(None, coordinator, check_permission=False)
    aanjager = save_object(None, StuurgroepRol(
        gemeente=gemeente, stuurgroep=stuurgroep, rol=StuurgroepRol.Rol.LID,
        titel="Aanjager Positief Opgroeien", organisatie=orgs["Gemeente Groningen"],
        taken="\n".join(AANJAGER_TAKEN), volgorde=3), check_permission=False)
    coordinator_user = User.objects.get(username=f"{gemeente.slug}-coordinator")
    v2018 = _aangeboden_en_vastgesteld(
        v2018, coordinator_user, voorzitter_user,
        "Het wijkplan 2018-2023 voor SPT, zoals besproken in de werkgroep.",
        aangeboden=datetime.datetime(2018, 1, 5, 12),
        vastgesteld=datetime.datetime(2018, 1, 15, 12))

    # 2020: the aanjager role is removed; the coördinator becomes voortgangsbewaker.
    delete_object(None, aanjager, check_permission=False)
    coordinator.titel = titel_2021
    save_object(None, coordinator, check_permission=False)

    v2021 = services.bijstellen(None, v2018, jaar=2021, check_permission=False)
    v2021.titel = "Bijgesteld Wijkplan Positief Opgroeien SPT"
    v2021.inleiding, v2021.organisatie = INLEIDING_2021, ORGANISATIE_2021
    v2021.speerpunten = SPEERPUNTEN_2021
    v2021 = services.save_versie(None, v2021, revisie=v2021.revisie, check_permission=False)
    pijlers = {p.naam: p for p in v2021.pijlers.all()}
    inclusie = pijlers.pop("Participatie")
    inclusie.naam = "Inclusie"
    v2021.refresh_from_db()
    pijlers["Inclusie"] = services.save_pijler(None, inclusie, revisie=v2021.revisie,
                                               check_permission=False)
    pijlers["Talentontwikkeling"] = _pijler(gemeente, v2021, "Talentontwikkeling", 0, doelen)
    for i, spec in enumerate(ACTIVITEITEN_2021_NIEUW, start=20):
        _act(gemeente, v2021, pijlers, orgs, doelen, spec, i)
    v2021 = _aangeboden_en_vastgesteld(
        v2021, coordinator_user, voorzitter_user,
        "Het bijgestelde wijkplan voor 2021, met de nieuwe pijler Talentontwikkeling.",
        aangeboden=datetime.datetime(2020, 12, 1, 12),
        vastgesteld=datetime.datetime(2020, 12, 15, 12))
    # The 2018 and 2021 aanbiedingen and vaststellingen are history: their messages were read
    # long ago (the inbox of the demo's stuurgroep starts empty).
    Bericht.objects.filter(gemeente=gemeente, kind__startswith="plans.versie_").update(
        read_at=timezone.make_aware(datetime.datetime(2021, 1, 4, 9)))
    ctx["wijkplannen"] = {"SPT": wijkplan}
