"""Dutch search: stemming, compounds, typo tolerance, filters; the same on SQLite and PG."""

import datetime

import pytest
from django.utils import timezone

from kaart import selectors, zoeken
from kaart.models import Aanbod, Levensdomein
from kaart.selectors import Zoekvraag
from tests.kaart.helpers import aanbod, buurt, locatie, postcode_in


def test_terms_meet_across_verb_forms_and_compounds():
    assert "vorles" in zoeken.index_termen("Voorleesochtend")
    assert zoeken.query_termen("voorlezen") == ["vorles"]
    assert "ochtend" in zoeken.index_termen("voorleesochtend")
    assert "begeleid" in zoeken.index_termen("Huiswerkbegeleiding")
    assert zoeken.query_termen("Kinderen") == zoeken.query_termen("kinderen")


@pytest.mark.parametrize("a,b,expected", [
    ("zwem", "zwem", True), ("zwen", "zwem", True), ("zwm", "zwem", True),
    ("zewm", "zwem", True), ("zwemles", "zwem", False), ("abc", "xyz", False)])
def test_een_bewerking(a, b, expected):
    assert zoeken.een_bewerking(a, b) is expected


MINE = {"Voorleesochtend", "Huiswerkbegeleiding", "Zwemles voor kinderen", "Peuterdans",
        "Tienerclub", "Kookclub", "Bakclub"}


def _namen(groningen, tekst="", **filters):
    """Names found among the aanbod these tests make (the demo has its own)."""
    vraag = Zoekvraag(tekst=tekst, **filters)
    qs = selectors.zoek(selectors.publiek_aanbod(groningen), groningen, vraag)
    return sorted(a.naam for a in qs if a.naam in MINE)


@pytest.mark.django_db
def test_search_finds_compounds_stems_and_typos(groningen):
    aanbod(groningen, "Voorleesochtend", korte_beschrijving="Samen boeken lezen.")
    aanbod(groningen, "Huiswerkbegeleiding", korte_beschrijving="Hulp bij je huiswerk.")
    aanbod(groningen, "Zwemles voor kinderen", korte_beschrijving="Leren zwemmen in het bad.")
    assert "Voorleesochtend" in _namen(groningen, "voorlezen")
    assert "Voorleesochtend" in _namen(groningen, "ochtend")
    assert "Huiswerkbegeleiding" in _namen(groningen, "begeleiding")
    assert "Zwemles voor kinderen" in _namen(groningen, "zwemmen kind")
    # Typos: a wrong letter, two letters swapped.
    assert "Zwemles voor kinderen" in _namen(groningen, "zqemmen")
    assert "Zwemles voor kinderen" in _namen(groningen, "kinedren")
    assert "Voorleesochtend" not in _namen(groningen, "zwemmen")


@pytest.mark.django_db
def test_filters_age_region_domain_free_open(groningen):
    b = buurt(groningen)
    loc = locatie(groningen, postcode="9742AB", buurt_obj=b,
                  tijden=[(1, "09:00", "12:00")])
    aanbod(groningen, "Peuterdans", leeftijd_van=24, leeftijd_tot=48, locaties=[loc],
           domeinen=["sport"])
    aanbod(groningen, "Tienerclub", leeftijd_van=144, leeftijd_tot=192, kosten="prijs",
           prijs="2.50")
    assert _namen(groningen, leeftijd_maanden=30) == ["Peuterdans"]
    assert _namen(groningen, buurten=selectors.regio_buurt_ids(b)) == ["Peuterdans"]
    assert _namen(groningen, buurten=selectors.regio_buurt_ids(b.parent)) == ["Peuterdans"]
    sport = Levensdomein.objects.get(code="sport")
    assert _namen(groningen, levensdomein_id=sport.pk) == ["Peuterdans"]
    assert "Tienerclub" not in _namen(groningen, gratis=True)
    monday = timezone.make_aware(datetime.datetime(2026, 12, 7, 10, 0))
    vraag = Zoekvraag(nu_open=True)
    qs = selectors.zoek(selectors.publiek_aanbod(groningen), groningen, vraag, moment=monday)
    assert [a.naam for a in qs if a.naam in MINE] == ["Peuterdans"]
    vraag = Zoekvraag(nu_open=True)
    later = monday + datetime.timedelta(hours=3)
    assert "Peuterdans" not in {a.naam for a in selectors.zoek(
        selectors.publiek_aanbod(groningen), groningen, vraag, moment=later)}


@pytest.mark.django_db
def test_index_follows_changes_and_stays_in_gemeente(groningen, assen):
    a = aanbod(groningen, "Kookclub")
    aanbod(assen, "Kookclub Assen")
    assert _namen(groningen, "kookclub") == ["Kookclub"]
    a.naam = "Bakclub"
    from kaart import services

    services.save_aanbod(None, a, check_permission=False)
    assert _namen(groningen, "kookclub") == []
    assert _namen(groningen, "bakclub") == ["Bakclub"]
    assert Aanbod.objects.get(pk=a.pk).zoektekst.startswith("bakclub")


@pytest.mark.django_db
def test_buurt_follows_postcode(groningen):
    b = buurt(groningen)
    postcode_in(groningen, "9811", b)
    loc = locatie(groningen, postcode="9811 ab")
    assert loc.buurt == b and loc.postcode == "9811AB"
    postcode_in(groningen, "9811AC", buurt(groningen, "BU00141005"))
    assert locatie(groningen, postcode="9811AC").buurt.code == "BU00141005"  # PC6 before PC4


@pytest.mark.django_db
def test_distance_from_a_postcode(groningen):
    """The postcode's point is the mean of the kaart's own locaties there (PC6, else PC4).
    Postcodes and points away from the demo's locaties."""
    from decimal import Decimal

    from kaart.models import Locatie

    dichtbij = locatie(groningen, postcode="9745AB", naam="Dichtbij")
    ver = locatie(groningen, postcode="9746XY", naam="Ver weg")
    # In Haren, more than 5 km from the demo's locaties.
    Locatie.objects.filter(pk=dichtbij.pk).update(latitude=Decimal("53.175000"),
                                                  longitude=Decimal("6.605000"))
    Locatie.objects.filter(pk=ver.pk).update(latitude=Decimal("53.205000"),  # ~3.3 km north
                                             longitude=Decimal("6.605000"))
    aanbod(groningen, "Peuterdans", locaties=[dichtbij])
    aanbod(groningen, "Tienerclub", locaties=[ver])
    punt = selectors.punt_bij_postcode(groningen, "9745 ab")
    assert punt == (53.175, 6.605)
    assert selectors.punt_bij_postcode(groningen, "9745") == (53.175, 6.605)
    assert selectors.punt_bij_postcode(groningen, "1011AA") is None
    assert _namen(groningen, punt=punt, afstand_km=2) == ["Peuterdans"]
    assert _namen(groningen, punt=punt, afstand_km=5) == ["Peuterdans", "Tienerclub"]


@pytest.mark.django_db
def test_search_page_says_when_a_postcode_is_unknown(client, groningen):
    html = client.get("/groningen/sociale-kaart/", {"postcode": "1011 AA", "afstand": "2"}) \
        .content.decode()
    assert "Van deze postcode weten we de plek niet" in html
    assert 'name="afstand"' in html and '<option value="2" selected>' in html
