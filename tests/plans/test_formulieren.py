"""Forms people hit: ages in years and months, organisaties grouped by soort, and a form page
that keeps its own heading after a refused save."""

import pytest
from django.urls import reverse

from framework.forms import LeeftijdField

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("jaren", "maanden", "totaal"), [
    ("4", "6", 54), ("0", "-9", -9), ("27", "", 324), ("", "7", 7)])
def test_an_age_in_years_and_months_is_stored_in_months(jaren, maanden, totaal):
    assert LeeftijdField().clean([jaren, maanden]) == totaal


@pytest.mark.parametrize(("jaren", "maanden"), [("1", "-3"), ("27", "1"), ("28", "0")])
def test_impossible_ages_are_refused(jaren, maanden):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        LeeftijdField().clean([jaren, maanden])


def test_the_activiteit_form_in_years_months_and_grouped_organisaties(v2021, concept,
                                                                      client_for):
    act = concept.activiteiten.get(naam="Vreedzame Wijk")
    url = reverse("plans:activiteit-update", kwargs={"gemeente": "groningen", "pk": act.pk})
    client = client_for("groningen", "coordinator")
    html = client.get(url).content.decode()
    jaren, maanden = divmod(act.leeftijd_van, 12)
    assert f'name="leeftijd_van_0" value="{jaren}"' in html
    assert f'name="leeftijd_van_1" value="{maanden}"' in html
    # Organisaties in groups by soort, each a fieldset with its legend.
    assert "<legend>Basisschool</legend>" in html and 'name="partners"' in html
    # The whole list is one fieldset named by the field, with a search box (a long list).
    assert "<legend>Partnerorganisaties" in html and 'data-zoekfilter="id_partners"' in html
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "leeftijd_van"}
    data.update({"leeftijd_van_0": "4", "leeftijd_van_1": "6", "leeftijd_tot_0": "12",
                 "leeftijd_tot_1": "0", "revisie": concept.revisie,
                 "pijler": act.pijler_id, "partners": [o.pk for o in act.partners.all()],
                 "locaties": [o.pk for o in act.locaties.all()],
                 "klaverblad_doelen": [d.pk for d in act.klaverblad_doelen()],
                 "streefwaarden": [], "trekker": act.trekker_id or ""})
    data.pop("leeftijd_tot", None)
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["form"].errors
    act.refresh_from_db()
    assert (act.leeftijd_van, act.leeftijd_tot) == (54, 144)


def test_a_doel_keeps_its_heading_after_a_refused_save(groningen, client_for):
    from framework.models import Doel

    doel = Doel.objects.filter(gemeente=groningen, kader__soort="klaverblad").first()
    url = reverse("framework:doel-update", kwargs={"gemeente": "groningen", "pk": doel.pk})
    client = client_for("groningen", "beleid")
    response = client.post(url, {"nummer": doel.nummer, "tekst": "", "toelichting": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "Controleer wat u invulde" in html
    assert f"<h1 class=\"utrecht-heading-1\">{doel} bewerken</h1>" in html
