"""The demo sociale kaart: every Groningen locatie has coordinates in Groningen, so the
distance search from a postcode works in the demo."""

import pytest

from kaart import selectors
from kaart.models import Aanbod, Locatie


def _namen(groningen, postcode, km):
    vraag = selectors.Zoekvraag(punt=selectors.punt_bij_postcode(groningen, postcode),
                                afstand_km=km)
    return set(selectors.zoek(selectors.publiek_aanbod(groningen), groningen, vraag)
               .values_list("naam", flat=True))


@pytest.mark.django_db
def test_demo_locaties_have_coordinates_in_groningen(groningen):
    locaties = Locatie.objects.filter(gemeente=groningen)
    assert locaties.count() >= 6
    for loc in locaties:
        assert loc.latitude is not None and loc.longitude is not None, loc.naam
        # Inside the city of Groningen (north of Haren, south of Zernike's fields).
        assert 53.19 < float(loc.latitude) < 53.26 and 6.52 < float(loc.longitude) < 6.63


@pytest.mark.django_db
def test_distance_search_in_the_demo(groningen):
    selwerd = selectors.punt_bij_postcode(groningen, "9741 AA")
    assert selwerd is not None
    dichtbij = _namen(groningen, "9741 AA", 1)
    # Selwerd (Kids First, Buurthuis De Schakel) and the gymzaal in Tuinwijk are within 1 km.
    assert {"Voorleesochtend voor peuters", "Opvoedspreekuur",
            "Naschoolse sportclub"} <= dichtbij
    # Beijum is some 3 km away; the Opvoedspreekuur is also given in Beijum.
    beijum = _namen(groningen, "9733 AF", 1)
    assert "Opvoedspreekuur" in beijum and "Voorleesochtend voor peuters" not in beijum
    assert "Voorleesochtend voor peuters" in _namen(groningen, "9733 AF", 5)
    # Wider is never fewer.
    assert dichtbij <= _namen(groningen, "9741 AA", 2) <= set(
        selectors.publiek_aanbod(groningen).values_list("naam", flat=True))
    assert Aanbod.objects.filter(gemeente=groningen, naam__in=dichtbij).count() == len(dichtbij)
