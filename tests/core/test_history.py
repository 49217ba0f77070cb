"""The history of an object reads as Dutch lines with field labels, Dutch dates and money,
never raw field names, ISO timestamps or Python dumps — for every model the demo writes."""

import re

import pytest

from core.models import AuditEntry

pytestmark = pytest.mark.django_db

RAW = [re.compile(p) for p in (
    r"\d{4}-\d{2}-\d{2}T\d{2}",  # ISO timestamp
    r"^\d{4}-\d{2}-\d{2}$",  # ISO date
    r"[{}\[\]]", r"Decimal\(", r"^(None|True|False)$",  # Python dumps
    r"^-?\d+\.\d{2}$",  # an amount with a decimal point
)]
FIELD_NAME = re.compile(r"_|^[a-z]")  # a label is "Toegekend bedrag", never "toegekend_bedrag"


def raw_parts(regel):
    found = [p.pattern for p in RAW for text in (regel.label, regel.oud, regel.nieuw)
             if p.search(str(text))]
    return found + (["field name"] if FIELD_NAME.search(regel.label) else [])


def test_every_models_fields_read_as_dutch(groningen):
    """Every audit entry of the demo (every model it creates and changes), read as if every
    field changed from empty to its value."""
    seen = set()
    entries = AuditEntry.objects.select_related("content_type").order_by("pk")
    for entry in entries:
        probe = AuditEntry(content_type=entry.content_type, action="update", before={},
                           after=entry.after or entry.before)
        for regel in [*probe.regels(), *entry.regels()]:
            assert not raw_parts(regel), (entry.content_type.model, str(regel), raw_parts(regel))
        seen.add(entry.content_type.model)
    assert {"wijkplanversie", "activiteit", "aanvraag", "organisatie"} <= seen, seen


def test_money_dates_and_choices(groningen):
    from finance.models import Gebiedsbudget

    budget = Gebiedsbudget.objects.filter(gemeente=groningen).first()
    entry = AuditEntry(content_type_id=_ct(Gebiedsbudget), action="update",
                       before={"bedrag": "7250.00", "gebied": budget.gebied_id},
                       after={"bedrag": "10000.00", "gebied": budget.gebied_id})
    [regel] = entry.regels()
    assert str(regel).replace("\xa0", " ") == "Budget: € 7.250,00 → € 10.000,00"


def test_the_versie_history_says_what_happened(groningen, demo_user, client_for):
    from plans import services
    from plans.models import WijkplanVersie

    vastgesteld = WijkplanVersie.objects.get(gemeente=groningen, status="vastgesteld",
                                             wijkplan__gebied__afkorting="SPT")
    concept = services.bijstellen(demo_user("groningen", "coordinator"), vastgesteld)
    services.aanbieden(demo_user("groningen", "coordinator"), concept, revisie=concept.revisie,
                       aangeboden_op=None)
    html = client_for("groningen", "beleid").get(concept.get_absolute_url()).content.decode()
    assert "<strong>Status:</strong> concept → aangeboden" in html
    assert "Aangeboden door:</strong> – → " in html
    assert re.search(r"Aangeboden op:</strong> – → \d{1,2} \w+ 20\d\d \d\d:\d\d", html)
    assert "revisie" not in html.lower().split("historie")[-1]


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk
