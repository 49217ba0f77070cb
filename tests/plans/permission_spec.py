from core.models import Membership, User
from core.periods import KWARTAAL, Periode
from plans import services
from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie
from tests.permissions import ALL, BELEID, ApiAction, Page

SCHRIJVERS = BELEID | {"coordinator"}
TREKKERS = SCHRIJVERS | {"partner"}

PAGES = {
    "plans:wijkplan-list": Page(ALL),
    "plans:wijkplan-create": Page(SCHRIJVERS),
    "plans:wijkplan-detail": Page(ALL, "wijkplan"),
    "plans:wijkplan-update": Page(SCHRIJVERS, "wijkplan"),
    "plans:wijkplan-delete": Page(BELEID, "wijkplan"),
    "plans:wijkplan-voortgang": Page(ALL, "wijkplan"),
    "plans:import-sjabloon": Page(ALL),
    "plans:versie-detail": Page(ALL, "versie"),
    "plans:versie-update": Page(SCHRIJVERS, "versie"),
    "plans:versie-delete": Page(SCHRIJVERS, "versie"),
    # The demo stuurgroeplid of Groningen holds the voorzitter seat of SPT's stuurgroep.
    "plans:versie-aanbieden": Page(SCHRIJVERS, "versie"),
    "plans:versie-terugsturen": Page(BELEID | {"stuurgroep"}, "versie_aangeboden"),
    "plans:versie-vaststellen": Page(BELEID | {"stuurgroep"}, "versie_aangeboden"),
    "plans:versie-bijstellen": Page(SCHRIJVERS, "versie_vastgesteld"),
    "plans:versie-vergelijk": Page(ALL, "versie"),
    "plans:versie-pdf": Page(ALL, "versie"),
    "plans:versie-xlsx": Page(ALL, "versie"),
    "plans:versie-import": Page(SCHRIJVERS, "versie"),
    "plans:pijler-create": Page(SCHRIJVERS, "versie", "versie_pk"),
    "plans:pijler-update": Page(SCHRIJVERS, "pijler"),
    "plans:pijler-delete": Page(SCHRIJVERS, "pijler"),
    "plans:activiteit-create": Page(SCHRIJVERS, "versie", "versie_pk"),
    "plans:activiteit-list": Page(ALL),
    "plans:activiteit-detail": Page(ALL, "activiteit"),
    "plans:activiteit-update": Page(SCHRIJVERS, "activiteit"),
    "plans:activiteit-delete": Page(SCHRIJVERS, "activiteit"),
    "plans:rapportage-create": Page(TREKKERS, "activiteit_vastgesteld", "activiteit_pk"),
    "plans:rapportage-update": Page(TREKKERS, "rapportage"),
}

API = {
    "wijkplan": ("wijkplan", SCHRIJVERS, BELEID),
    "wijkplanversie": ("versie", SCHRIJVERS, SCHRIJVERS),
    "pijler": ("pijler", SCHRIJVERS, SCHRIJVERS),
    "activiteit": ("activiteit", SCHRIJVERS, SCHRIJVERS),
    "voortgangrapportage": ("rapportage", TREKKERS, SCHRIJVERS),
}

API_ACTIONS = {
    "wijkplanversie-aanbieden": ApiAction(SCHRIJVERS, "versie",
                                          lambda v: {"revisie": v.revisie, "bericht": "Klaar"}),
    "wijkplanversie-terugsturen": ApiAction(BELEID | {"stuurgroep"}, "versie_aangeboden",
                                            lambda v: {"revisie": v.revisie,
                                                       "redenen": "Nog niet af."}),
    "wijkplanversie-vaststellen": ApiAction(BELEID | {"stuurgroep"}, "versie_aangeboden",
                                            lambda v: {"revisie": v.revisie}),
    # The world already has a concept, so an allowed bijstellen is refused with 400 (one
    # concept at a time); tests/plans covers the successful case.
    "wijkplanversie-bijstellen": ApiAction(SCHRIJVERS, "versie_vastgesteld", lambda v: {},
                                           allowed_status=(400,)),
}


def aangeboden_versie(gemeente, gebied_id, beleid):
    """An aangeboden version (of a later wijkplan of the same gebied: one open version per
    wijkplan) for the stuurgroep's terugsturen and vaststellen."""
    later = Wijkplan(gemeente=gemeente, gebied_id=gebied_id, naam="Volgend wijkplan",
                     jaar_van=2030, jaar_tot=2033)
    versie = services.create_wijkplan(None, later, check_permission=False)
    services.save_pijler(None, Pijler(gemeente=gemeente, versie=versie, naam="Veiligheid"),
                         revisie=versie.revisie, check_permission=False)
    versie.refresh_from_db()
    return services.aanbieden(beleid, versie, revisie=versie.revisie)


def vastgestelde_versie(gemeente, coordinator, partner):
    """The vastgestelde version of the wijkplan in the coördinator's gebied (with one pijler and
    an activiteit trekt by the partner's organisatie), made when the demo has none. Shared with
    tests/finance/permission_spec.py, so both specs meet the same plan."""
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    wijkplan = Wijkplan.objects.filter(gemeente=gemeente, gebied_id=coordinator.gebied_id).first()
    if wijkplan is None:
        wijkplan = Wijkplan(gemeente=gemeente, gebied_id=coordinator.gebied_id, naam="Wijkplan",
                            jaar_van=2024, jaar_tot=2027)
        concept = services.create_wijkplan(None, wijkplan, check_permission=False)
        pijler = services.save_pijler(None, Pijler(gemeente=gemeente, versie=concept,
                                                   naam="Gezondheid"),
                                      revisie=concept.revisie, check_permission=False)
        concept.refresh_from_db()
        services.save_activiteit(None, Activiteit(gemeente=gemeente, versie=concept,
                                                  pijler=pijler, naam="Activiteit",
                                                  trekker=partner.organisatie),
                                 revisie=concept.revisie, check_permission=False)
        concept.refresh_from_db()
        services.aanbieden(beleid, concept, revisie=concept.revisie)
        services.vaststellen(beleid, concept, revisie=concept.revisie)
    return wijkplan.versies.get(status=WijkplanVersie.Status.VASTGESTELD)


def world(gemeente):
    """The coördinator's gebied gets a wijkplan with a vastgestelde version (an activiteit
    trekt by the demo partner's organisatie, with one report) and a concept revision."""
    coordinator = Membership.objects.get(user__username=f"{gemeente.slug}-coordinator")
    partner = Membership.objects.get(user__username=f"{gemeente.slug}-partner")
    beleid = User.objects.get(username=f"{gemeente.slug}-beleid")
    vastgesteld = vastgestelde_versie(gemeente, coordinator, partner)
    wijkplan = vastgesteld.wijkplan
    activiteit_vastgesteld = vastgesteld.activiteiten.filter(trekker=partner.organisatie).first()
    concept = services.bijstellen(None, vastgesteld, check_permission=False)
    rapportage = VoortgangRapportage.objects.create(
        gemeente=gemeente, activiteit=activiteit_vastgesteld,
        periode=Periode(KWARTAAL, vastgesteld.jaar, 1), status="op_schema", percentage=10)
    return {"wijkplan": wijkplan, "versie": concept,
            "versie_aangeboden": aangeboden_versie(gemeente, coordinator.gebied_id, beleid),
            "versie_vastgesteld": vastgesteld,
            "pijler": concept.pijlers.first(), "activiteit": concept.activiteiten.first(),
            "activiteit_vastgesteld": activiteit_vastgesteld, "rapportage": rapportage}
