import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile

from core.models import Membership
from finance.models import (
    Aanvraag,
    AanvraagBestand,
    AanvraagJaar,
    Beschikking,
    Betaling,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    Verantwoording,
    VerantwoordingBestand,
    Verantwoordingsklasse,
    WijkplanBegrotingsregel,
)
from tests.permissions import ALL, BELEID, ApiAction, Page
from tests.plans.permission_spec import vastgestelde_versie

BUDGET = BELEID | {"coordinator", "stuurgroep", "raad"}
# Roles that see aanvragen at all; the world's aanvraag is the partner's organisatie's, in the
# coördinator's gebied, so each of these sees it.
AANVRAAG = BUDGET | {"partner"}
APPLICANT = BELEID | {"partner"}

PAGES = {
    "finance:overzicht": Page(BUDGET),
    "finance:export": Page(BUDGET),
    "finance:programmabudget-list": Page(BUDGET),
    "finance:programmabudget-create": Page(BELEID),
    "finance:programmabudget-detail": Page(BUDGET, "programmabudget"),
    "finance:programmabudget-update": Page(BELEID, "programmabudget"),
    "finance:gebiedsbudget-create": Page(BELEID, "programmabudget", "programmabudget_pk"),
    "finance:gebiedsbudget-update": Page(BELEID, "gebiedsbudget"),
    "finance:gebiedsbudget-delete": Page(BELEID, "gebiedsbudget"),
    "finance:regeling-list": Page(ALL),
    "finance:regeling-create": Page(BELEID),
    "finance:regeling-detail": Page(ALL, "regeling"),
    "finance:regeling-update": Page(BELEID, "regeling"),
    "finance:regeling-publiceren": Page(BELEID, "regeling"),
    "finance:aanvraag-create": Page(APPLICANT, "regeling", "regeling_pk"),
    "finance:klasse-list": Page(ALL),
    "finance:klasse-create": Page(BELEID),
    "finance:klasse-update": Page(BELEID, "klasse"),
    "finance:klasse-delete": Page(BELEID, "klasse"),
    "finance:aanvraag-list": Page(AANVRAAG),
    "finance:aanvraag-te-laat": Page(AANVRAAG),
    "finance:terugvordering-list": Page(AANVRAAG),
    "finance:aanvraag-detail": Page(AANVRAAG, "aanvraag"),
    "finance:aanvraag-update": Page(APPLICANT, "aanvraag"),
    "finance:aanvraag-delete": Page(APPLICANT, "aanvraag"),
    "finance:aanvraag-indienen": Page(APPLICANT, "aanvraag"),
    "finance:aanvraag-beoordelen": Page(BELEID, "aanvraag"),
    "finance:aanvraag-verlenen": Page(BELEID, "aanvraag"),
    "finance:aanvraag-weigeren": Page(BELEID, "aanvraag"),
    "finance:aanvraag-wijzigen": Page(BELEID, "aanvraag"),
    "finance:aanvraag-intrekken": Page(BELEID, "aanvraag"),
    "finance:aanvraag-bijlage": Page(APPLICANT, "aanvraag"),
    "finance:bijlage-download": Page(AANVRAAG, "bijlage"),
    "finance:bijlage-delete": Page(APPLICANT, "bijlage"),
    "finance:aanvraag-betalen": Page(BELEID, "aanvraag"),
    "finance:aanvraag-terugbetalen": Page(BELEID, "aanvraag"),
    "finance:aanvraag-verantwoorden": Page(APPLICANT, "aanvraag"),
    "finance:aanvraag-vaststellen": Page(BELEID, "aanvraag"),
    "finance:beschikking-pdf": Page(AANVRAAG, "beschikking"),
    "finance:bestand-download": Page(AANVRAAG, "bestand"),
    # The begroting of a wijkplanversie: read like the plan, written like the plan.
    "finance:wijkplanversie-list": Page(ALL),
    "finance:versie-begroting": Page(ALL, "fin_versie"),
    "finance:begroting-overnemen": Page(BELEID | {"coordinator"}, "fin_versie"),
    "finance:wijkplanregel-create": Page(BELEID | {"coordinator"}, "fin_versie", "versie_pk"),
    "finance:wijkplanregel-update": Page(BELEID | {"coordinator"}, "wijkplanregel"),
    "finance:wijkplanregel-delete": Page(BELEID | {"coordinator"}, "wijkplanregel"),
}

# (world key, roles that may PATCH or None if read-only, roles that may DELETE or None,
#  roles that see the object through the API at all)
API = {
    "regeling": ("regeling", BELEID, BELEID),  # deleting one with aanvragen answers 400
    "programmabudget": ("programmabudget", None, None, BUDGET),
    "gebiedsbudget": ("gebiedsbudget", None, None, BUDGET),
    "aanvraag": ("aanvraag", None, None, AANVRAAG),
    "beschikking": ("beschikking", None, None, AANVRAAG),
    "betaling": ("betaling", None, None, AANVRAAG),
}

# The world's aanvraag is a concept: every decision is refused by the state machine (400) for
# the beleidsmedewerker, and by the policy (403) for everyone else. tests/finance covers the
# steps that succeed.
API_ACTIONS = {
    "aanvraag-verlenen": ApiAction(BELEID, "aanvraag", lambda a: {"bedragen": {"2099": "1"}},
                                   allowed_status=(400,)),
    "aanvraag-wijzigen": ApiAction(BELEID, "aanvraag", lambda a: {
        "bedragen": {"2099": "1"}, "reden": "Matrix"}, allowed_status=(400,)),
    "aanvraag-intrekken": ApiAction(BELEID, "aanvraag", lambda a: {"reden": "Matrix"},
                                    allowed_status=(400,)),
    "aanvraag-betalen": ApiAction(BELEID, "aanvraag", lambda a: {"termijn": 0},
                                  allowed_status=(400,)),
    "aanvraag-terugbetalen": ApiAction(BELEID, "aanvraag", lambda a: {"bedrag": "1"},
                                       allowed_status=(400,)),
    "regeling-publiceren": ApiAction(BELEID, "regeling", lambda r: {},
                                    allowed_status=(400,)),
}


def _minimal_pdf() -> bytes:
    """A real one-page PDF (made with pypdf), for upload tests."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = _minimal_pdf()


def world(gemeente):
    """A regeling, a budget of 2099 with the coördinator's gebied in it, a verantwoordings-
    klasse, and a concept aanvraag of the partner's organisatie in that gebied with a
    beschikking, a betaling and an uploaded PDF (rows made directly: only their routes are
    tested here)."""
    partner = Membership.objects.get(user__username=f"{gemeente.slug}-partner")
    coordinator = Membership.objects.get(user__username=f"{gemeente.slug}-coordinator")
    regeling, _ = Regeling.objects.get_or_create(
        gemeente=gemeente, naam="Matrixregeling", defaults=dict(
            criteria="Criteria", plafond=Decimal("1000.00"), jaar_van=2099, jaar_tot=2099,
            aanvragen_van=datetime.date(2099, 1, 1), aanvragen_tot=datetime.date(2099, 12, 31),
            gepubliceerd_op=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)))
    programmabudget, _ = Programmabudget.objects.get_or_create(
        gemeente=gemeente, jaar=2099, defaults={"naam": "Matrix", "bedrag": Decimal("100.00")})
    gebiedsbudget, _ = Gebiedsbudget.objects.get_or_create(
        gemeente=gemeente, programmabudget=programmabudget, gebied_id=coordinator.gebied_id,
        defaults={"bedrag": Decimal("0.00")})
    klasse, _ = Verantwoordingsklasse.objects.get_or_create(
        gemeente=gemeente, tot_en_met=Decimal("1234.00"), defaults={"eis": "geen"})
    aanvraag = Aanvraag.objects.create(
        gemeente=gemeente, regeling=regeling, organisatie=partner.organisatie,
        gebied_id=coordinator.gebied_id, titel="Matrixaanvraag", activiteiten="Activiteiten",
        gevraagd=Decimal("10.00"))
    AanvraagJaar.objects.create(gemeente=gemeente, aanvraag=aanvraag, jaar=2099,
                                gevraagd=Decimal("10.00"))
    beschikking = Beschikking.objects.create(
        gemeente=gemeente, aanvraag=aanvraag, soort="weigering",
        kenmerk=f"MATRIX-{gemeente.cbs_code}-{aanvraag.pk}", datum=datetime.date(2099, 1, 2),
        inhoud={"redenen": "Matrix"})
    betaling = Betaling.objects.create(
        gemeente=gemeente, aanvraag=aanvraag, soort="nabetaling", jaar=2099,
        datum=datetime.date(2099, 1, 3), bedrag=Decimal("1.00"))
    verantwoording = Verantwoording.objects.create(gemeente=gemeente, aanvraag=aanvraag,
                                                   verslag="Verslag")
    bestand = VerantwoordingBestand(gemeente=gemeente, verantwoording=verantwoording,
                                    soort="bijlage", naam="matrix.pdf", grootte=len(MINIMAL_PDF))
    bestand.bestand.save("matrix.pdf", ContentFile(MINIMAL_PDF), save=True)
    bijlage = AanvraagBestand(gemeente=gemeente, aanvraag=aanvraag, soort="projectplan",
                              naam="plan.pdf", formaat="pdf", grootte=len(MINIMAL_PDF))
    bijlage.bestand.save("plan.pdf", ContentFile(MINIMAL_PDF), save=True)
    versie = vastgestelde_versie(gemeente, coordinator, partner)
    wijkplanregel = WijkplanBegrotingsregel.objects.create(
        gemeente=gemeente, versie=versie, omschrijving="Matrixregel", bedrag=Decimal("5.00"))
    return {"fin_versie": versie, "wijkplanregel": wijkplanregel,
            "regeling": regeling, "programmabudget": programmabudget,
            "gebiedsbudget": gebiedsbudget, "klasse": klasse, "aanvraag": aanvraag,
            "beschikking": beschikking, "betaling": betaling, "bestand": bestand,
            "bijlage": bijlage}
