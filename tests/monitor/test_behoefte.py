"""Aanbod against need: per doel and gebied, the indicators whose gebied target is not met
(the monitor's NeedSource) beside the sociale kaart's current aanbod, on the Klaverblad
coverage page and the gebied dashboard. Neither framework nor monitor imports kaart."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from framework import selectors as framework_selectors
from framework.models import DoelKoppeling
from monitor import selectors
from monitor.models import Indicator
from regions.models import Gebied, Region
from tests.kaart.helpers import aanbod, locatie
from tests.monitor.helpers import streefwaarde

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(importeer):
    """armoede_kind: SPT 14,4% in 2023 and 13,9% in 2024 (lower is better)."""
    assert importeer("pagina_armoede_2020_2024.csv").status == "ingelezen"


@pytest.fixture
def spt(groningen):
    return Gebied.objects.get(gemeente=groningen, afkorting="SPT")


def _doelen_van(groningen, code):
    indicator = Indicator.objects.get(gemeente=groningen, code=code)
    return set(DoelKoppeling.objects.filter(
        content_type=ContentType.objects.get_for_model(Indicator), object_id=indicator.pk)
        .values_list("doel_id", flat=True))


def test_off_target_indicators_per_doel_and_gebied(groningen, data, spt):
    doelen = _doelen_van(groningen, "armoede_kind")
    assert doelen
    ids = list(framework_selectors.klaverblad_doelen(groningen).values_list("pk", flat=True))
    streefwaarde(groningen, gebied=spt, jaar=2023, waarde=14.0)  # 14,4: niet gehaald
    counts = selectors.achter_per_doel_en_gebied(None, groningen, ids)
    assert {k for k, n in counts.items() if k[1] == spt.pk} >= {
        (d, spt.pk) for d in doelen if d in ids}
    # A later target that is met (13,9 against 14,0) is what counts now.
    streefwaarde(groningen, gebied=spt, jaar=2024, waarde=14.0)
    counts = selectors.achter_per_doel_en_gebied(None, groningen, ids)
    assert not any(counts.get((d, spt.pk)) for d in doelen)


def test_coverage_page_and_gebied_dashboard_show_aanbod_beside_need(groningen, data, spt,
                                                                    client_for):
    doel_id = next(iter(_doelen_van(groningen, "armoede_kind")))
    streefwaarde(groningen, gebied=spt, jaar=2023, waarde=14.0)
    buurt = Region.objects.filter(gebieden=spt, soort=Region.Soort.BUURT).first() or \
        Region.objects.filter(parent__gebieden=spt).first()
    loc = locatie(groningen, buurt_obj=buurt, postcode="9999AA")
    from framework.models import Doel

    aanbod(groningen, "Geldcafé voor ouders", locaties=[loc],
           doelen=[Doel.objects.get(pk=doel_id)])
    rij = next(r for r in framework_selectors.aanbod_en_behoefte(None, groningen, spt)
               if r["doel"].pk == doel_id)
    assert rij["aanbod"] >= 1 and rij["achter"] >= 1

    client = client_for("groningen", "beleid")
    html = client.get(reverse("framework:dekking", kwargs={"gemeente": "groningen"})) \
        .content.decode()
    assert "Aanbod tegenover behoefte" in html
    assert "cijfers niet op streefwaarde in Selwerd, Paddepoel en Tuinwijk" in html
    html = client.get(reverse("monitor:gebied", kwargs={"gemeente": "groningen",
                                                        "pk": spt.pk})).content.decode()
    assert "Aanbod tegenover behoefte" in html and "Cijfers niet op streefwaarde" in html
