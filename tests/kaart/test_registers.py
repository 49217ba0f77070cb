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
@pytest.mark.parametrize("van, naar, fout", [
    ("OBS De Vlinder", "", "Rij 2, kolom .VESTIGINGSNAAM.: de naam ontbreekt"),
    # The model's own rule for a website, at its row and column.
    ("www.example.org", "www.exa mple .org", "Rij 2, kolom .INTERNETADRES.: .*URL"),
])
def test_duo_bad_file_changes_nothing(groningen, van, naar, fout):
    bad = DUO_OUD.replace(van, naar).encode("cp1252")
    before = Organisatie.objects.count()
    with pytest.raises(CommandError, match=fout):
        _run("import_scholen", bad, "vestigingen.csv")
    assert Organisatie.objects.count() == before
    assert not Registerinschrijving.objects.exists()
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


# The bulk import: what the row-by-row import did, per organisatie, in a few statements ------

KOP_NIEUW = ("INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
             "POSTCODE;PLAATSNAAM;GEMEENTENUMMER;TELEFOONNUMMER;INTERNETADRES")


def _duo(*rijen) -> bytes:
    """A new-generation DUO file in Windows-1252 of (code, naam[, huisnummer]) rows."""
    lines = [KOP_NIEUW]
    for code, naam, *rest in rijen:
        lines.append(f"{code[:4]};{code};{naam};Schoolstraat;{rest[0] if rest else 1};9741AB;"
                     f"GRONINGEN;0014;050 123 45 67;www.{code.lower()}.example")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _importeer(gemeente, data, register="duo"):
    from kaart import registers

    return registers.importeer_bestand(None, gemeente, register, "bestand.csv", data,
                                       check_permission=False).regel()


def _audit(model, action, na=0):
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry

    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                     action=action, pk__gt=na)


@pytest.mark.django_db
def test_every_change_has_its_audit_entry_and_nothing_else_does(groningen):
    from core.models import AuditEntry

    start = AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last()
    oud = DUO_OUD.encode("cp1252")
    _run("import_scholen", oud, "vestigingen.csv")
    created = _audit(Organisatie, "create", start).filter(gemeente=groningen)
    assert sorted(e.object_repr for e in created) == ["CBS Het Fundament", "OBS De Vlinder"]
    vlinder = created.get(object_repr="OBS De Vlinder")
    assert vlinder.after["adres"] == "Vlinderstraat 12, 9741 AB, Groningen"
    assert vlinder.after["gebieden"] == [] and vlinder.actor_naam == "systeem"
    assert _audit(Registerinschrijving, "create").count() == 2
    count = AuditEntry.objects.count()
    _run("import_scholen", oud, "vestigingen.csv")  # nothing changes, nothing is recorded
    assert AuditEntry.objects.count() == count
    _run("import_scholen", DUO_NIEUW.encode("utf-8"), "nieuw.csv")
    update = _audit(Organisatie, "update", start).get()
    assert ("adres", "Vlinderstraat 12, 9741 AB, Groningen",
            "Vlinderstraat 14, 9741 AB, Groningen") in update.changes()
    assert str(update.object_id) == str(Registerinschrijving.objects.get(
        code="01AB00").organisatie_id)
    gesloten = _audit(Registerinschrijving, "update").get(object_repr__endswith="01AB01")
    assert gesloten.changes() == [("gesloten", False, True)]


@pytest.mark.django_db
def test_names_made_unique_as_row_by_row_also_when_names_move(groningen):
    # Two vestigingen with one name, and a name an organisatie of the gemeente already has.
    assert Organisatie.objects.filter(gemeente=groningen, naam="Kids First").exists()
    _importeer(groningen, _duo(("01AB00", "De Regenboog"), ("01AB01", "De Regenboog"),
                               ("01AB02", "Kids First")))

    def namen():
        return {i.code: i.organisatie.naam for i in Registerinschrijving.objects.filter(
            gemeente=groningen).select_related("organisatie")}

    assert namen() == {"01AB00": "De Regenboog", "01AB01": "De Regenboog (01AB01)",
                       "01AB02": "Kids First (01AB02)"}
    # Renamed; a new vestiging takes the name another one leaves in the same file.
    assert _importeer(groningen, _duo(("01AB00", "De Zon"), ("01AB01", "De Maan"),
                                      ("01AB03", "De Regenboog"), ("01AB02", "Kids First"))) \
        == "aangemaakt 1, bijgewerkt 2, gesloten 0, ongewijzigd 1"
    assert namen() == {"01AB00": "De Zon", "01AB01": "De Maan", "01AB03": "De Regenboog",
                       "01AB02": "Kids First (01AB02)"}
    # 01AB00 wants the name 01AB01 still has; 01AB01 takes the one 01AB00 just left. In one
    # bulk UPDATE that would clash on the unique name if rows were written in the other order.
    assert _importeer(groningen, _duo(("01AB00", "De Maan"), ("01AB01", "De Zon"),
                                      ("01AB03", "De Regenboog"), ("01AB02", "Kids First"))) \
        == "aangemaakt 0, bijgewerkt 2, gesloten 0, ongewijzigd 2"
    assert namen() == {"01AB00": "De Maan (01AB00)", "01AB01": "De Zon",
                       "01AB03": "De Regenboog", "01AB02": "Kids First (01AB02)"}


@pytest.mark.django_db
def test_renamed_school_is_found_by_its_new_name(groningen):
    from kaart import zoeken
    from kaart.models import Aanbod
    from tests.kaart.helpers import aanbod

    _importeer(groningen, _duo(("01AB00", "OBS Zonnebloem")))
    school = Registerinschrijving.objects.get(code="01AB00").organisatie
    naschools = aanbod(groningen, "Naschoolse sport", org=school)
    assert set(zoeken.index_termen("Zonnebloem")) <= set(naschools.zoektekst.split())
    _importeer(groningen, _duo(("01AB00", "OBS Klimop")))
    termen = set(Aanbod.objects.get(pk=naschools.pk).zoektekst.split())
    assert set(zoeken.index_termen("Klimop")) <= termen
    assert not set(zoeken.index_termen("Zonnebloem")) & termen


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_rows(groningen):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ContentType.objects.get_for_models(Organisatie, Registerinschrijving)  # cached from here on

    def queries(data):
        with CaptureQueriesContext(connection) as captured:
            _importeer(groningen, data)
        return len(captured)

    klein = [(f"{i:02d}AA00", f"School {i}") for i in range(10)]
    groot = [(f"{i:02d}BB00", f"School {i}") for i in range(20, 60)]
    # New rows: the same statements for 10 as for 40 (next to 10 unchanged ones). Sizes stay
    # below one batch of the smallest bulk INSERT on SQLite (99 audit entries).
    assert queries(_duo(*klein)) == queries(_duo(*klein, *groot))
    # Changed and missing rows: the same statements for 2 + 2 as for 20 + 10.
    verhuisd = [(c, n, 2) for c, n in klein]
    q_weinig = queries(_duo(*verhuisd[:2], *klein[2:], *groot[2:]))
    q_veel = queries(_duo(*verhuisd[:2], *klein[2:], *groot[2:10],
                          *[(c, n, 2) for c, n in groot[10:30]]))
    assert q_weinig == q_veel
    assert Registerinschrijving.objects.filter(gesloten=True).count() == 2 + 10


@pytest.mark.django_db
def test_lrk_location_registered_again_is_reopened(groningen):
    _run("import_kinderopvang", LRK.encode(), "lrk.csv")
    weer = LRK.replace("Niet meer geregistreerd", "Ingeschreven")
    assert _run("import_kinderopvang", weer.encode(), "lrk.csv") == \
        "aangemaakt 0, bijgewerkt 1, gesloten 0, ongewijzigd 2"
    assert not Registerinschrijving.objects.get(code="323456789").gesloten
