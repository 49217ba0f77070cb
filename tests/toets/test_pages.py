"""The Klaverblad-toets as its users meet it: upload, read the judgement, override with a
reason, evidence, the coverage matrix (page and XLSX), the PDF report, the lexicon and a re-run,
the API and the command; partners see only their own plans, other gemeenten nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import AuditEntry, Membership
from tests.toets import test_tekst
from toets import services
from toets.models import Beleidsdocument, Bewijs, Oordeel, Passage, Toetsopdracht

NOTA = ("# Nota kinderarmoede\n\n## Wat gaan we doen?\n\nWij geven elk kind in een "
        "minimagezin een Kindpakket met schoolspullen en een fiets; we trekken er € 1,2 "
        "miljoen per jaar voor uit.\n\n## Cijfers\n\nIn 2022 had 13 procent van de kinderen "
        "in groep 7 overgewicht, vergeleken met 12 procent landelijk.\n")


def upload(client, slug="groningen", **extra):
    data = {"titel": "Nota kinderarmoede", "beleidsterrein": "inkomen", "jaar": 2026,
            "eigenaar": "Team armoede", "bestand": SimpleUploadedFile("nota.md", NOTA.encode()),
            **extra}
    return client.post(reverse("toets:document-create", kwargs={"gemeente": slug}), data)


@pytest.mark.django_db
def test_upload_review_and_override(client_for, groningen):
    client = client_for("groningen", "beleid")
    response = upload(client)
    assert response.status_code == 302
    document = Beleidsdocument.objects.get(gemeente=groningen, titel="Nota kinderarmoede")
    page = client.get(response["Location"]).content.decode()
    assert "Kindpakket" in page and "<mark>" in page
    oordelen = {o.doel.nummer: o for o in document.laatste_toetsing.oordelen.all()}
    assert oordelen[7].status == "aangetoond" and oordelen[2].status == "beperkt"
    assert oordelen[9].status == "ontbreekt"
    url = reverse("toets:oordeel", kwargs={"gemeente": "groningen", "pk": oordelen[9].pk})
    # Differing from the machine without a reason is refused, with a reason stored and audited.
    client.post(url, {"status": "beperkt", "reden": ""})
    assert Oordeel.objects.get(pk=oordelen[9].pk).status == "ontbreekt"
    client.post(url, {"status": "beperkt", "reden": "Kinderraad wordt in bijlage genoemd."})
    o = Oordeel.objects.get(pk=oordelen[9].pk)
    assert (o.status, o.machine_status, o.overschreven) == ("beperkt", "ontbreekt", True)
    assert AuditEntry.objects.filter(object_id=str(o.pk), action="update").exists()
    # Evidence: reject one, add a passage by number.
    bewijs = oordelen[7].bewijzen.first()
    client.post(reverse("toets:oordeel", kwargs={"gemeente": "groningen",
                                                 "pk": oordelen[7].pk}),
                {"bewijs": bewijs.pk, "beoordeling": "afgewezen"})
    assert Bewijs.objects.get(pk=bewijs.pk).beoordeling == "afgewezen"
    client.post(url, {"passage": 1})
    assert o.bewijzen.filter(bron="handmatig").count() == 1
    tekst = client.get(reverse("toets:document-tekst", kwargs={"gemeente": "groningen",
                                                              "pk": document.pk}))
    assert tekst.status_code == 200 and "og-passage--bewijs" in tekst.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("naam", "data", "melding"), [
    ("scan.pdf", b"%PDF-1.4\n%%EOF", "beschadigd"),
    ("plan.docx", b"PK\x03\x04nietsnuttigs", "zip-archief"),
    ("leeg.txt", b"", "leeg"),
])
def test_bad_files_store_nothing(client_for, naam, data, melding):
    client = client_for("groningen", "beleid")
    voor = Beleidsdocument.objects.count()
    response = upload(client, bestand=SimpleUploadedFile(naam, data))
    assert response.status_code == 200 and melding in response.content.decode()
    assert Beleidsdocument.objects.count() == voor


@pytest.mark.django_db
@pytest.mark.parametrize(("maak", "naam", "melding"), [
    (test_tekst.encrypted_pdf, "geheim.pdf", "beveiligd met een wachtwoord"),
    (test_tekst.scanned_pdf, "scan.pdf", "Is het een scan?"),
    (test_tekst.renamed_zip, "plan.docx", "geen Word- of OpenDocument"),
])
def test_real_bad_files_through_the_page_and_the_api_store_nothing(client_for, maak, naam,
                                                                   melding):
    """The issue's list, as files a person would really upload: a refusal in Dutch on the page
    and in the API, and no document, passage or run left behind."""
    client = client_for("groningen", "beleid")
    tellers = (Beleidsdocument.objects.count(), Passage.objects.count(),
               Toetsopdracht.objects.count())
    response = upload(client, bestand=SimpleUploadedFile(naam, maak()))
    assert response.status_code == 200 and melding in response.content.decode()
    api = client.post(reverse("toetsdocument-list"), {
        "gemeente": "GM0014", "titel": "x", "beleidsterrein": "jeugd", "jaar": 2026,
        "eigenaar": "x", "bestand": SimpleUploadedFile(naam, maak())})
    assert api.status_code == 400 and melding in api.content.decode()
    assert (Beleidsdocument.objects.count(), Passage.objects.count(),
            Toetsopdracht.objects.count()) == tellers


@pytest.mark.django_db
def test_a_200_mb_file_is_refused_before_reading(client_for, tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from toets.forms import DocumentForm

    groot = TemporaryUploadedFile("groot.pdf", "application/pdf", 200 * 1024 * 1024, None)
    groot.file.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    form = DocumentForm({"titel": "Groot", "beleidsterrein": "jeugd", "jaar": 2026,
                         "eigenaar": "x"}, {"bestand": groot},
                        gemeente=Membership.objects.first().gemeente)
    assert not form.is_valid() and "te groot (200 MB)" in str(form.errors)


@pytest.mark.django_db
def test_partner_sees_only_own_plans(client_for, demo_user, groningen):
    beleid = demo_user("groningen", "beleid")
    partner = Membership.objects.get(user__username="groningen-partner")
    eigen = services.toets_document(beleid, groningen, titel="Plan Kids First", jaar=2026,
                                    beleidsterrein="jeugd", eigenaar="Kids First",
                                    organisatie=partner.organisatie, data=NOTA.encode())
    gemeentelijk = services.toets_document(beleid, groningen, titel="Gemeentelijke nota",
                                           jaar=2026, beleidsterrein="jeugd",
                                           eigenaar="Gemeente", data=NOTA.encode())
    client = client_for("groningen", "partner")
    lijst = client.get(reverse("toets:document-list", kwargs={"gemeente": "groningen"}))
    assert "Plan Kids First" in lijst.content.decode()
    assert "Gemeentelijke nota" not in lijst.content.decode()
    assert client.get(gemeentelijk.get_absolute_url()).status_code == 404
    assert client.get(eigen.get_absolute_url()).status_code == 200
    # A partner uploads only for their own organisatie, and may not override judgements.
    assert upload(client, organisatie=partner.organisatie.pk).status_code == 302
    oordeel = eigen.laatste_toetsing.oordelen.first()
    response = client.post(reverse("toets:oordeel", kwargs={"gemeente": "groningen",
                                                            "pk": oordeel.pk}),
                           {"status": "aangetoond", "reden": "x"})
    assert response.status_code == 403
    assert client_for("assen", "beleid").get(eigen.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_matrix_xlsx_and_pdf(client_for, groningen, demo_user):
    services.toets_document(demo_user("groningen", "beleid"), groningen,
                            titel="=HYPERLINK(\"http://x\")", jaar=2026, beleidsterrein="inkomen",
                            eigenaar="Team", data=NOTA.encode())
    client = client_for("groningen", "beleid")
    page = client.get(reverse("toets:matrix", kwargs={"gemeente": "groningen"}))
    assert "Witte vlekken" in page.content.decode()
    xlsx = client.get(reverse("toets:matrix-xlsx", kwargs={"gemeente": "groningen"}))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rijen = list(ws.iter_rows(values_only=True))
    inkomen = next(r for r in rijen if r[0] == "werk en inkomen")
    assert rijen[0][0] == "Beleidsterrein" and inkomen[7] == "aangetoond"  # doel 7 column
    document = Beleidsdocument.objects.get(gemeente=groningen, beleidsterrein="inkomen")
    pdf = client.get(reverse("toets:rapport", kwargs={"gemeente": "groningen",
                                                      "pk": document.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    inhoud = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Kindpakket" in inhoud and "aangetoond" in inhoud


@pytest.mark.django_db
def test_api_upload_and_read(client_for, groningen):
    client = client_for("groningen", "beleid")
    response = client.post(reverse("toetsdocument-list"), {
        "gemeente": "GM0014", "titel": "API-nota", "beleidsterrein": "inkomen", "jaar": 2026,
        "eigenaar": "Team", "tekst": NOTA})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["doelen"]["7"]["status"] == "aangetoond"
    assert body["toets"]["stand"] == "klaar"
    assert body["toets"]["gedaan"] == body["toets"]["totaal"] > 0
    assert body["doelen"]["7"]["bewijs"][0]["pagina"] >= 1
    detail = client.get(reverse("toetsdocument-detail", kwargs={"pk": body["id"]})).json()
    assert detail["doelen"] == body["doelen"]
    leeg = client.post(reverse("toetsdocument-list"), {
        "gemeente": "GM0014", "titel": "x", "beleidsterrein": "jeugd", "jaar": 2026,
        "eigenaar": "x"})
    assert leeg.status_code == 400
    vreemd = client.post(reverse("toetsdocument-list"), {
        "gemeente": "GM0106", "titel": "x", "beleidsterrein": "jeugd", "jaar": 2026,
        "eigenaar": "x", "tekst": NOTA})
    assert vreemd.status_code == 400


@pytest.mark.django_db
def test_command_prints_per_doel_and_json(tmp_path, groningen, capsys):
    voor = Beleidsdocument.objects.count()
    bestand = tmp_path / "nota.md"
    bestand.write_text(NOTA, encoding="utf-8")
    call_command("toets", "groningen", str(bestand), "--json")
    uit = json.loads(capsys.readouterr().out)
    assert set(uit["doelen"]) == {str(n) for n in range(1, 11)}
    assert uit["doelen"]["7"]["status"] == "aangetoond"
    assert {"pagina", "tekst"} <= set(uit["doelen"]["7"]["bewijs"][0])
    call_command("toets", "groningen", str(bestand))
    assert "Doel 7: aangetoond" in capsys.readouterr().out
    (tmp_path / "leeg.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="leeg"):
        call_command("toets", "groningen", str(tmp_path / "leeg.txt"))
    assert Beleidsdocument.objects.count() == voor  # the command stores nothing
