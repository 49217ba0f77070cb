"""The search page's own reads (issue 16's speed work): no COUNT when the page is the last,
the result cards, the filter selects, and the search index kept in step by the database on
every kind of write (save, update(), bulk_create, delete)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaart import selectors, services, zoeken
from kaart.models import Aanbod, Levensdomein
from kaart.selectors import EenQueryPaginator, Zoekvraag
from regions.models import Region
from tests.kaart.bulk import vul
from tests.kaart.helpers import aanbod, buurt, locatie, organisatie_van

ZOEKEN = "/groningen/sociale-kaart/"


def _zoek(groningen, **vraag):
    return selectors.zoek(selectors.publiek_aanbod(groningen), groningen, Zoekvraag(**vraag))


@pytest.mark.django_db
def test_one_query_paginator_agrees_with_django(groningen):
    vul(groningen, aanbod=45, organisaties=3)
    qs = _zoek(groningen, tekst="zwemles")
    totaal = qs.count()
    assert totaal > 5
    for per_page in (2, 5, totaal, totaal + 3):
        gewoon = Paginator(qs, per_page)
        for nummer in range(1, gewoon.num_pages + 1):
            snel = EenQueryPaginator(qs, per_page)
            with CaptureQueriesContext(connection) as queries:
                pagina = snel.page(nummer)
                rows = list(pagina.object_list)
            # The last page needs no COUNT: one query; before it, the page and the count.
            assert len(queries) == (1 if nummer == gewoon.num_pages else 2)
            assert snel.count == totaal and snel.num_pages == gewoon.num_pages
            assert [a.pk for a in rows] == [a.pk for a in gewoon.page(nummer).object_list]
            assert pagina.has_next() == gewoon.page(nummer).has_next()
    # Past the end: the COUNT decides, as with Django's paginator.
    with pytest.raises(EmptyPage):
        EenQueryPaginator(qs, 5).page(999)
    with pytest.raises(EmptyPage):
        EenQueryPaginator(qs, totaal).page(2)
    leeg = EenQueryPaginator(qs.none(), 5)
    assert list(leeg.page(1).object_list) == [] and leeg.count == 0
    with pytest.raises(PageNotAnInteger):  # as Django's ("last" is the view's business)
        EenQueryPaginator(qs, 5).page("last")


@pytest.mark.django_db
def test_search_page_counts_pages_and_404s_past_the_end(client, groningen):
    vul(groningen, aanbod=45, organisaties=3)
    totaal = _zoek(groningen, tekst="kookcursus").count()
    html = client.get(ZOEKEN, {"q": "kookcursus"}).content.decode()
    assert f"{totaal} resultaten" in html
    if totaal > 20:
        assert f"Pagina 1 van {-(-totaal // 20)}" in html
    assert client.get(ZOEKEN, {"q": "kookcursus", "page": "999"}).status_code == 404
    assert client.get(ZOEKEN, {"q": "kookcursus", "page": "last"}).status_code == 200


@pytest.mark.django_db
def test_result_card_shows_open_reports_once_per_aanbod(client, groningen):
    a = aanbod(groningen, "Kookclub", locaties=[locatie(groningen, buurt_obj=buurt(groningen))])
    services.meld_fout(a, tekst="De tijden kloppen niet.")
    services.meld_fout(a, tekst="Het adres is anders.")
    html = client.get(ZOEKEN, {"q": "kookclub"}).content.decode()
    assert "1 resultaat" in html  # two reports, still one row
    assert "2 open meldingen" in html
    assert "kaart-versheid--controle_nodig" in html  # an open report lowers the tier
    assert "Plutolaan 1" in html and buurt(groningen).naam in html


@pytest.mark.django_db
def test_filter_selects_keep_the_choice_and_escape(client, groningen):
    b = buurt(groningen)
    b.naam = "Oost & <West>"
    b.save()
    html = client.get(ZOEKEN, {"regio": b.parent_id, "domein": "sport"}).content.decode()
    assert f'<option value="{b.parent_id}" selected>' in html
    assert f'<option value="{b.pk}">– Oost &amp; &lt;West&gt;</option>' in html
    assert '<option value="sport" selected>' in html
    assert '<option value="">Alle wijken</option>' in html
    assert 'name="regio" id="id_regio"' in html


def _gevonden(groningen, woord):
    return set(_zoek(groningen, tekst=woord).values_list("pk", flat=True))


@pytest.mark.django_db
def test_index_follows_every_kind_of_write(groningen):
    """The full-text index is the database's own (PostgreSQL: a generated tsvector column;
    SQLite: FTS5 triggers), so it follows writes that bypass the services too."""
    a = aanbod(groningen, "Kookclub")
    assert _gevonden(groningen, "kookclub") == {a.pk}
    # A queryset update (as a bulk import does).
    Aanbod.objects.filter(pk=a.pk).update(zoektekst=" ".join(zoeken.index_termen("Bakclub")))
    assert _gevonden(groningen, "kookclub") == set()
    assert _gevonden(groningen, "bakclub") == {a.pk}
    # bulk_create, without save() or a service.
    nieuw = Aanbod.objects.bulk_create([Aanbod(
        gemeente=groningen, organisatie=organisatie_van(groningen), naam="Schaakclub",
        korte_beschrijving="Schaken.", gecontroleerd_op=a.gecontroleerd_op,
        aangemaakt_op=a.aangemaakt_op, controle_voor=a.controle_voor,
        zoektekst=" ".join(zoeken.index_termen("Schaakclub")))])[0]
    pk = nieuw.pk or Aanbod.objects.get(naam="Schaakclub").pk
    assert _gevonden(groningen, "schaakclub") == {pk}
    # Delete (never done by the kaart itself, but the index must not keep the row).
    Aanbod.objects.filter(pk=pk).delete()
    assert _gevonden(groningen, "schaakclub") == set()
    # The service path still indexes from the texts.
    a.refresh_from_db()
    a.naam = "Tekenclub"
    services.save_aanbod(None, a, check_permission=False)
    assert _gevonden(groningen, "tekenclub") == {a.pk}
    assert _gevonden(groningen, "bakclub") == set()


@pytest.mark.django_db
def test_levensdomein_filter_by_code(client, groningen):
    """The onderwerp is chosen by its code in the URL; a code that is not in the list is
    refused like any unknown choice (the page then searches without filters)."""
    a = aanbod(groningen, "Kookclub", domeinen=["gezondheid"])
    gevonden = client.get(ZOEKEN, {"q": "kookclub", "domein": "gezondheid"}).content.decode()
    assert a.get_public_url() in gevonden
    anders = client.get(ZOEKEN, {"q": "kookclub", "domein": "sport"}).content.decode()
    assert a.get_public_url() not in anders and "0 resultaten" in anders
    onbekend = client.get(ZOEKEN, {"q": "kookclub", "domein": "bestaat-niet"})
    assert onbekend.status_code == 200
    assert 'value="bestaat-niet"' not in onbekend.content.decode()


def _opties(html, naam):
    start = html.index(f'<select name="{naam}"')
    return html[start:html.index("</select>", start)]


@pytest.mark.django_db
def test_filter_choices_are_read_once_and_follow_changes(client, groningen):
    """The selects' choice lists are cached per gemeente (selectors.zoekkeuzes): a second
    page reads none of them, and a changed or new region, doel, Klaverblad or levensdomein
    shows on the next page."""
    from framework.models import Doel, Kader
    from framework.selectors import huidig_klaverblad

    client.get(ZOEKEN)
    wijk = buurt(groningen).parent
    eerste_doel = huidig_klaverblad(groningen).doelen.order_by("nummer").first()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(ZOEKEN, {"q": "kookclub", "regio": wijk.pk, "domein": "sport",
                                   "doel": eerste_doel.pk}).content.decode()
    assert f'<option value="{wijk.pk}" selected>' in html
    assert f'<option value="{eerste_doel.pk}" selected>' in html
    # Choosing a wijk, an onderwerp and a doel reads none of them either.
    sql = " ".join(q["sql"] for q in queries)
    for tabel in ("regions_region", "framework_doel", "framework_kader",
                  "kaart_levensdomein"):
        assert f'FROM "{tabel}"' not in sql

    b = buurt(groningen)
    b.naam = "Nieuwe Naam"
    b.save()
    assert f'<option value="{b.pk}">– Nieuwe Naam</option>' in _opties(
        client.get(ZOEKEN).content.decode(), "regio")
    wijk = b.parent
    nieuw = Region.objects.create(gemeente=groningen, jaar=wijk.jaar, soort=Region.Soort.BUURT,
                                  code="BUTEST1", naam="Vers Buurtje", parent=wijk)
    assert "– Vers Buurtje" in _opties(client.get(ZOEKEN).content.decode(), "regio")
    # The wijk filter finds aanbod in the new buurt (the cached wijk -> buurten list).
    a = aanbod(groningen, "Kookclub", locaties=[locatie(groningen, buurt_obj=nieuw)])
    html = client.get(ZOEKEN, {"q": "kookclub", "regio": wijk.pk}).content.decode()
    assert "1 resultaat" in html and a.get_public_url() in html
    klaverblad = huidig_klaverblad(groningen)
    doel = Doel.objects.create(gemeente=groningen, kader=klaverblad, nummer=99,
                               tekst="Kinderen spelen veilig buiten")
    assert f'<option value="{doel.pk}">99. Kinderen spelen veilig buiten</option>' in _opties(
        client.get(ZOEKEN).content.decode(), "doel")
    doel.delete()
    assert f'value="{doel.pk}"' not in _opties(client.get(ZOEKEN).content.decode(), "doel")
    # A new Klaverblad, valid from today: its doelen replace the old one's.
    nieuw_blad = Kader.objects.create(gemeente=groningen, soort=Kader.Soort.KLAVERBLAD,
                                      naam="Klaverblad 2030", geldig_van=datetime.date.today())
    Doel.objects.create(gemeente=groningen, kader=nieuw_blad, nummer=1, tekst="Alles groeit")
    opties = _opties(client.get(ZOEKEN).content.decode(), "doel")
    assert ">1. Alles groeit</option>" in opties
    assert not any(f'value="{d.pk}"' in opties for d in klaverblad.doelen.all())
    domein = Levensdomein.objects.create(code="kunst", naam="Kunst en cultuur", volgorde=99)
    assert '<option value="kunst">Kunst en cultuur</option>' in _opties(
        client.get(ZOEKEN).content.decode(), "domein")
    domein.naam = "Kunst"
    domein.save()
    assert '<option value="kunst">Kunst</option>' in _opties(
        client.get(ZOEKEN).content.decode(), "domein")


@pytest.mark.django_db
def test_filter_choices_dropped_again_after_the_commit(client, groningen,
                                                       django_capture_on_commit_callbacks):
    """A page read between the save and its commit may cache the old rows again; the commit
    drops them once more."""
    b = buurt(groningen)
    with django_capture_on_commit_callbacks() as callbacks:
        b.naam = "Na De Commit"
        b.save()
        # A page read before the commit put the old lists back.
        cache.set(selectors._zoekkeuzes_key(groningen.pk), selectors.Zoekkeuzes(
            jaar=None, regios=[], wijk_buurten={}, klaverblad_id=None, doelen=[]))
    assert "Na De Commit" not in _opties(client.get(ZOEKEN).content.decode(), "regio")
    for callback in callbacks:
        callback()
    assert "– Na De Commit" in _opties(client.get(ZOEKEN).content.decode(), "regio")


@pytest.mark.django_db
def test_public_pages_cache_the_gemeente_and_follow_its_settings(client, groningen):
    """The public pages read the gemeente and its KaartInstelling from the cache
    (selectors.publieke_kaart); a changed setting shows on the next page, and an unknown
    gemeente is a 404 that leaves nothing in the cache."""
    import datetime as dt

    from kaart.models import KaartInstelling

    oud = dt.date.today() - dt.timedelta(days=400)
    a = aanbod(groningen, "Kookclub")
    Aanbod.objects.filter(pk=a.pk).update(gecontroleerd_op=oud, aangemaakt_op=oud)
    client.get(ZOEKEN)
    with CaptureQueriesContext(connection) as queries:
        assert a.get_public_url() in client.get(ZOEKEN, {"q": "kookclub"}).content.decode()
    sql = " ".join(q["sql"] for q in queries)
    assert 'FROM "core_gemeente"' not in sql and 'FROM "kaart_kaartinstelling"' not in sql

    instelling = KaartInstelling.voor(groningen)
    instelling.verouderd_maanden = 12  # 400 days unchecked: now off the public kaart
    instelling.save()
    assert a.get_public_url() not in client.get(ZOEKEN, {"q": "kookclub"}).content.decode()
    assert client.get(a.get_public_url()).status_code == 404

    assert client.get("/bestaat-niet/sociale-kaart/").status_code == 404
    assert cache.get(selectors._publiek_key("bestaat-niet")) is None


@pytest.mark.django_db
def test_result_cards_read_no_rows_of_their_own(client, groningen):
    """The cards read only what met_kaartje fetched: twenty cards cost as many queries as
    one (no deferred column or relation read per card)."""
    rij = vul(groningen, aanbod=60, organisaties=4).rijen[0]
    client.get(ZOEKEN)

    def queries_for(params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(ZOEKEN, params).content.decode()
        return len(queries), html.count('class="kaart-kaartje"')

    veel, kaartjes = queries_for({"leeftijd": 8})
    assert kaartjes == 20
    weinig, een = queries_for({"q": rij.activiteit, "regio": rij.buurt_id})
    assert 1 <= een < 20
    # The text search checks its term once for typos; the many-card page counts its pages.
    assert veel <= 4 and weinig <= 4, (veel, weinig)
