import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kaart.models import Verwijsroute
from network.models import Organisatie


@pytest.mark.django_db
def test_public_routes_name_first_stop_steps_and_regisseur(client):
    html = client.get(reverse("kaart:publiek-verwijsroutes",
                              kwargs={"gemeente": "groningen"})).content.decode()
    assert "Mijn kind gaat niet (meer) naar school" in html
    assert "Ga eerst naar" in html and "JGZ Groningen" in html
    assert "Opvoedcursus Positief Opvoeden" in html  # a step links the aanbod
    assert "<form" not in html.split('id="inhoud"')[1]  # nothing personal is asked


@pytest.mark.django_db
def test_route_stays_in_its_gemeente(groningen, assen):
    other = Organisatie.objects.filter(gemeente=assen).first()
    route = Verwijsroute(gemeente=groningen, behoefte="x", eerst_naar=other, regisseur=other)
    with pytest.raises(ValidationError):
        route.full_clean()
