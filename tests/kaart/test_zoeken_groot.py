"""The combined search over a generated kaart of 1,500 aanbod: every filter at once (text,
age, wijk, levensdomein, doel) returns exactly the rows that meet all of them. Not timed
(bench/bench_kaart.py measures); this guards the query shape: it once nested `pk__in`
subqueries around the full-text match and did not finish on SQLite at this size."""

import pytest

from kaart import selectors
from kaart.models import Levensdomein
from kaart.selectors import Zoekvraag
from regions.models import Region
from tests.kaart.bulk import vul


@pytest.fixture
def kaart(groningen):
    return vul(groningen, aanbod=1500, organisaties=60)


def _domein_id(code):
    return Levensdomein.objects.get(code=code).pk


def _pks(groningen, vraag):
    return set(selectors.zoek(selectors.publiek_aanbod(groningen), groningen, vraag)
               .values_list("pk", flat=True))


@pytest.mark.django_db
def test_combined_search_over_1500_aanbod(groningen, kaart):
    rij = kaart.rijen[0]
    wijk = Region.objects.get(pk=rij.buurt_id).parent
    buurten = set(selectors.regio_buurt_ids(wijk))
    verwacht = kaart.verwacht(activiteit=rij.activiteit, leeftijd_maanden=rij.leeftijd[0],
                              buurt_ids=buurten, domein=rij.domein)
    assert rij.pk in verwacht and len(verwacht) < 100
    woord = rij.activiteit.lower()
    vraag = Zoekvraag(tekst=woord, leeftijd_maanden=rij.leeftijd[0], buurten=sorted(buurten),
                      levensdomein_id=_domein_id(rij.domein))
    gevonden = _pks(groningen, vraag)
    # The demo's own aanbod may match too; of the generated rows exactly the expected ones.
    generated = {r.pk for r in kaart.rijen}
    assert gevonden & generated == verwacht
    # Every row once, however many links matched.
    qs = selectors.zoek(selectors.publiek_aanbod(groningen), groningen, vraag)
    assert qs.count() == len(gevonden)

    # With the doel as well, and with "free": fewer rows, still exact.
    vraag = Zoekvraag(tekst=woord, leeftijd_maanden=rij.leeftijd[0], buurten=sorted(buurten),
                      levensdomein_id=_domein_id(rij.domein), doel_id=rij.doel_id)
    assert _pks(groningen, vraag) & generated == kaart.verwacht(
        activiteit=rij.activiteit, leeftijd_maanden=rij.leeftijd[0], buurt_ids=buurten,
        domein=rij.domein, doel_id=rij.doel_id)


@pytest.mark.django_db
def test_filters_without_text_over_1500_aanbod(groningen, kaart):
    rij = kaart.rijen[1]
    buurt = Region.objects.get(pk=rij.buurt_id)
    vraag = Zoekvraag(buurten=[buurt.pk], levensdomein_id=_domein_id(rij.domein),
                      doel_id=rij.doel_id)
    generated = {r.pk for r in kaart.rijen}
    assert _pks(groningen, vraag) & generated == kaart.verwacht(
        buurt_ids={buurt.pk}, domein=rij.domein, doel_id=rij.doel_id)
