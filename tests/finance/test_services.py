"""The finance services: budgets, the aanvraag state machine, payments, verantwoording,
vaststelling and terugvordering. Every refusal is a Dutch ValidationError and changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from core.models import AuditEntry
from finance import pdf, selectors, services
from finance.models import (
    Aanvraag,
    Beschikking,
    Betaling,
    Eis,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    Verantwoordingsklasse,
    Wijziging,
)
from network.models import Organisatie
from tests.finance.conftest import (
    JAAR,
    TODAY,
    in_behandeling,
    make_aanvraag,
    make_regeling,
    verleend,
)
from tests.finance.permission_spec import MINIMAL_PDF

D = Decimal
S = Aanvraag.Status
pytestmark = pytest.mark.django_db


def messages(exc):
    return " ".join(exc.value.messages)


def pdf_upload(name="verslag.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- budgets ---------------------------------------------------------------------------------


def test_gebiedsbudgetten_never_exceed_the_programmabudget(groningen, beleid):
    from regions.models import Gebied

    beijum, lewenborg = (Gebied.objects.get(gemeente=groningen, naam=n)
                         for n in ("Beijum", "Lewenborg"))
    pb = services.save_programmabudget(beleid, Programmabudget(
        gemeente=groningen, jaar=2090, naam="Test", bedrag=D("1000.00")))
    a = services.save_gebiedsbudget(beleid, Gebiedsbudget(
        gemeente=groningen, programmabudget=pb, gebied=beijum, bedrag=D("600.00")))
    with pytest.raises(ValidationError) as exc:
        services.save_gebiedsbudget(beleid, Gebiedsbudget(
            gemeente=groningen, programmabudget=pb, gebied=lewenborg, bedrag=D("400.01")))
    assert "past niet in het programmabudget 2090" in messages(exc)
    assert "€\u00a0400,00" in messages(exc)
    assert not Gebiedsbudget.objects.filter(programmabudget=pb, gebied=lewenborg).exists()
    services.save_gebiedsbudget(beleid, Gebiedsbudget(
        gemeente=groningen, programmabudget=pb, gebied=lewenborg, bedrag=D("400.00")))
    pb.refresh_from_db()
    assert pb.toegewezen == pb.bedrag == D("1000.00")

    a.bedrag = D("700.00")
    with pytest.raises(ValidationError):
        services.save_gebiedsbudget(beleid, a)
    a.bedrag = D("500.00")
    services.save_gebiedsbudget(beleid, a)
    pb.refresh_from_db()
    assert pb.toegewezen == D("900.00")

    pb.bedrag = D("800.00")
    with pytest.raises(ValidationError) as exc:
        services.save_programmabudget(beleid, pb)
    assert "al meer over de gebieden verdeeld" in messages(exc)
    pb.refresh_from_db()
    assert pb.bedrag == D("1000.00")

    services.delete_gebiedsbudget(beleid, a)
    pb.refresh_from_db()
    assert pb.toegewezen == D("400.00")


def test_a_gebiedsbudget_cannot_drop_below_what_was_granted_from_it(groningen, beleid, spt):
    budget = Gebiedsbudget.objects.get(gebied=spt, programmabudget__jaar=JAAR)
    assert budget.toegekend > 0  # the demo granted from SPT's budget
    budget.bedrag = budget.toegekend - D("0.01")
    with pytest.raises(ValidationError) as exc:
        services.save_gebiedsbudget(beleid, budget)
    assert "al meer toegekend" in messages(exc)
    with pytest.raises(ValidationError):
        services.delete_gebiedsbudget(beleid, Gebiedsbudget.objects.get(pk=budget.pk))


def test_only_a_beleidsmedewerker_sets_budgets(groningen, demo_user):
    with pytest.raises(PermissionDenied):
        services.save_programmabudget(demo_user("groningen", "coordinator"), Programmabudget(
            gemeente=groningen, jaar=2091, naam="X", bedrag=D("1.00")))


def test_regeling_plafond_cannot_drop_below_what_was_granted(groningen, beleid):
    regeling = Regeling.objects.get(gemeente=groningen, naam="Wijkplannen Positief Opgroeien")
    regeling.plafond = regeling.toegekend - D("1.00")
    with pytest.raises(ValidationError) as exc:
        services.save_regeling(beleid, regeling)
    assert "al meer toegekend dan dit plafond" in messages(exc)


@pytest.mark.parametrize("field, value, message", [
    ("plafond", "-100", "negatief"),
    ("plafond", "100,001", "2 cijfers achter de komma"),
    ("jaar_tot", JAAR - 1, "vóór het eerste jaar"),
    ("aanvragen_tot", TODAY - datetime.timedelta(days=400), "vóór de begindatum"),
    ("max_jaren", 5, "hoogstens 4"),
])
def test_bad_regeling_input_is_refused_in_dutch(groningen, beleid, field, value, message):
    before = Regeling.objects.count()
    kwargs = {field: value}
    with pytest.raises(ValidationError) as exc:
        make_regeling(groningen, **kwargs)
    assert message in messages(exc)
    assert Regeling.objects.count() == before


# --- aanvragen -------------------------------------------------------------------------------


def test_completeness_check_before_indienen(regeling, partner, kids_first):
    aanvraag = make_aanvraag(regeling, actor=partner, jaren={JAAR: D("5000.00")})
    services.save_aanvraag(partner, aanvraag, jaren={JAAR: D("5000.00")}, regels=[
        {"jaar": JAAR, "soort": "kosten", "omschrijving": "Inzet", "bedrag": D("6000.00")},
        {"jaar": JAAR, "soort": "dekking", "omschrijving": "Fonds", "bedrag": D("500.00")}])
    missing = services.ontbreekt(aanvraag)
    assert any("sluit niet" in m for m in missing)
    with pytest.raises(ValidationError) as exc:
        services.indienen(partner, aanvraag)
    assert "sluit niet" in messages(exc)
    assert Aanvraag.objects.get(pk=aanvraag.pk).status == S.CONCEPT

    services.save_aanvraag(partner, aanvraag, jaren={JAAR: D("5000.00")}, regels=[
        {"jaar": JAAR, "soort": "kosten", "omschrijving": "Inzet", "bedrag": D("6000.00")},
        {"jaar": JAAR, "soort": "dekking", "omschrijving": "Fonds", "bedrag": D("1000.00")}])
    assert services.ontbreekt(aanvraag) == []
    services.indienen(partner, aanvraag)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.INGEDIEND
    assert aanvraag.uiterste_beslisdatum == TODAY + datetime.timedelta(weeks=8)
    assert aanvraag.ingediend_door == partner


def test_indienen_only_within_the_window(groningen, partner):
    # A concept can only be started in the window (test_lifecycle); here the window closes
    # while the concept waits.
    regeling = make_regeling(groningen)
    aanvraag = make_aanvraag(regeling)
    Regeling.objects.filter(pk=regeling.pk).update(
        aanvragen_van=TODAY - datetime.timedelta(days=60),
        aanvragen_tot=TODAY - datetime.timedelta(days=1))
    aanvraag.refresh_from_db()
    aanvraag.regeling.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.indienen(partner, aanvraag)
    assert "Aanvragen kan van" in messages(exc)


@pytest.mark.parametrize("jaren, message", [
    ({JAAR + i: D("10.00") for i in range(5)}, "hoogstens 4 jaar"),
    ({JAAR: D("10.00"), JAAR + 2: D("10.00")}, "zonder gat"),
    ({JAAR - 1: D("10.00")}, "valt buiten de regeling"),
    ({JAAR: "-10"}, "negatief"),
    ({JAAR: "10,005"}, "2 cijfers achter de komma"),
])
def test_bad_amounts_per_year_are_refused(groningen, partner, jaren, message):
    regeling = make_regeling(groningen, jaar_tot=JAAR + 20)
    before = Aanvraag.objects.count()
    with pytest.raises(ValidationError) as exc:
        make_aanvraag(regeling, jaren=jaren, actor=partner)
    assert message in messages(exc)
    assert Aanvraag.objects.count() == before


def test_a_partner_applies_only_for_its_own_organisatie(regeling, partner, groningen):
    other = Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")
    with pytest.raises(PermissionDenied):
        make_aanvraag(regeling, organisatie=other, actor=partner)
    assert make_aanvraag(regeling, actor=partner).organisatie.naam == "Kids First"


def test_a_beleidsmedewerker_enters_a_residents_initiative(regeling, beleid):
    aanvraag = make_aanvraag(regeling, actor=beleid, organisatie=None,
                             initiatiefnemer="Bewonersgroep speeltuin")
    assert aanvraag.aanvrager == "Bewonersgroep speeltuin"
    with pytest.raises(ValidationError) as exc:
        services.save_aanvraag(beleid, Aanvraag(
            gemeente=regeling.gemeente, regeling=regeling, titel="Zonder aanvrager",
            activiteiten="Iets"), jaren={JAAR: "10"}, regels=[])
    assert "Kies de organisatie" in messages(exc)


def test_incomplete_goes_back_for_aanvulling(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    with pytest.raises(ValidationError):
        services.beoordelen(beleid, aanvraag, volledig=False, aanvulling="")
    services.beoordelen(beleid, aanvraag, volledig=False, aanvulling="Stuur de begroting mee.")
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.CONCEPT
    assert aanvraag.aanvulling_gevraagd == "Stuur de begroting mee."
    assert aanvraag.uiterste_beslisdatum is None


def test_only_the_beleidsmedewerker_assesses_and_decides(regeling, partner):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    with pytest.raises(PermissionDenied):
        services.beoordelen(partner, aanvraag, volledig=True)
    with pytest.raises(PermissionDenied):
        services.weigeren(partner, aanvraag, redenen="Nee")


def test_verlenen_needs_a_complete_checklist_that_passes(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    with pytest.raises(ValidationError) as exc:
        services.verlenen(beleid, aanvraag, bedragen={JAAR: "20000"})
    assert "in behandeling" in messages(exc)
    punten = regeling.punten()
    services.beoordelen(beleid, aanvraag, volledig=True,
                        punten=[(punten[0], "voldoet", "")])
    with pytest.raises(ValidationError) as exc:
        services.verlenen(beleid, aanvraag, bedragen={JAAR: "20000"})
    assert "Beoordeel eerst" in messages(exc)
    services.beoordelen(beleid, aanvraag, volledig=True,
                        punten=[(p, "voldoet_niet" if i == 1 else "voldoet", "")
                                for i, p in enumerate(punten)])
    with pytest.raises(ValidationError) as exc:
        services.verlenen(beleid, aanvraag, bedragen={JAAR: "20000"})
    assert "Voldoet niet" in messages(exc)
    assert Aanvraag.objects.get(pk=aanvraag.pk).status == S.IN_BEHANDELING


def test_verlenen_at_most_what_was_asked_and_more_than_zero(regeling, beleid):
    aanvraag = in_behandeling(make_aanvraag(regeling))
    for bedrag, message in (("20000,01", "meer toegekend"), ("0", "meer dan € 0"),
                            ("-1", "negatief")):
        with pytest.raises(ValidationError) as exc:
            services.verlenen(beleid, aanvraag, bedragen={JAAR: bedrag})
        assert message in messages(exc)
    regeling.refresh_from_db()
    assert regeling.toegekend == 0
    assert not Beschikking.objects.filter(aanvraag=aanvraag).exists()


def test_verlening_reserves_schedules_and_writes_a_beschikking(regeling, beleid):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00"),
                                                      JAAR + 1: D("10000.00")}),
                        motivering="Past goed.")
    regeling.refresh_from_db()
    assert aanvraag.status == S.VERLEEND and aanvraag.toegekend == D("30000.00")
    assert regeling.toegekend == D("30000.00")
    assert aanvraag.eis == Eis.ACTIVITEITENVERSLAG  # € 30.000: the middle default tier
    termijnen = list(aanvraag.termijnen.order_by("jaar"))
    assert [(t.jaar, t.bedrag) for t in termijnen] == [(JAAR, D("16000.00")),
                                                        (JAAR + 1, D("8000.00"))]
    assert termijnen[1].datum == datetime.date(JAAR + 1, 1, 1)
    beschikking = aanvraag.beschikkingen.get()
    assert beschikking.soort == "verlening" and beschikking.kenmerk.endswith("-V1")
    pdf.store_beschikking_pdf(beschikking.pk)
    beschikking.refresh_from_db()
    data = beschikking.pdf.read()
    assert data.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "wij verlenen u subsidie" in text and "30.000,00" in text and "Past goed." in text
    assert AuditEntry.objects.filter(object_id=str(aanvraag.pk),
                                     content_type__model="aanvraag").count() >= 4


def test_a_small_grant_is_vastgesteld_at_once(regeling):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("5000.00")}))
    assert aanvraag.status == S.VASTGESTELD and aanvraag.eis == Eis.GEEN
    assert aanvraag.vastgesteld == D("5000.00")
    with pytest.raises(ValidationError) as exc:
        services.verantwoorden(None, aanvraag, verslag="x" * 30, besteed={JAAR: "5000"},
                               check_permission=False)
    assert "al vastgesteld" in messages(exc)
    termijn = aanvraag.termijnen.get()
    services.betaal_termijn(None, termijn, check_permission=False)  # the voorschot is still paid
    aanvraag.refresh_from_db()
    assert aanvraag.betaald == D("4000.00")


def test_tiers_are_configurable_per_gemeente(groningen, regeling):
    Verantwoordingsklasse.objects.create(gemeente=groningen, tot_en_met=D("1000.00"),
                                         eis=Eis.GEEN)
    Verantwoordingsklasse.objects.create(gemeente=groningen, tot_en_met=None, eis=Eis.FINANCIEEL)
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("2000.00")}))
    assert aanvraag.eis == Eis.FINANCIEEL
    with pytest.raises(ValidationError) as exc:
        services.verantwoorden(None, aanvraag, verslag="Wij deden wat we beloofden, en meer.",
                               besteed={JAAR: "2000"}, check_permission=False)
    assert "financieel verslag" in messages(exc) and "accountantsverklaring" in messages(exc)
    services.verantwoorden(None, aanvraag, verslag="Wij deden wat we beloofden, en meer.",
                           besteed={JAAR: "2000"}, check_permission=False,
                           bestanden=[("financieel_verslag", pdf_upload("fin.pdf")),
                                      ("accountantsverklaring", pdf_upload("acc.pdf"))])
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERANTWOORD
    assert aanvraag.verantwoording.bestanden.count() == 2


def test_a_decided_aanvraag_changes_only_through_a_wijziging(regeling, beleid, partner):
    aanvraag = verleend(make_aanvraag(regeling))
    with pytest.raises(ValidationError) as exc:
        services.save_aanvraag(beleid, aanvraag, jaren={JAAR: D("99999.00")}, regels=[])
    assert "wijziging" in messages(exc)
    with pytest.raises(ValidationError):
        services.indienen(partner, aanvraag)
    with pytest.raises(ValidationError):
        services.weigeren(beleid, aanvraag, redenen="Toch niet")
    with pytest.raises(ValidationError):
        services.delete_aanvraag(beleid, aanvraag)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERLEEND and aanvraag.gevraagd == D("20000.00")


def test_wijziging_is_recorded_and_reserves_or_releases(regeling, beleid):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    termijn = aanvraag.termijnen.get()
    services.betaal_termijn(beleid, termijn)  # € 16.000 paid
    with pytest.raises(ValidationError) as exc:
        services.wijzigen(beleid, aanvraag, bedragen={JAAR: "15000"}, reden="Minder")
    assert "al € 16.000,00 betaald" in messages(exc).replace("\u00a0", " ")
    with pytest.raises(ValidationError):
        services.wijzigen(beleid, aanvraag, bedragen={JAAR: "18000"}, reden="")
    wijziging = services.wijzigen(beleid, aanvraag, bedragen={JAAR: "18000"},
                                  reden="Eén activiteit vervalt.")
    aanvraag.refresh_from_db()
    regeling.refresh_from_db()
    assert isinstance(wijziging, Wijziging)
    assert wijziging.voor == {str(JAAR): "20000.00"} and wijziging.na == {str(JAAR): "18000.00"}
    assert wijziging.beschikking.soort == "wijziging"
    assert aanvraag.toegekend == regeling.toegekend == D("18000.00")
    # 80% of € 18.000 is € 14.400: already more paid, so no new termijn; the old one stays paid.
    assert not aanvraag.termijnen.filter(vervallen=False, betaling__isnull=True).exists()


def test_wijziging_upwards_respects_the_plafond(groningen, beleid):
    regeling = make_regeling(groningen, plafond=D("18000.00"))
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}),
                        bedragen={JAAR: D("15000.00")})
    with pytest.raises(ValidationError) as exc:
        services.wijzigen(beleid, aanvraag, bedragen={JAAR: "20000"}, reden="Meer nodig")
    assert "subsidieplafond" in messages(exc)
    regeling.refresh_from_db()
    assert regeling.toegekend == D("15000.00")
    assert not Wijziging.objects.filter(aanvraag=aanvraag).exists()


def test_payments_only_on_the_schedule_and_never_beyond_the_grant(regeling, beleid):
    aanvraag = verleend(make_aanvraag(regeling))
    termijn = aanvraag.termijnen.get()
    betaling = services.betaal_termijn(beleid, termijn, datum=TODAY)
    assert betaling.bedrag == D("16000.00") and betaling.soort == "voorschot"
    with pytest.raises(ValidationError) as exc:
        services.betaal_termijn(beleid, termijn)
    assert "al betaald" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.nabetalen(beleid, aanvraag, jaar=JAAR, bedrag="4000")
    assert "pas na de vaststelling" in messages(exc)
    aanvraag.refresh_from_db()
    assert aanvraag.betaald == D("16000.00") and Betaling.objects.filter(
        aanvraag=aanvraag).count() == 1


def test_no_payment_on_a_refused_aanvraag(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    services.weigeren(beleid, aanvraag, redenen="Past niet in de criteria.")
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.GEWEIGERD
    assert aanvraag.beschikkingen.get().soort == "weigering"
    with pytest.raises(ValidationError) as exc:
        services.nabetalen(beleid, aanvraag, jaar=JAAR, bedrag="100")
    assert "geweigerde aanvraag" in messages(exc)
    assert not Betaling.objects.filter(aanvraag=aanvraag).exists()


def test_weigeren_needs_reasons(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    with pytest.raises(ValidationError) as exc:
        services.weigeren(beleid, aanvraag, redenen="  ")
    assert "waarom" in messages(exc)
    assert Aanvraag.objects.get(pk=aanvraag.pk).status == S.INGEDIEND


def test_no_vaststelling_before_verlening_or_before_the_verantwoording(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    with pytest.raises(ValidationError) as exc:
        services.vaststellen(beleid, aanvraag, bedragen={JAAR: "100"})
    assert "pas worden vastgesteld als ze is verleend" in messages(exc)
    verleend(aanvraag)
    with pytest.raises(ValidationError) as exc:
        services.vaststellen(beleid, aanvraag, bedragen={JAAR: "100"})
    assert "Wacht op de verantwoording" in messages(exc)
    assert Aanvraag.objects.get(pk=aanvraag.pk).vastgesteld is None


def test_verantwoording_checks_uploads(regeling, partner, settings):
    aanvraag = verleend(make_aanvraag(regeling))
    fake = SimpleUploadedFile("verslag.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    broken = SimpleUploadedFile("kapot.pdf", b"%PDF-1.4\n garbage", content_type="application/pdf")
    for upload, message in ((fake, "geen PDF"), (broken, "beschadigd")):
        with pytest.raises(ValidationError) as exc:
            services.verantwoorden(partner, aanvraag, verslag="Alles is gedaan zoals gepland.",
                                   besteed={JAAR: "20000"}, bestanden=[("bijlage", upload)])
        assert message in messages(exc)
    settings.FINANCE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.verantwoorden(partner, aanvraag, verslag="Alles is gedaan zoals gepland.",
                               besteed={JAAR: "20000"}, bestanden=[("bijlage", pdf_upload())])
    assert "te groot" in messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.verantwoorden(partner, aanvraag, verslag="", besteed={})
    assert "verslag" in exc.value.message_dict and "besteed" in exc.value.message_dict
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERLEEND
    assert not hasattr(aanvraag, "verantwoording") or aanvraag.verantwoording is None


def test_vaststelling_with_terugvordering(regeling, beleid, partner):
    aanvraag = verleend(make_aanvraag(regeling))
    services.betaal_termijn(beleid, aanvraag.termijnen.get())  # € 16.000 voorschot
    services.verantwoorden(partner, aanvraag, verslag="Minder gedaan door ziekte van de trainer.",
                           besteed={JAAR: "12000,00"}, bestanden=[("bijlage", pdf_upload())])
    aanvraag.refresh_from_db()
    assert services.voorstel_vaststelling(aanvraag) == {JAAR: D("12000.00")}
    with pytest.raises(ValidationError) as exc:
        services.vaststellen(beleid, aanvraag, bedragen={JAAR: "20000,01"})
    assert "meer vastgesteld" in messages(exc)
    services.vaststellen(beleid, aanvraag, bedragen={JAAR: "12000"}, toelichting="Werkelijk.")
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VASTGESTELD
    assert aanvraag.vastgesteld == D("12000.00")
    assert aanvraag.terugvordering == D("4000.00")
    assert aanvraag.jaren.get().terugvordering == D("4000.00")
    beschikking = aanvraag.beschikkingen.get(soort="vaststelling")
    assert beschikking.inhoud["terugvordering"] == "4000.00"
    assert beschikking.inhoud["nabetaling"] == "0.00"
    with pytest.raises(ValidationError):
        services.nabetalen(beleid, aanvraag, jaar=JAAR, bedrag="1")  # nothing left to pay


def test_nabetaling_after_vaststelling_up_to_the_amount_set(regeling, beleid, partner):
    aanvraag = verleend(make_aanvraag(regeling))
    services.betaal_termijn(beleid, aanvraag.termijnen.get())
    services.verantwoorden(partner, aanvraag, verslag="Alles is gedaan zoals gepland.",
                           besteed={JAAR: "19000"})
    services.vaststellen(beleid, aanvraag, bedragen={JAAR: "18000"})
    aanvraag.refresh_from_db()
    assert aanvraag.nog_te_betalen == D("2000.00") and aanvraag.terugvordering == 0
    with pytest.raises(ValidationError) as exc:
        services.nabetalen(beleid, aanvraag, jaar=JAAR, bedrag="2000,01")
    assert "boven de toegekende subsidie" in messages(exc)
    services.nabetalen(beleid, aanvraag, jaar=JAAR, bedrag="2000")
    aanvraag.refresh_from_db()
    assert aanvraag.betaald == aanvraag.vastgesteld == D("18000.00")


def test_overdue_decisions_are_listed(regeling, beleid):
    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, today=TODAY - datetime.timedelta(days=20),
                      check_permission=False)
    groningen = regeling.gemeente
    assert aanvraag not in selectors.te_laat(beleid, groningen)
    assert aanvraag in selectors.te_laat(beleid, groningen,
                                         today=TODAY + datetime.timedelta(weeks=6))
    services.weigeren(beleid, aanvraag, redenen="Niet passend.")
    assert aanvraag not in selectors.te_laat(beleid, groningen,
                                             today=TODAY + datetime.timedelta(weeks=6))
    # The demo has one aanvraag past its beslistermijn.
    assert selectors.te_laat(beleid, groningen).filter(
        titel__startswith="Integraal naschools").exists()


def test_partners_see_only_their_organisatie(groningen, demo_user):
    partner = demo_user("groningen", "partner")
    seen = selectors.aanvragen(partner, groningen)
    assert seen.exists()
    assert set(seen.values_list("organisatie__naam", flat=True)) == {"Kids First"}
    assert selectors.aanvragen(demo_user("groningen", "beleid"), groningen).count() > seen.count()
    coordinator = demo_user("groningen", "coordinator")
    assert set(selectors.aanvragen(coordinator, groningen).values_list(
        "gebied__afkorting", flat=True)) == {"SPT"}
    assert not selectors.aanvragen(demo_user("groningen", "jury"), groningen).exists()


def test_jaaroverzicht_adds_up(groningen, beleid):
    overzicht = selectors.jaaroverzicht(groningen, JAAR)
    spt = next(r for r in overzicht["per_gebied"] if r["naam"] and "Selwerd" in r["naam"])
    assert spt["begroot"] == D("150000.00")
    # Demo in SPT this year: Kansrijke Start € 25.000, Brugfunctionaris € 30.000, Speeldag
    # € 2.500 granted; paid: first quarter of Kansrijke Start, the brugfunctionaris voorschot,
    # and the speeldag.
    assert spt["toegekend"] == D("57500.00")
    assert spt["vastgesteld"] == D("22500.00")
    assert spt["terugvordering"] == D("4000.00")
    assert overzicht["totaal"]["begroot"] == D("610000.00")
    assert overzicht["programmabudget"].bedrag == D("3600000.00")
    per_org = {r["naam"]: r for r in overzicht["per_organisatie"]}
    assert per_org["Kids First"]["toegekend"] == D("25000.00")
    assert per_org[None]["toegekend"] == D("2500.00")  # the residents' initiative
    total = sum((r["toegekend"] for r in overzicht["per_gebied"]), D("0"))
    assert total == overzicht["totaal"]["toegekend"]


def test_controleer_financien_finds_a_drifted_counter(groningen, regeling):
    import io

    from django.core.management import call_command
    from django.db.models import F

    from finance.models import Regeling
    from tests.finance.conftest import make_aanvraag, verleend

    verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    out = io.StringIO()
    call_command("controleer_financien", stdout=out)
    assert "kloppen" in out.getvalue()
    Regeling.objects.filter(pk=regeling.pk).update(toegekend=F("toegekend") - 1000)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("controleer_financien", stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    report = err.getvalue().replace("\u00a0", " ")
    assert f"Regeling '{regeling.naam}', toegekend: de teller zegt € 19.000,00" in report
    assert "verschil € -1.000,00" in report or "verschil -€ 1.000,00" in report


def test_vrijval_after_a_lower_vaststelling_and_an_intrekking(groningen, beleid):
    from tests.finance.conftest import make_aanvraag, make_regeling, verleend

    regeling = make_regeling(groningen, plafond=D("100000.00"))
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("30000.00")}))
    services.betaal_termijn(beleid, aanvraag.termijnen.get())  # € 24.000 voorschot
    services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden, voor 40 kinderen.",
                           besteed={JAAR: "20000"}, check_permission=False)
    services.vaststellen(beleid, aanvraag, bedragen={JAAR: "20000"})
    aanvraag.refresh_from_db()
    regeling.refresh_from_db()
    assert aanvraag.vrijgevallen == D("10000.00") and regeling.toegekend == D("20000.00")
    assert aanvraag.terugvordering == D("4000.00") and aanvraag.terugbetalen_voor
    # Paid back in two parts; never more than what is reclaimed.
    services.terugbetalen(beleid, aanvraag, bedrag="1500", datum=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.terugbetalen(beleid, aanvraag, bedrag="3000", datum=TODAY)
    assert "nog € 2.500,00 open" in messages(exc).replace("\u00a0", " ")
    services.terugbetalen(beleid, aanvraag, bedrag="2500", datum=TODAY)
    aanvraag.refresh_from_db()
    assert aanvraag.nog_terug_te_betalen == 0
    assert "helemaal terugbetaald" in services.waarom_niet(aanvraag, "terugbetalen")

    tweede = verleend(make_aanvraag(regeling, jaren={JAAR: D("15000.00")}))
    services.betaal_termijn(beleid, tweede.termijnen.get())  # € 12.000
    services.intrekken(beleid, tweede, reden="De activiteiten gaan niet door.")
    tweede.refresh_from_db()
    regeling.refresh_from_db()
    assert tweede.status == Aanvraag.Status.INGETROKKEN
    assert tweede.vrijgevallen == D("15000.00") and tweede.terugvordering == D("12000.00")
    assert regeling.toegekend == D("20000.00")
    assert tweede.beschikkingen.filter(soort="intrekking").exists()
    assert not tweede.termijnen.filter(vervallen=False, betaling__isnull=True).exists()


def test_no_payment_dated_in_the_future(beleid, regeling):
    import datetime

    from tests.finance.conftest import make_aanvraag, verleend

    aanvraag = verleend(make_aanvraag(regeling))
    with pytest.raises(ValidationError) as exc:
        services.betaal_termijn(beleid, aanvraag.termijnen.get(),
                                datum=TODAY + datetime.timedelta(days=1))
    assert "niet in de toekomst" in messages(exc)
