"""docs/privacy.md is the processing register (AVG art. 30), and it stays complete: every field
it names exists, and every field of every installed model that looks like personal data is
named in it -- in the register (with purpose, legal basis, who sees it, retention and the job
that deletes it) or in the list of fields that only look like personal data, with the reason.

What "looks like personal data" means is declared here: PERSOONSGEGEVEN_TYPES (any e-mail,
file or image, IP address) and PERSOONSGEGEVEN_NAAM (a text field whose name says name,
e-mail, phone, address, postcode, birth date, age, photo or video, BSN, IP address, or free
text such as `tekst`, `motivatie`, `antwoord`). A model that gains such a field fails this
test until docs/privacy.md lists it.
"""

import re
from pathlib import Path

from django.apps import apps
from django.db import models

DOC = Path(__file__).resolve().parent.parent / "docs" / "privacy.md"

PERSOONSGEGEVEN_TYPES = (models.EmailField, models.FileField, models.GenericIPAddressField)
PERSOONSGEGEVEN_NAAM = re.compile(
    r"(^|_)(naam|voornaam|achternaam|first_name|last_name|username|e?mail|email_hash|telefoon"
    r"|phone|mobiel|adres|address|postcode|straat|huisnummer|woonplaats|geboortedatum"
    r"|geboorte|birth_?date|leeftijd|foto|photo|vlog|video|ip|ip_?adres|bsn|motivatie|tekst"
    r"|bericht|body|antwoord|opmerking|eigenaar|initiatiefnemer|door)($|_)")
TEKSTVELDEN = (models.CharField, models.TextField, models.JSONField)
GEBOORTE = re.compile(r"geboorte|birth")
VELD = re.compile(r"`([a-z_]+\.[A-Z]\w*\.\w+)`")


def lijkt_persoonsgegeven(field) -> bool:
    if isinstance(field, PERSOONSGEGEVEN_TYPES):
        return True
    if isinstance(field, TEKSTVELDEN) and PERSOONSGEGEVEN_NAAM.search(field.name):
        return True
    return isinstance(field, models.DateField) and bool(GEBOORTE.search(field.name))


def tabellen(marker: str) -> list[list[str]]:
    """The rows (cells) of the tables between <!-- marker --> and <!-- /marker -->."""
    text = DOC.read_text(encoding="utf-8")
    blokken = re.findall(rf"<!-- {marker} -->\n(.*?)<!-- /{marker} -->", text, re.S)
    assert blokken, f"no <!-- {marker} --> table in {DOC}"
    rows = []
    for blok in blokken:
        for line in blok.strip().splitlines()[2:]:  # below the header and its --- line
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def genoemd(rows) -> dict[str, list[str]]:
    """{app.Model.field: its row} for the fields named in each row's first cell."""
    result = {}
    for row in rows:
        for naam in VELD.findall(row[0]):
            assert naam not in result, f"{naam} is listed twice in {DOC.name}"
            result[naam] = row
    return result


def alle_velden() -> dict[str, models.Field]:
    return {f"{m._meta.label}.{f.name}": f
            for m in apps.get_models() for f in m._meta.concrete_fields}


def test_every_register_row_says_what_why_basis_who_how_long_and_how_deleted():
    rows = tabellen("privacyregister")
    assert len(rows) >= 10
    for row in rows:
        assert len(row) == 7, row
        assert VELD.search(row[0]), row
        velden, *rest = row
        assert all(rest), f"{velden}: every column must be filled in"


def test_every_listed_field_exists():
    bestaand = alle_velden()
    register = genoemd(tabellen("privacyregister"))
    geen = genoemd(tabellen("geen-persoonsgegevens"))
    assert not set(register) & set(geen), "a field is both personal data and not"
    onbekend = sorted((set(register) | set(geen)) - set(bestaand))
    assert not onbekend, f"{DOC.name} lists fields that do not exist: {onbekend}"


def niet_gedocumenteerd(velden: dict[str, models.Field]) -> list[str]:
    """The fields that look like personal data and that docs/privacy.md does not list."""
    gedocumenteerd = set(genoemd(tabellen("privacyregister"))) | set(
        genoemd(tabellen("geen-persoonsgegevens")))
    return sorted(naam for naam, field in velden.items()
                  if lijkt_persoonsgegeven(field) and naam not in gedocumenteerd)


def test_every_personal_data_field_is_listed():
    ontbreekt = niet_gedocumenteerd(alle_velden())
    assert not ontbreekt, (
        f"These fields look like personal data but {DOC.name} does not list them; add each "
        f"to the register (what, why, legal basis, who sees it, how long, how it is deleted) "
        f"or to 'Geen persoonsgegevens' with the reason: {ontbreekt}")


def test_the_heuristic_catches_what_it_should():
    """The check itself can fail: fields named like personal data are caught, others not."""
    assert lijkt_persoonsgegeven(models.CharField(name="voornaam"))
    assert lijkt_persoonsgegeven(models.CharField(name="ouder_naam"))
    assert lijkt_persoonsgegeven(models.TextField(name="tekst"))
    assert lijkt_persoonsgegeven(models.EmailField(name="contact"))
    assert lijkt_persoonsgegeven(models.ImageField(name="plaatje"))
    assert lijkt_persoonsgegeven(models.GenericIPAddressField(name="herkomst"))
    assert lijkt_persoonsgegeven(models.DateField(name="geboortedatum"))
    assert lijkt_persoonsgegeven(models.CharField(name="telefoon_ouder"))
    assert not lijkt_persoonsgegeven(models.CharField(name="status"))
    assert not lijkt_persoonsgegeven(models.CharField(name="kanaal"))
    assert not lijkt_persoonsgegeven(models.DateField(name="deadline"))
    assert not lijkt_persoonsgegeven(models.IntegerField(name="naam_lengte"))


def test_the_minors_data_the_issue_names_is_in_the_register():
    register = genoemd(tabellen("privacyregister"))
    for naam in ["participation.Aanmelding.voornaam", "participation.Aanmelding.achternaam",
                 "participation.Aanmelding.foto", "participation.Aanmelding.motivatie",
                 "participation.Aanmelding.ouder_email", "participation.Stemcode.code_hash",
                 "participation.Inzending.tekst", "participation.Inzending.email"]:
        assert naam in register, naam
    # A row names the scheduled job that deletes, or says that nothing does yet ("—").
    jobs = {row[6] for naam, row in register.items() if naam.startswith("participation.")}
    assert any("participation.tasks.purge_participation_data" in j for j in jobs)
    assert any("participation.tasks.wis_kandidaatgegevens" in j for j in jobs)


def test_a_model_that_gains_a_personal_data_field_fails():
    """As if a developer added these fields to existing models: each is caught."""
    nieuw = {"participation.Aanmelding.telefoon_ouder": models.CharField(name="telefoon_ouder"),
             "kaart.Melding.naam": models.CharField(name="naam"),
             "participation.Inzending.bijlage": models.FileField(name="bijlage"),
             "core.Bericht.ip_adres": models.GenericIPAddressField(name="ip_adres")}
    assert niet_gedocumenteerd(alle_velden() | nieuw) == sorted(nieuw)


TAAK = re.compile(r"`((\w+)\.tasks\.(\w+))`")


def test_every_job_the_register_names_is_scheduled():
    """A deletion the register promises is a job that exists and has a schedule."""
    from core import scheduler

    jobs = {job.name for job in scheduler.jobs()}
    taken = {m.group(1) for m in TAAK.finditer(DOC.read_text(encoding="utf-8"))}
    assert {"participation.tasks.wis_gegevens_kinderburgemeester",
            "kaart.tasks.wis_melding_emails", "core.tasks.ruim_sessies_op",
            "participation.tasks.wis_inzending_emails"} <= taken
    assert not taken - jobs, f"not scheduled: {sorted(taken - jobs)}"
