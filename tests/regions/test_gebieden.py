"""Gebieden: named sets of wijken/buurten of one CBS indeling year."""

import pytest
from django.core.exceptions import ValidationError

from regions.models import Gebied, Region
from regions.services import save_gebied


def test_demo_gebieden_use_real_cbs_buurten(groningen):
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    assert sorted(spt.regions.values_list("naam", flat=True)) == [
        "Paddepoel-Noord", "Paddepoel-Zuid", "Selwerd", "Tuinwijk"]
    assert set(spt.regions.values_list("parent__code", flat=True)) == {"WK001410"}
    assert set(Gebied.objects.filter(gemeente=groningen).values_list("naam", flat=True)) == {
        "Beijum", "Lewenborg", "Selwerd, Paddepoel en Tuinwijk",
        "De Hoogte en Indische Buurt", "De Weijert"}


def test_gebied_rules(groningen, assen, demo_user):
    beleid = demo_user("groningen", "beleid")
    gebied = Gebied(gemeente=groningen, naam="Nieuw gebied", jaar=2022)
    with pytest.raises(ValidationError, match="Kies minstens één wijk of buurt."):
        save_gebied(beleid, gebied, [])
    with pytest.raises(ValidationError, match="hoort bij een andere gemeente"):
        save_gebied(beleid, gebied, Region.objects.filter(gemeente=assen, soort="buurt")[:1])
    with pytest.raises(ValidationError, match="niet uit een hele gemeente"):
        save_gebied(beleid, gebied, Region.objects.filter(gemeente=groningen, soort="gemeente"))
    gebied_2023 = Gebied(gemeente=groningen, naam="Ander jaar", jaar=2023)
    with pytest.raises(ValidationError, match="komt uit de indeling van 2022"):
        save_gebied(beleid, gebied_2023, Region.objects.filter(gemeente=groningen,
                                                               code="BU00141000"))
    saved = save_gebied(beleid, gebied, Region.objects.filter(gemeente=groningen,
                                                              code__startswith="BU001401"))
    assert saved.regions.count() > 0


def test_gebied_form_page(client_for, groningen):
    client = client_for("groningen", "beleid")
    buurten = Region.objects.filter(gemeente=groningen, code__in=["BU00140000", "BU00140001"])
    response = client.post("/groningen/gebieden/nieuw/", {
        "naam": "Binnenstad", "jaar": 2022, "regions": [r.pk for r in buurten]})
    assert response.status_code == 302, response.content.decode()[:3000]
    gebied = Gebied.objects.get(gemeente=groningen, naam="Binnenstad")
    page = client.get(gebied.get_absolute_url()).content.decode()
    for region in buurten:
        assert region.naam in page
    response = client.post("/groningen/gebieden/nieuw/", {"naam": "Binnenstad", "jaar": 2022,
                                                          "regions": [buurten[0].pk]})
    assert "bestaat al" in response.content.decode()
