"""Demo money: a programme budget, gebiedsbudgetten, two regelingen and aanvragen in each
state, all made through the services (so plafonds, schedules and beschikkingen are real).

Sources: seed 003 ('Oog voor jeugd', Assen) names € 3,6 miljoen for preventive youth policy; the
demo uses that amount as the yearly programme budget of both gemeenten. The split over gebieden,
the regelingen' plafonds and the aanvragen are demo values; activity names come from the SPT
wijkplan (seed 002) and the organisations from the network demo. No personal names.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from finance import services
from finance.models import (
    Aanvraag,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    WijkplanBegrotingsregel,
)

D = Decimal
PROGRAMMA = D("3600000.00")

GRONINGEN_GEBIEDEN = {  # demo split of the programme's gebiedsbudgetten (per year)
    "SPT": D("150000.00"),
    "Beijum": D("120000.00"),
    "Lewenborg": D("120000.00"),
    "De Hoogte en Indische Buurt": D("120000.00"),
    "De Weijert": D("100000.00"),
}

WIJKPLANNEN_CRITERIA = (
    "De activiteiten staan in het wijkplan Positief Opgroeien van het gebied en zijn door de "
    "stuurgroep vastgesteld.\n"
    "Ze dragen bij aan gezond, veilig en kansrijk opgroeien, en aan de doelen van het "
    "Klaverblad.\n"
    "Kernpartners (kinderopvang, scholen, JGZ, WIJ-team) werken samen; inwoners en kinderen "
    "denken mee.\n"
    "De begroting is sluitend; andere financiering staat er apart in."
)
ONDEROP_CRITERIA = (
    "Het initiatief komt van bewoners, kinderen of jongeren zelf, of van een kleine "
    "organisatie in de wijk.\n"
    "Het draagt bij aan gezond, veilig en kansrijk opgroeien in de wijk.\n"
    "Het is voor iedereen in de buurt toegankelijk."
)


def _regel(jaar, omschrijving, bedrag, soort="kosten"):
    return {"jaar": jaar, "soort": soort, "omschrijving": omschrijving, "bedrag": D(bedrag)}


def _aanvraag(gemeente, regeling, titel, activiteiten, jaren, regels, *, organisatie=None,
              initiatiefnemer="", gebied=None, doelen=()):
    aanvraag = Aanvraag(gemeente=gemeente, regeling=regeling, organisatie=organisatie,
                        initiatiefnemer=initiatiefnemer, gebied=gebied, titel=titel,
                        activiteiten=activiteiten)
    return services.save_aanvraag(None, aanvraag, jaren=jaren, regels=regels,
                                  doelen=list(doelen), check_permission=False)


def _doelen(ctx, *nummers):
    return [ctx["doelen"][n] for n in nummers]


def _akkoord(regeling):
    return [(p, "voldoet", "") for p in regeling.punten()]


def _budgets(gemeente, jaar, naam, toelichting, gebieden=None):
    for year in (jaar, jaar + 1):
        pb = services.save_programmabudget(None, Programmabudget(
            gemeente=gemeente, jaar=year, naam=f"{naam} {year}", bedrag=PROGRAMMA,
            toelichting=toelichting), check_permission=False)
        for gebied, bedrag in (gebieden or {}).items():
            services.save_gebiedsbudget(None, Gebiedsbudget(
                gemeente=gemeente, programmabudget=pb, gebied=gebied, bedrag=bedrag),
                check_permission=False)


def load(gemeente, ctx: dict) -> None:
    today = timezone.localdate()
    jaar = max(2026, today.year)
    if gemeente.cbs_code == "GM0014":
        _load_groningen(gemeente, ctx, today, jaar)
    elif gemeente.cbs_code == "GM0106":
        _load_assen(gemeente, ctx, today, jaar)


def _load_assen(gemeente, ctx, today, jaar):
    _budgets(gemeente, jaar, "Oog voor jeugd",
             "Naar het bouwbudget voor preventief jeugdbeleid in 'Oog voor jeugd' "
             "(€ 3,6 miljoen).", {ctx["gebieden"]["Assen-Oost"]: D("100000.00")})
    services.save_regeling(None, Regeling(
        gemeente=gemeente, naam="Initiatieven van onderaf", criteria=ONDEROP_CRITERIA,
        omschrijving="Een simpele, snelle manier om initiatieven van kinderen, jongeren en "
                     "jonge vrijwilligers te stimuleren en te realiseren.",
        plafond=D("40000.00"), jaar_van=jaar, jaar_tot=jaar + 1,
        aanvragen_van=datetime.date(jaar - 1, 1, 1),
        aanvragen_tot=datetime.date(jaar + 1, 10, 31), max_jaren=1,
        voorschot_ritme=Regeling.Ritme.INEENS, voorschot_percentage=100,
        ondertekenaar_naam="J. Bakker", ondertekenaar_functie="teamleider Jeugd, namens het "
        "college van burgemeester en wethouders"),
        doelen=_doelen(ctx, 1), check_permission=False)
    _publiceren(gemeente)


def _publiceren(gemeente):
    for regeling in Regeling.objects.filter(gemeente=gemeente, gepubliceerd_op__isnull=True):
        services.publiceren(None, regeling, check_permission=False)


def _load_groningen(gemeente, ctx, today, jaar):
    gebieden, orgs = ctx["gebieden"], ctx["organisaties"]
    spt = gebieden["SPT"]
    _budgets(gemeente, jaar, "Positief Opgroeien",
             "Preventief jeugdbeleid: wijkplannen, stedelijke voorzieningen en initiatieven. "
             "Demobedrag (€ 3,6 miljoen, zoals in 'Oog voor jeugd').",
             {gebieden[k]: v for k, v in GRONINGEN_GEBIEDEN.items()})
    wijkplannen = services.save_regeling(None, Regeling(
        gemeente=gemeente, naam="Wijkplannen Positief Opgroeien",
        omschrijving="Meerjarige subsidie voor de activiteiten van het wijkplan Positief "
                     "Opgroeien, uit het gebiedsbudget van de wijk.",
        criteria=WIJKPLANNEN_CRITERIA, plafond=D("2440000.00"), jaar_van=jaar,
        jaar_tot=jaar + 3, aanvragen_van=datetime.date(jaar - 1, 1, 1),
        aanvragen_tot=datetime.date(jaar + 1, 12, 31), gebiedsgebonden=True,
        voorschot_ritme=Regeling.Ritme.PER_KWARTAAL, voorschot_percentage=80,
        # The demo shows a verantwoording and a vaststelling in the first year already.
        tussentijds_verantwoorden=True, ondertekenaar_naam="M. de Vries",
        ondertekenaar_functie="programmamanager Positief Opgroeien, namens het college van "
        "burgemeester en wethouders"),
        doelen=_doelen(ctx, 1, 2, 3, 5, 7), check_permission=False)
    onderop = services.save_regeling(None, Regeling(
        gemeente=gemeente, naam="Initiatieven van onderop",
        omschrijving="Kleine subsidies voor initiatieven van inwoners, kinderen en jongeren, "
                     "om regie en verantwoordelijkheid bij inwoners zelf te leggen.",
        criteria=ONDEROP_CRITERIA, plafond=D("50000.00"), jaar_van=jaar, jaar_tot=jaar + 1,
        aanvragen_van=datetime.date(jaar - 1, 1, 1),
        aanvragen_tot=datetime.date(jaar + 1, 10, 31), max_jaren=1,
        voorschot_ritme=Regeling.Ritme.INEENS, voorschot_percentage=100,
        tussentijds_verantwoorden=True),
        doelen=_doelen(ctx, 8, 9, 10), check_permission=False)
    _publiceren(gemeente)

    # Verleend for two years, the first voorschot paid (Kids First: the partner demo account).
    kansrijk = _aanvraag(
        gemeente, wijkplannen, "Kansrijke Start: speelplek en netwerk van ouders",
        "Een fysieke speelplek voor jonge kinderen en hun ouders, het netwerk van ouders "
        "versterken en toeleiden naar JGZ en kinderopvang, in samenwerking met het WIJ-team.",
        {jaar: D("25000.00"), jaar + 1: D("25000.00")},
        [_regel(jaar, "Inzet pedagogisch medewerkers", "22000.00"),
         _regel(jaar, "Materiaal en inrichting speelplek", "6000.00"),
         _regel(jaar, "Eigen bijdrage Kids First", "3000.00", "dekking"),
         _regel(jaar + 1, "Inzet pedagogisch medewerkers", "25000.00")],
        organisatie=orgs["Kids First"], gebied=spt, doelen=_doelen(ctx, 2, 3))
    services.indienen(None, kansrijk, check_permission=False)
    services.beoordelen(None, kansrijk, volledig=True, punten=_akkoord(wijkplannen),
                        check_permission=False)
    services.verlenen(None, kansrijk, bedragen={jaar: "25000", jaar + 1: "25000"},
                      motivering="Past in het wijkplan SPT (pijler Gezondheid).",
                      check_permission=False)
    eerste = kansrijk.termijnen.order_by("datum", "pk").first()
    services.betaal_termijn(None, eerste, datum=eerste.datum, check_permission=False)

    # Vastgesteld with a terugvordering: less spent than the 80% voorschot.
    brug = _aanvraag(
        gemeente, wijkplannen, "Brugfunctionaris voor elke school",
        "Een brugfunctionaris per basisschool: huiswerkklas voor kinderen met een achterstand "
        "door corona, begeleiding voor ouders bij schoolvaardigheden, afstemming tussen de drie "
        "scholen.", {jaar: D("30000.00")},
        [_regel(jaar, "Inzet brugfunctionarissen", "30000.00")],
        organisatie=orgs["WIJ-team SPT"], gebied=spt, doelen=_doelen(ctx, 5))
    services.indienen(None, brug, check_permission=False)
    services.beoordelen(None, brug, volledig=True, punten=_akkoord(wijkplannen),
                        check_permission=False)
    services.verlenen(None, brug, bedragen={jaar: "30000"}, motivering="Past in het wijkplan "
                      "SPT (pijler Inclusie).", check_permission=False)
    for termijn in brug.termijnen.order_by("datum", "pk"):
        services.betaal_termijn(None, termijn, datum=termijn.datum, check_permission=False)
    brug.refresh_from_db()
    services.verantwoorden(None, brug, verslag=(
        "De huiswerkklas liep op twee van de drie scholen het hele jaar; op de derde school "
        "begon ze pas na de zomer. Daardoor is minder uitgegeven dan begroot."),
        besteed={jaar: "20000.00"}, check_permission=False)
    brug.refresh_from_db()
    services.vaststellen(None, brug, bedragen={jaar: "20000.00"},
                         toelichting="Vastgesteld op de werkelijke kosten.",
                         check_permission=False)

    # Ingediend long ago: past its beslistermijn (shows in the overdue list).
    naschools = _aanvraag(
        gemeente, wijkplannen, "Integraal naschools aanbod: Huiskamer en Coachclub",
        "Een samenhangend naschools aanbod per basisschool met de Huiskamer, de Coachclub en "
        "jeugdwerk, met vrijwilligers en participatiebaners van het wijkbedrijf.",
        {jaar: D("60000.00")},
        [_regel(jaar, "Jeugdwerkers", "48000.00"),
         _regel(jaar, "Activiteiten en materiaal", "12000.00")],
        organisatie=orgs["Jeugdwerk SPT"], gebied=spt, doelen=_doelen(ctx, 5, 8))
    services.indienen(None, naschools, today=today - datetime.timedelta(weeks=12),
                      check_permission=False)

    # In behandeling: complete, the checklist partly done.
    vreedzaam = _aanvraag(
        gemeente, wijkplannen, "Vreedzame Wijk: trainingen en vreedzame kinderraad",
        "Trainingen Vreedzame Wijk voor professionals en vrijwilligers, en een vreedzame "
        "kinderraad met leerlingen van de scholen in de wijk.", {jaar: D("8000.00")},
        [_regel(jaar, "Trainers", "6500.00"), _regel(jaar, "Kinderraad", "1500.00")],
        organisatie=orgs["Pendinghe"], gebied=spt, doelen=_doelen(ctx, 1, 10))
    services.indienen(None, vreedzaam, check_permission=False)
    punten = wijkplannen.punten()
    services.beoordelen(None, vreedzaam, volledig=True,
                        punten=[(punten[0], "voldoet", "Staat in het wijkplan."),
                                *[(p, "", "") for p in punten[1:]]], check_permission=False)

    # Geweigerd, with reasons.
    vve = _aanvraag(
        gemeente, wijkplannen, "Voorschools aanbod en doorgaande lijn VVE",
        "Extra uren voorschoolse educatie voor peuters met een taalachterstand en overdracht "
        "naar groep 1.", {jaar: D("12000.00")}, [_regel(jaar, "Extra uren VVE", "12000.00")],
        organisatie=orgs["SKSG Melkweg"], gebied=spt, doelen=_doelen(ctx, 5))
    services.indienen(None, vve, check_permission=False)
    services.weigeren(None, vve, redenen=(
        "Voorschoolse educatie wordt al betaald uit de middelen voor voor- en vroegschoolse "
        "educatie (VVE); deze regeling betaalt geen activiteiten die al een andere "
        "financiering hebben."), check_permission=False)

    # A residents' initiative, small: vastgesteld at the verlening (no report), paid at once.
    speeltuin = _aanvraag(
        gemeente, onderop, "Speeldag in de buurttuin",
        "Bewoners organiseren met kinderen uit de buurt een speeldag in de buurttuin, met "
        "spelletjes, een gezonde lunch en een kleedjesmarkt.", {jaar: D("2500.00")},
        [_regel(jaar, "Huur materiaal en springkussen", "1500.00"),
         _regel(jaar, "Gezonde lunch", "1200.00"),
         _regel(jaar, "Bijdrage buurtvereniging", "200.00", "dekking")],
        initiatiefnemer="Bewonersgroep buurttuin Tuinwijk", gebied=spt,
        doelen=_doelen(ctx, 2, 9))
    services.indienen(None, speeltuin, check_permission=False)
    services.beoordelen(None, speeltuin, volledig=True, punten=_akkoord(onderop),
                        check_permission=False)
    services.verlenen(None, speeltuin, bedragen={jaar: "2500"}, check_permission=False)
    for termijn in speeltuin.termijnen.all():
        services.betaal_termijn(None, termijn, datum=termijn.datum, check_permission=False)

    # A concept, not yet submitted.
    _aanvraag(
        gemeente, onderop, "Schoolontbijt op vrijdag",
        "Eén keer per week een gezond ontbijt op school.", {jaar: D("1800.00")}, [],
        organisatie=orgs["Sunny Selwerd"], doelen=_doelen(ctx, 2))

    _wijkplanbegroting(gemeente, ctx)


# The begroting of the bijgesteld wijkplan SPT 2021 (seed 002, Bijlage 1). The seed names the
# begroting and that the coördinator (4 hours a week) is paid from it, but not its figures: the
# amounts below are demo values. The plans demo adopts that version before finance loads, so the
# lines are stored as part of the adopted version, as an import of the historical plan would.
BEGROTING_SPT_2021 = [
    # (activiteit naam or None for the plan as a whole, omschrijving, bron, financier, bedrag)
    (None, "Coördinator Positief Opgroeien, 4 uur per week", "gebiedsbudget", "", "9500.00"),
    ("Integraal naschools aanbod", "Projectleider integraal naschools aanbod", "gebiedsbudget",
     "", "12000.00"),
    ("Kansrijke Start", "Coördinatie ketenaanpak eerste 1000 dagen", "gebiedsbudget", "",
     "8000.00"),
    ("Kansrijke Start", "Projectleider (uit de middelen van de wijkvernieuwing)",
     "cofinanciering", "Wijkvernieuwing Groningen", "15000.00"),
    ("Vreedzame Wijk", "Trainingen en vreedzame kinderraad", "gebiedsbudget", "", "6500.00"),
    ("Brugfunctionaris voor elke school", "Inzet brugfunctionarissen", "gebiedsbudget", "",
     "18000.00"),
    ("Brugfunctionaris voor elke school", "Eigen inzet van de scholen", "cofinanciering",
     "Basisscholen SPT", "6000.00"),
]


def _wijkplanbegroting(gemeente, ctx):
    wijkplan = ctx.get("wijkplannen", {}).get("SPT")
    if wijkplan is None:
        return
    versie = wijkplan.versies.get(jaar=2021)
    activiteiten = {a.naam: a for a in versie.activiteiten.all()}
    WijkplanBegrotingsregel.objects.bulk_create([
        WijkplanBegrotingsregel(gemeente=gemeente, versie=versie,
                                activiteit=activiteiten[naam] if naam else None,
                                omschrijving=omschrijving, bron=bron, financier=financier,
                                bedrag=D(bedrag))
        for naam, omschrijving, bron, financier, bedrag in BEGROTING_SPT_2021])
