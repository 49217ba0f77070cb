"""A gebied's value follows its wijken and buurten: changing them rebuilds the rollup."""

import pytest

from monitor import selectors
from regions.models import Gebied, Region
from regions.services import save_gebied

pytestmark = pytest.mark.django_db


def test_changing_a_gebieds_buurten_recomputes_its_value(importeer, groningen, armoede, beleid):
    importeer("cbs_armoede_2022.csv")
    spt = Gebied.objects.get(gemeente=groningen, afkorting="SPT")
    [voor] = selectors.reeks(None, groningen, armoede, spt)
    assert (voor.teller, voor.noemer) == (230, 1490)

    # Tuinwijk (5/40) leaves the gebied: the value is Selwerd + Paddepoel only.
    zonder_tuinwijk = spt.regions.exclude(naam="Tuinwijk")
    save_gebied(beleid, spt, list(zonder_tuinwijk))
    [na] = selectors.reeks(None, groningen, armoede, spt)
    assert (na.teller, na.noemer) == (225, 1450)

    # From the other side of the relation too.
    Region.objects.get(gemeente=groningen, jaar=spt.jaar, naam="Tuinwijk").gebieden.add(spt)
    [terug] = selectors.reeks(None, groningen, armoede, spt)
    assert (terug.teller, terug.noemer) == (230, 1490)
