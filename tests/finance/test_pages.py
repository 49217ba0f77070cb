"""The finance pages through the test client: a partner applies, a beleidsmedewerker decides,
money shows Dutch-style, uploads are checked, the XLSX export holds numbers."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.money import EURO_XLSX_FORMAT
from finance.models import Aanvraag, Regeling
from tests.finance.conftest import JAAR, klaverblad_doelen, make_aanvraag, text, url, verleend
from tests.finance.permission_spec import MINIMAL_PDF

D = Decimal
S = Aanvraag.Status
pytestmark = pytest.mark.django_db


def test_partner_applies_through_the_form(client_for, groningen):
    client = client_for("groningen", "partner")
    regeling = Regeling.objects.get(gemeente=groningen, naam="Initiatieven van onderop")
    page = client.get(url("aanvraag-create", regeling_pk=regeling.pk))
    assert page.status_code == 200
    assert "initiatiefnemer" not in text(page)  # only a beleidsmedewerker enters those
    data = {
        "organisatie": regeling.gemeente.organisaties.get(naam="Kids First").pk,
        "titel": "Buitenspeeldag", "gebied": "",
        "activiteiten": "Een buitenspeeldag voor alle kinderen van de wijk, met de scholen.",
        f"jaar_{JAAR}": "1.500,00",
        "klaverblad_doelen": [d.pk for d in klaverblad_doelen(regeling.gemeente)[7:9]],
        "begroting-TOTAL_FORMS": "2", "begroting-INITIAL_FORMS": "0",
        "begroting-MIN_NUM_FORMS": "0", "begroting-MAX_NUM_FORMS": "1000",
        "begroting-0-jaar": str(JAAR), "begroting-0-soort": "kosten",
        "begroting-0-omschrijving": "Materiaal", "begroting-0-bedrag": "1.750,00",
        "begroting-1-jaar": str(JAAR), "begroting-1-soort": "dekking",
        "begroting-1-omschrijving": "Eigen bijdrage", "begroting-1-bedrag": "250",
    }
    response = client.post(url("aanvraag-create", regeling_pk=regeling.pk), data)
    assert response.status_code == 302, text(response)
    aanvraag = Aanvraag.objects.get(titel="Buitenspeeldag")
    assert aanvraag.gevraagd == D("1500.00") and aanvraag.organisatie.naam == "Kids First"
    assert [d.nummer for d in aanvraag.klaverblad_doelen()] == [8, 9]
    detail = client.get(aanvraag.get_absolute_url())
    assert "€ 1.500,00" in text(detail) and "€ 1.750,00" in text(detail)
    assert "kan worden ingediend" in text(detail)
    response = client.post(url("aanvraag-indienen", pk=aanvraag.pk))
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.INGEDIEND


def test_form_errors_are_dutch_and_change_nothing(client_for, groningen):
    client = client_for("groningen", "partner")
    regeling = Regeling.objects.get(gemeente=groningen, naam="Initiatieven van onderop")
    before = Aanvraag.objects.count()
    response = client.post(url("aanvraag-create", regeling_pk=regeling.pk), {
        "organisatie": regeling.gemeente.organisaties.get(naam="Kids First").pk,
        "titel": "X", "activiteiten": "Iets", f"jaar_{JAAR}": "-10",
        "begroting-TOTAL_FORMS": "1", "begroting-INITIAL_FORMS": "0",
        "begroting-0-jaar": str(JAAR), "begroting-0-soort": "kosten",
        "begroting-0-omschrijving": "Inzet", "begroting-0-bedrag": "10,555"})
    assert response.status_code == 200
    body = text(response)
    assert "Een bedrag kan niet negatief zijn." in body
    assert "Een bedrag heeft hoogstens 2 cijfers achter de komma." in body
    assert Aanvraag.objects.count() == before


def test_beleidsmedewerker_assesses_grants_and_gets_the_letter(client_for, regeling):
    aanvraag = make_aanvraag(regeling)
    from finance import services

    services.indienen(None, aanvraag, check_permission=False)
    client = client_for("groningen", "beleid")
    blocked = client.get(url("aanvraag-verlenen", pk=aanvraag.pk))
    assert "Neem de aanvraag eerst in behandeling" in text(blocked)
    data = {"volledig": "ja", "aanvulling": ""}
    for i, _punt in enumerate(regeling.punten()):
        data[f"oordeel_{i}"] = "voldoet"
    assert client.post(url("aanvraag-beoordelen", pk=aanvraag.pk), data).status_code == 302
    response = client.post(url("aanvraag-verlenen", pk=aanvraag.pk), {
        f"jaar_{JAAR}": "20.000", "voorschot_percentage": "50", "motivering": "Goed plan."})
    assert response.status_code == 302, text(response)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERLEEND and aanvraag.toegekend == D("20000.00")
    assert aanvraag.termijnen.get().bedrag == D("10000.00")
    beschikking = aanvraag.beschikkingen.get()
    letter = client.get(beschikking.get_pdf_url())
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF-")
    # The partner sees its own letter; a partner of another organisatie would get 404.
    assert client_for("groningen", "partner").get(beschikking.get_pdf_url()).status_code == 200


def test_payment_page_on_a_refused_aanvraag_refuses_in_dutch(client_for, regeling):
    from finance import services

    aanvraag = make_aanvraag(regeling)
    services.indienen(None, aanvraag, check_permission=False)
    services.weigeren(None, aanvraag, redenen="Niet passend.", check_permission=False)
    client = client_for("groningen", "beleid")
    page = client.get(url("aanvraag-betalen", pk=aanvraag.pk))
    assert "Op een geweigerde aanvraag wordt niets betaald." in text(page)
    response = client.post(url("aanvraag-betalen", pk=aanvraag.pk), {"datum": "2026-01-01"})
    assert response.status_code == 200
    assert "Op een geweigerde aanvraag wordt niets betaald." in text(response)
    assert not aanvraag.betalingen.exists()


def _verantwoording_data(**files):
    return {"verslag": "Wij hebben gedaan wat we beloofden.", f"besteed_{JAAR}": "20000",
            **files}


def test_verantwoording_upload_must_be_a_real_pdf(client_for, regeling):
    aanvraag = verleend(make_aanvraag(regeling))
    client = client_for("groningen", "partner")
    fake = SimpleUploadedFile("verslag.pdf", b"<html>geen pdf</html>",
                              content_type="application/pdf")
    response = client.post(url("aanvraag-verantwoorden", pk=aanvraag.pk),
                           _verantwoording_data(bestand_activiteitenverslag=fake))
    assert response.status_code == 200
    assert "is geen PDF" in text(response)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERLEEND

    real = SimpleUploadedFile("verslag.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = client.post(url("aanvraag-verantwoorden", pk=aanvraag.pk),
                           _verantwoording_data(bestand_activiteitenverslag=real))
    assert response.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERANTWOORD
    bestand = aanvraag.verantwoording.bestanden.get()
    download = client.get(bestand.get_download_url())
    assert b"".join(download.streaming_content) == MINIMAL_PDF


def test_a_200_mb_upload_is_refused_before_it_is_read(client_for, regeling, tmp_path):
    aanvraag = verleend(make_aanvraag(regeling))
    client = client_for("groningen", "partner")
    big = tmp_path / "groot.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(200 * 1024 * 1024)
    with big.open("rb") as fh:
        response = client.post(url("aanvraag-verantwoorden", pk=aanvraag.pk),
                               _verantwoording_data(bestand_activiteitenverslag=fh))
    assert response.status_code == 413
    assert "Het bestand is te groot: hoogstens 20 MB." in text(response)
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.VERLEEND


def test_a_file_over_the_limit_is_refused_by_the_form(client_for, regeling, settings):
    settings.FINANCE_UPLOAD_MAX_BYTES = 1024 * 1024
    aanvraag = verleend(make_aanvraag(regeling))
    client = client_for("groningen", "partner")
    upload = SimpleUploadedFile("groot.pdf", MINIMAL_PDF + b"\0" * (1024 * 1024 + 1),
                                content_type="application/pdf")
    response = client.post(url("aanvraag-verantwoorden", pk=aanvraag.pk),
                           _verantwoording_data(bestand_activiteitenverslag=upload))
    assert response.status_code == 200 and "te groot" in text(response)
    assert Aanvraag.objects.get(pk=aanvraag.pk).status == S.VERLEEND


def test_overview_shows_dutch_money_and_overdue(client_for):
    client = client_for("groningen", "beleid")
    page = client.get(url("overzicht"), {"jaar": JAAR})
    body = text(page)
    assert "€ 3.600.000,00" in body and "€ 150.000,00" in body
    assert "wacht langer dan de beslistermijn" in body
    late = client.get(url("aanvraag-te-laat"))
    assert "Integraal naschools aanbod" in text(late)
    assert "Kansrijke Start" not in text(late)


def test_xlsx_export_holds_numbers_with_a_euro_format(client_for):
    response = client_for("groningen", "beleid").get(url("export"), {"jaar": JAAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert {f"Per gebied {JAAR}", "Aanvragen per jaar", "Betalingen", "Beschikkingen",
            "Regelingen", "Budgetten"} <= set(wb.sheetnames)
    ws = wb[f"Per gebied {JAAR}"]
    header = [c.value for c in ws[1]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    spt = rows["Selwerd, Paddepoel en Tuinwijk"]
    begroot = spt[header.index("Begroot")]
    assert begroot.value == 150000 and isinstance(begroot.value, (int, float))
    assert begroot.number_format == EURO_XLSX_FORMAT
    toegekend = spt[header.index("Toegekend")].value
    assert round(toegekend, 2) == 57500.00
    begroting = wb["Wijkplanbegrotingen"]
    lines = [[c.value for c in r] for r in begroting.iter_rows(min_row=2)]
    assert ["Selwerd, Paddepoel en Tuinwijk", "Kansrijke Start", "cofinanciering (andere bron)",
            "Wijkvernieuwing Groningen", 15000] in [[r[0], r[5], r[7], r[8], r[9]] for r in lines]
    assert wb[f"Per doel {JAAR}"].max_row > 1
    aanvragen = wb["Aanvragen per jaar"]
    titles = {r[1].value for r in aanvragen.iter_rows(min_row=2)}
    assert "Kansrijke Start: speelplek en netwerk van ouders" in titles


def test_partner_export_and_overview_are_not_theirs(client_for):
    client = client_for("groningen", "partner")
    assert client.get(url("overzicht")).status_code == 403
    assert client.get(url("export")).status_code == 403


def test_partner_cannot_open_another_organisations_aanvraag(client_for, groningen):
    other = Aanvraag.objects.get(gemeente=groningen, titel__startswith="Vreedzame Wijk")
    client = client_for("groningen", "partner")
    assert client.get(other.get_absolute_url()).status_code == 404
    own = Aanvraag.objects.get(gemeente=groningen, titel__startswith="Kansrijke Start")
    assert client.get(own.get_absolute_url()).status_code == 200
    listing = text(client.get(url("aanvraag-list")))
    assert "Kansrijke Start" in listing and "Vreedzame Wijk" not in listing


def test_gebiedsbudget_delete_page_returns_to_its_programmabudget(groningen, client_for):
    """A gebiedsbudget nothing was granted from is deleted; the page goes back to its
    programmabudget (a refused delete would go back to the gebiedsbudget)."""
    from finance.models import Gebiedsbudget

    gb = Gebiedsbudget.objects.filter(gemeente=groningen, toegekend=0).first()
    assert gb is not None, "the demo has a gebiedsbudget without toekenningen"
    response = client_for("groningen", "beleid").post(
        reverse("finance:gebiedsbudget-delete", kwargs={"gemeente": "groningen", "pk": gb.pk}))
    assert response.status_code == 302
    assert response["Location"] == gb.programmabudget.get_absolute_url()
    assert not Gebiedsbudget.objects.filter(pk=gb.pk).exists()


def test_a_grant_refused_for_a_full_plafond_says_so_with_what_is_left(client_for, groningen):
    """Never 'al besloten' nor a 'verleend' that did not happen: the page keeps the aanvraag as
    stored (in behandeling) and names the amount still free. While deciding, the page shows
    what is left in the plafond."""
    from tests.finance.conftest import in_behandeling, make_regeling

    regeling = make_regeling(groningen, plafond=D("25000.00"))
    verleend(make_aanvraag(regeling, jaren={JAAR: D("10000.00")}))
    aanvraag = in_behandeling(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    client = client_for("groningen", "beleid")
    page = text(client.get(url("aanvraag-verlenen", pk=aanvraag.pk)))
    assert "nog € 15.000,00 vrij van € 25.000,00" in page
    response = client.post(url("aanvraag-verlenen", pk=aanvraag.pk), {
        f"jaar_{JAAR}": "20.000", "voorschot_percentage": "80", "motivering": ""})
    body = text(response)
    assert response.status_code == 200
    assert "subsidieplafond" in body and "nog € 15.000,00 beschikbaar" in body
    assert "al besloten" not in body
    assert "status: in behandeling" in body and "status: verleend" not in body
    aanvraag.refresh_from_db()
    assert aanvraag.status == S.IN_BEHANDELING and aanvraag.toegekend == 0


def test_the_same_amendment_form_posted_twice_is_applied_once(client_for, regeling):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("50000.00")}))
    client = client_for("groningen", "beleid")
    page = text(client.get(url("aanvraag-wijzigen", pk=aanvraag.pk)))
    import re

    sleutel = re.search(r'name="sleutel" value="([0-9a-f]{32})"', page).group(1)
    data = {f"jaar_{JAAR}": "40.000", "reden": "Minder activiteiten", "sleutel": sleutel}
    first = client.post(url("aanvraag-wijzigen", pk=aanvraag.pk), data)
    second = client.post(url("aanvraag-wijzigen", pk=aanvraag.pk), data)
    assert first.status_code == second.status_code == 302
    aanvraag.refresh_from_db()
    regeling.refresh_from_db()
    assert aanvraag.wijzigingen.count() == 1
    assert aanvraag.beschikkingen.filter(soort="wijziging").count() == 1
    assert aanvraag.toegekend == regeling.toegekend == D("40000.00")
    # A new render is a new key: a real second amendment is applied.
    page = text(client.get(url("aanvraag-wijzigen", pk=aanvraag.pk)))
    nieuw = re.search(r'name="sleutel" value="([0-9a-f]{32})"', page).group(1)
    assert nieuw != sleutel


def test_partners_see_no_link_they_may_not_follow(client_for):
    """The sub-navigation: a partner sees no Jaaroverzicht or Budgetten (those answer 403)."""
    partner = client_for("groningen", "partner")
    body = text(partner.get(url("regeling-list")))
    assert url("overzicht") not in body and url("programmabudget-list") not in body
    assert partner.get(url("overzicht")).status_code == 403
    assert url("aanvraag-list") in body
    beleid = text(client_for("groningen", "beleid").get(url("regeling-list")))
    assert url("overzicht") in beleid


def test_a_partner_applies_only_for_its_own_organisatie(client_for, groningen):
    """core.policy's rule for aanvragen decides the choice list: only the partner's own."""
    from core import policy
    from core.models import User

    user = User.objects.get(username="groningen-partner")
    ids = policy.organisatie_ids(user, policy.ADD, Aanvraag, groningen)
    assert ids == {groningen.organisaties.get(naam="Kids First").pk}
    beleid = User.objects.get(username="groningen-beleid")
    assert policy.organisatie_ids(beleid, policy.ADD, Aanvraag, groningen) is None
