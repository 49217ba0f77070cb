"""The rest of the subsidy life cycle: publishing a regeling, attachments, sensible dates and
amounts in the verantwoording, overdue terugvorderingen, the beschikking letter, and the
decision steps through the API (state machine and idempotency key)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import attention
from core.models import AuditEntry, Bericht, Role
from core.selectors import users_with_role
from finance import pdf, services
from finance.models import Aanvraag, Regeling
from tests.finance.conftest import JAAR, TODAY, make_aanvraag, make_regeling, text, url, verleend
from tests.finance.permission_spec import MINIMAL_PDF

D = Decimal
S = Aanvraag.Status
pytestmark = pytest.mark.django_db


def messages(exc):
    return " ".join(exc.value.messages).replace("\u00a0", " ")


# --- regeling concept → gepubliceerd ----------------------------------------------------------


def test_partners_see_a_regeling_only_when_it_is_published(client_for, groningen):
    regeling = make_regeling(groningen, concept=True, naam="Nog geheim")
    partner = client_for("groningen", "partner")  # (one test client: log in per role)
    assert "Nog geheim" not in text(partner.get(url("regeling-list")))
    assert partner.get(url("regeling-detail", pk=regeling.pk)).status_code == 404
    assert partner.get(url("aanvraag-create", regeling_pk=regeling.pk)).status_code == 404
    assert "Nog geheim" not in str(partner.get("/api/v1/subsidieregelingen/").json())
    with pytest.raises(ValidationError) as exc:
        make_aanvraag(regeling)
    assert "nog niet gepubliceerd" in messages(exc)

    beleid = client_for("groningen", "beleid")
    assert "Concept: alleen de gemeente" in text(beleid.get(url("regeling-detail",
                                                                  pk=regeling.pk)))
    response = beleid.post(url("regeling-publiceren", pk=regeling.pk), {})
    assert response.status_code == 302
    partner = client_for("groningen", "partner")
    assert partner.get(url("regeling-detail", pk=regeling.pk)).status_code == 200
    assert "Nog geheim" in str(partner.get("/api/v1/subsidieregelingen/").json())


def test_the_application_window_is_enforced(groningen):
    regeling = make_regeling(groningen, aanvragen_van=TODAY - datetime.timedelta(days=60),
                             aanvragen_tot=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        make_aanvraag(regeling)
    assert "Aanvragen kan van" in messages(exc)


# --- attachments ------------------------------------------------------------------------------


def _docx():
    from docx import Document

    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Projectplan")
    document.save(out)
    return out.getvalue()


def _xlsx():
    from openpyxl import Workbook

    out = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Begroting"
    workbook.save(out)
    return out.getvalue()


def _zip_not_office():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


@pytest.mark.parametrize("name, content, soort, formaat", [
    ("plan.pdf", MINIMAL_PDF, "projectplan", "pdf"),
    ("plan.docx", None, "projectplan", "docx"),
    ("begroting.xlsx", None, "begroting", "xlsx"),
])
def test_attachments_by_content(client_for, regeling, name, content, soort, formaat):
    content = content or (_docx() if formaat == "docx" else _xlsx())
    aanvraag = make_aanvraag(regeling)
    client = client_for("groningen", "partner")
    response = client.post(url("aanvraag-bijlage", pk=aanvraag.pk), {
        "soort": soort, "bestand": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, text(response)
    bijlage = aanvraag.bestanden.get()
    assert bijlage.formaat == formaat and bijlage.naam.endswith(f".{formaat}")
    detail = text(client.get(aanvraag.get_absolute_url()))
    assert bijlage.get_download_url() in detail
    download = client.get(bijlage.get_download_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == content


@pytest.mark.parametrize("name, content, message", [
    ("plan.pdf", b"not a pdf at all", "geen PDF, Word"),
    ("plan.docx", _zip_not_office(), "geen PDF, Word"),
    ("plan.pdf", b"%PDF-1.7 broken", "beschadigd"),
])
def test_attachments_that_are_not_documents_are_refused(client_for, regeling, name, content,
                                                        message):
    aanvraag = make_aanvraag(regeling)
    client = client_for("groningen", "partner")
    response = client.post(url("aanvraag-bijlage", pk=aanvraag.pk), {
        "soort": "projectplan", "bestand": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in text(response)
    assert not aanvraag.bestanden.exists()


def test_attachments_have_a_size_limit_and_only_on_a_concept(settings, regeling, partner):
    settings.FINANCE_UPLOAD_MAX_BYTES = 1024
    aanvraag = make_aanvraag(regeling)
    with pytest.raises(ValidationError) as exc:
        services.add_bijlage(partner, aanvraag, soort="bijlage",
                             upload=SimpleUploadedFile("groot.pdf", MINIMAL_PDF + b" " * 2000))
    assert "te groot" in messages(exc)
    settings.FINANCE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    services.indienen(None, aanvraag, check_permission=False)
    with pytest.raises(ValidationError) as exc:
        services.add_bijlage(partner, aanvraag, soort="bijlage",
                             upload=SimpleUploadedFile("plan.pdf", MINIMAL_PDF))
    assert "al ingediend" in messages(exc)


def _bijlage(aanvraag, partner):
    return services.add_bijlage(partner, aanvraag, soort="projectplan",
                                upload=SimpleUploadedFile("plan.pdf", MINIMAL_PDF))


def test_the_partner_removes_a_bijlage_of_a_concept(client_for, regeling, partner,
                                                     django_capture_on_commit_callbacks):
    aanvraag = make_aanvraag(regeling)
    bijlage = _bijlage(aanvraag, partner)
    opslag, pad = bijlage.bestand.storage, bijlage.bestand.name
    client = client_for("groningen", "partner")
    delete_url = url("bijlage-delete", pk=bijlage.pk)
    assert delete_url in text(client.get(aanvraag.get_absolute_url()))
    page = text(client.get(delete_url))
    assert "Bijlage verwijderen" in page and "plan.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url, {})
    assert response.status_code == 302 and response.url == aanvraag.get_absolute_url()
    assert not aanvraag.bestanden.exists() and not opslag.exists(pad)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE, object_id=str(bijlage.pk),
                                   content_type__model="aanvraagbestand")
    assert entry.actor == partner and entry.before["naam"] == bijlage.naam
    # A second post (a double click) finds nothing: 404, nothing else happens.
    assert client.post(delete_url, {}).status_code == 404


def test_after_indienen_only_the_behandelaar_removes_a_bijlage_until_the_decision(
        client_for, regeling, partner):
    aanvraag = make_aanvraag(regeling)
    bijlage = _bijlage(aanvraag, partner)
    services.indienen(None, aanvraag, check_permission=False)
    delete_url = url("bijlage-delete", pk=bijlage.pk)
    client = client_for("groningen", "partner")
    assert delete_url not in text(client.get(aanvraag.get_absolute_url()))
    response = client.post(delete_url, {})
    assert response.status_code == 200 and "al ingediend" in text(response)
    with pytest.raises(ValidationError):
        services.delete_bijlage(partner, bijlage)
    assert aanvraag.bestanden.exists()

    beleid = client_for("groningen", "beleid")
    assert delete_url in text(beleid.get(aanvraag.get_absolute_url()))
    assert beleid.post(delete_url, {}).status_code == 302
    assert not aanvraag.bestanden.exists()

    tweede = _bijlage(make_aanvraag(regeling), partner)
    besloten = verleend(tweede.aanvraag)
    response = beleid.post(url("bijlage-delete", pk=tweede.pk), {})
    assert response.status_code == 200 and "horen bij het dossier" in text(response)
    assert besloten.bestanden.exists()


# --- dates and amounts in the verantwoording --------------------------------------------------


def test_no_verantwoording_before_the_period_ends_unless_the_regeling_allows_it(groningen):
    regeling = make_regeling(groningen, tussentijds_verantwoorden=False)
    aanvraag = verleend(make_aanvraag(regeling))
    reason = services.waarom_niet(aanvraag, "verantwoorden")
    assert f"loopt tot en met 31-12-{JAAR}" in reason and "uiterlijk" in reason
    with pytest.raises(ValidationError):
        services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden voor 40 kinderen.",
                               besteed={JAAR: "20000"}, check_permission=False)
    later = datetime.date(JAAR + 1, 1, 2)
    assert services.waarom_niet(aanvraag, "verantwoorden", today=later) == ""


def test_spending_above_the_grant_needs_a_reason_and_is_flagged(client_for, regeling,
                                                                beleid):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    with pytest.raises(ValidationError) as exc:
        services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden voor 40 kinderen.",
                               besteed={JAAR: "23000"}, check_permission=False)
    assert "meer uitgegeven (€ 23.000,00) dan de subsidie (€ 20.000,00)" in messages(exc)
    services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden voor 40 kinderen.",
                           besteed={JAAR: "23000"}, overschrijding_reden="Meer kinderen kwamen.",
                           check_permission=False)
    page = text(client_for("groningen", "beleid").get(aanvraag.get_absolute_url()))
    assert "Meer uitgegeven dan de subsidie." in page and "Meer kinderen kwamen." in page
    # The vaststelling stays at most the grant.
    assert services.voorstel_vaststelling(aanvraag) == {JAAR: D("20000.00")}

    # Flagged to every beleidsmedewerker through the outbox, and on their home page.
    berichten = Bericht.objects.filter(kind="finance.overschrijding", object_id=str(aanvraag.pk))
    ontvangers = set(users_with_role(regeling.gemeente, Role.BELEIDSMEDEWERKER))
    assert ontvangers and {b.user for b in berichten} == ontvangers
    assert berichten.count() == len(ontvangers)
    bericht = berichten.first()
    body = bericht.body.replace("\u00a0", " ")
    assert aanvraag.nummer in bericht.subject and "Meer uitgegeven" in bericht.subject
    assert f"{JAAR}: uitgegeven € 23.000,00, subsidie € 20.000,00" in body
    assert "Reden van de aanvrager: Meer kinderen kwamen." in body
    assert bericht.url == aanvraag.get_absolute_url()
    items = [i for i in attention.items_for(beleid, regeling.gemeente)
             if aanvraag.nummer in i.title]
    assert len(items) == 1 and items[0].title.startswith("Meer uitgegeven dan de subsidie")
    assert items[0].detail == "Reden: Meer kinderen kwamen."


def test_spending_within_the_grant_is_not_flagged(regeling, beleid):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    services.verantwoorden(None, aanvraag, verslag="Gedaan wat we beloofden voor 40 kinderen.",
                           besteed={JAAR: "20000"}, check_permission=False)
    assert not Bericht.objects.filter(kind="finance.overschrijding").exists()
    items = [i for i in attention.items_for(beleid, regeling.gemeente)
             if aanvraag.nummer in i.title]
    assert len(items) == 1 and items[0].title.startswith("Verantwoording beoordelen")


# --- terugvordering ---------------------------------------------------------------------------


def test_overdue_terugvorderingen_are_listed(client_for, regeling, beleid):
    aanvraag = verleend(make_aanvraag(regeling, jaren={JAAR: D("10000.00")}))
    services.betaal_termijn(beleid, aanvraag.termijnen.get())  # € 8.000
    services.intrekken(beleid, aanvraag, reden="Gaat niet door.",
                       today=TODAY - datetime.timedelta(weeks=10))
    aanvraag.refresh_from_db()
    assert aanvraag.terugbetaling_te_laat()
    client = client_for("groningen", "beleid")
    page = text(client.get(url("terugvordering-list")))
    assert aanvraag.nummer in page and "te laat" in page and "€ 8.000,00" in page
    response = client.post(url("aanvraag-terugbetalen", pk=aanvraag.pk), {
        "bedrag": "8.000", "datum": TODAY.isoformat()})
    assert response.status_code == 302
    assert aanvraag.nummer not in text(client.get(url("terugvordering-list")))


# --- the beschikking letter -------------------------------------------------------------------


def test_the_letter_says_a_partial_refusal_plainly(groningen, kids_first):
    from pypdf import PdfReader

    regeling = make_regeling(groningen, ondertekenaar_naam="A. Jansen",
                             ondertekenaar_functie="teamleider Jeugd")
    aanvraag = make_aanvraag(regeling, jaren={JAAR: D("8000.00")})
    assert kids_first.adres == "Iepenlaan 7, 9741 AD Groningen"  # the demo's address
    verleend(aanvraag, bedragen={JAAR: "6000"}, motivering="De inhuur is te hoog.")
    beschikking = aanvraag.beschikkingen.get()
    reader = PdfReader(io.BytesIO(pdf.render_beschikking(beschikking)))
    letter = " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")
    letter = " ".join(letter.split())
    for expected in ("Kids First Iepenlaan 7 9741 AD Groningen", beschikking.kenmerk,
                     "Voor het verschil van € 2.000,00 weigeren wij uw aanvraag",
                     "Stuur uw verantwoording uiterlijk", "bezwaar", "A. Jansen",
                     "teamleider Jeugd", "€ 4.800,00"):
        assert expected in letter, expected
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)


# --- the API: the state machine and the idempotency key --------------------------------------


def test_api_decisions_ask_the_state_machine_and_honour_the_key(client_for, regeling):
    from tests.finance.conftest import in_behandeling

    aanvraag = in_behandeling(make_aanvraag(regeling, jaren={JAAR: D("20000.00")}))
    client = client_for("groningen", "beleid")
    base = f"/api/v1/aanvragen/{aanvraag.pk}/"
    assert "verlenen" in client.get(base).json()["mogelijke_stappen"]
    refused = client.post(base + "wijzigen/", {"bedragen": {str(JAAR): "1"}, "reden": "x"},
                          content_type="application/json")
    assert refused.status_code == 400
    assert "Alleen een verleende subsidie" in str(refused.json())
    response = client.post(base + "verlenen/", {"bedragen": {str(JAAR): "20000"}},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "verleend"
    for _ in range(2):
        response = client.post(base + "wijzigen/", {"bedragen": {str(JAAR): "15000"},
                                                    "reden": "Minder"},
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert response.status_code == 200, response.json()
    aanvraag.refresh_from_db()
    assert aanvraag.wijzigingen.count() == 1 and aanvraag.toegekend == D("15000.00")
    assert Regeling.objects.get(pk=regeling.pk).toegekend == D("15000.00")
