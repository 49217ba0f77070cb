"""DUO and LRK register imports: both header generations and encodings, idempotent, closing
what disappeared, Dutch refusals that change nothing; the commands print the counts."""

import io

import pytest
from django.core.management import CommandError, call_command

from kaart.models import Registerinschrijving
from network.models import Organisatie

DUO_OUD = (
    "PROVINCIE;BEVOEGD GEZAG NUMMER;BRIN NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;STRAATNAAM;"
    "HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;TELEFOONNUMMER;"
    "INTERNETADRES\r\n"
    "Groningen;41234;01AB;00;OBS De Vlinder;Vlinderstraat;12;9741AB;GRONINGEN;0014;GRONINGEN;"
    "0501234567;www.example.org\r\n"
    "Groningen;41234;01AB;01;CBS Het Fundament;Fundamentlaan;3 a;9742 CD;GRONINGEN;0014;"
    "GRONINGEN; ; \r\n"
    "Drenthe;41999;09ZZ;00;OBS Elders;Weg;1;9401AA;ASSEN;0106;ASSEN;;\r\n"
)
DUO_NIEUW = (
    "\ufeffINSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
    "POSTCODE;PLAATSNAAM;GEMEENTENUMMER;TELEFOONNUMMER\r\n"
    "01AB;01AB00;OBS De Vlinder;Vlinderstraat;14;9741AB;GRONINGEN;14;0501234567\r\n"
)


def _run(command, data, name, gemeente="groningen"):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command(command, gemeente, str(path), stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_duo_both_generations_idempotent_and_closing(groningen):
    oud = DUO_OUD.replace("De Vlinder", "De Vlinder – Één").encode("cp1252")
    assert _run("import_scholen", oud, "vestigingen.csv") == \
        "aangemaakt 2, bijgewerkt 0, gesloten 0, ongewijzigd 0"
    vlinder = Registerinschrijving.objects.get(gemeente=groningen, code="01AB00").organisatie
    assert vlinder.naam == "OBS De Vlinder – Één" and vlinder.type == "basisschool"
    assert vlinder.adres == "Vlinderstraat 12, 9741 AB, Groningen"
    fundament = Registerinschrijving.objects.get(gemeente=groningen, code="01AB01").organisatie
    assert fundament.telefoon == "" and fundament.website == ""  # blanks holding a space
    assert not Organisatie.objects.filter(naam="OBS Elders").exists()
    assert _run("import_scholen", oud, "vestigingen.csv") == \
        "aangemaakt 0, bijgewerkt 0, gesloten 0, ongewijzigd 2"
    # The newer generation, UTF-8 with BOM: the Vlinder moved, the Fundament is gone.
    assert _run("import_scholen", DUO_NIEUW.encode("utf-8"), "nieuw.csv") == \
        "aangemaakt 0, bijgewerkt 1, gesloten 1, ongewijzigd 0"
    assert Registerinschrijving.objects.get(code="01AB01").gesloten
    assert Organisatie.objects.filter(pk=fundament.pk).exists()  # closed, never deleted


@pytest.mark.django_db
def test_duo_bad_file_changes_nothing(groningen):
    bad = DUO_OUD.replace("OBS De Vlinder", "").encode("cp1252")
    before = Organisatie.objects.count()
    with pytest.raises(CommandError, match="Rij 2, kolom .VESTIGINGSNAAM.: de naam ontbreekt"):
        _run("import_scholen", bad, "vestigingen.csv")
    assert Organisatie.objects.count() == before
    with pytest.raises(CommandError, match="VESTIGINGSNAAM|ontbreken"):
        _run("import_scholen", b"A;B\r\n1;2\r\n", "x.csv")


LRK = (
    "lrk_id,type_oko,actuele_naam_oko,aantal_kindplaatsen,opvanglocatie_adres,"
    "opvanglocatie_postcode,opvanglocatie_woonplaats,verantwoordelijke_gemeente,status,"
    "inschrijfdatum,contact_telefoon\r\n"
    "123456789,KDV,Kinderdagverblijf Zonnetje ,40,Zonstraat 1,9741AA,Groningen,Groningen,"
    "Ingeschreven,2019-03-01,0501112233'\r\n"
    "123456789,KDV,Kinderdagverblijf Zonnetje,40,Zonstraat 1,9741AA,Groningen,Groningen,"
    "Ingeschreven,01-03-2019,0501112233'\r\n"
    "223456789,BSO,BSO De Boomhut,,Boomweg 2,9742BB,Groningen,Groningen,Ingeschreven,"
    "12-08-2020,\r\n"
    "323456789,PSZ,Peuterspeelzaal Oud,16,Oudweg 3,9743CC,Groningen,Groningen,"
    "Niet meer geregistreerd,2001-01-01,\r\n"
    "423456789,VGO,Gastouder Assen,,Weg 1,9401AA,Assen,Assen,Ingeschreven,2020-01-01,\r\n"
)


@pytest.mark.django_db
def test_lrk_dedup_types_closed_guard(groningen):
    assert _run("import_kinderopvang", LRK.encode(), "lrk.csv") == \
        "aangemaakt 3, bijgewerkt 0, gesloten 0, ongewijzigd 0"
    zon = Registerinschrijving.objects.get(register="lrk", code="123456789")
    assert zon.organisatie.telefoon == "0501112233" and zon.organisatie.naam.endswith("Zonnetje")
    assert Registerinschrijving.objects.get(code="323456789").gesloten
    assert "buitenschoolse opvang" in Registerinschrijving.objects.get(
        code="223456789").organisatie.beschrijving
    assert _run("import_kinderopvang", LRK.encode(), "lrk.csv") == \
        "aangemaakt 0, bijgewerkt 0, gesloten 0, ongewijzigd 3"
    with pytest.raises(CommandError, match="onbekend type opvang 'XYZ'"):
        _run("import_kinderopvang", LRK.replace("BSO", "XYZ").encode(), "lrk.csv")
