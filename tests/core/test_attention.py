""""Wat vraagt mijn aandacht" on the home page: each role sees what waits for them, most
urgent first, with a link and a deadline; the page's query count does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import attention
from core.imports import ImportGeweigerd, Probleem
from participation.models import Inzending
from tests.attention_data import fill
from tests.conftest import DEMO_ROLES

pytestmark = pytest.mark.django_db


def home(client):
    return client.get(reverse("core:gemeente", kwargs={"gemeente": "groningen"}))


def test_each_role_sees_what_waits_for_them(client_for, groningen):
    today = timezone.localdate()
    Inzending.objects.create(gemeente=groningen, soort="idee", onderwerp="Een skatebaan",
                             tekst="Graag.", deadline=today - datetime.timedelta(days=3))
    pages = {role: home(client_for("groningen", role)).content.decode() for role in DEMO_ROLES}
    for html in pages.values():
        assert "Wat vraagt uw aandacht" in html
    assert "Antwoord te laat: Een skatebaan" in pages["beleid"]
    assert "Antwoord te laat: Een skatebaan" in pages["raad"]
    assert "Een skatebaan" not in pages["partner"]
    assert "Besluiten op A-" in pages["beleid"]  # the demo has an aanvraag past its termijn
    assert "Voortgang rapporteren:" in pages["coordinator"]
    assert "Voortgang rapporteren:" in pages["partner"]
    assert "Verantwoording indienen:" in pages["partner"]
    assert "Besluiten op" not in pages["partner"]


def test_most_urgent_first(demo_user, groningen):
    fill(groningen, aanvragen=20, inzendingen=20)
    items = attention.items_for(demo_user("groningen", "beleid"), groningen)
    deadlines = [i.deadline or i.sinds or datetime.date.max for i in items]
    assert deadlines == sorted(deadlines) and len(items) > 4
    assert items[0].deadline < timezone.localdate()


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_query_count_does_not_grow_with_the_data(role, client_for, groningen,
                                                 django_assert_max_num_queries):
    """Measured at two data sizes, both past the cap of each list (so every "and N more"
    COUNT runs in both): the same number of queries, and a small one."""
    client = client_for("groningen", role)
    fill(groningen, aanvragen=60, activiteiten=30, inzendingen=60, importfouten=10)
    with CaptureQueriesContext(connection) as smaller:
        assert home(client).status_code == 200
    fill(groningen, aanvragen=240, activiteiten=120, inzendingen=240, importfouten=40)
    # The cap covers the attention list and every module card's summary (kaart, toets, ...).
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as larger:
        assert home(client).status_code == 200
    assert len(larger.captured_queries) == len(smaller.captured_queries), role


def test_refused_imports_wait_for_the_beleidsmedewerker_until_one_goes_in(
        client_for, groningen, tmp_path):
    """A refused import (here the CBS regions file, by command: nobody watched it) is recorded
    with its problems outside the import's rolled-back transaction, and shown to the
    beleidsmedewerker until an import of the same kind goes in."""
    from django.core.management import CommandError, call_command

    from core.models import ImportPoging

    bad = tmp_path / "regios.csv"
    bad.write_text("code,naam,jaar\nGM0014,Groningen,2023\nBU0014ABCD,Fout,2023\n")
    with pytest.raises(CommandError):
        call_command("import_regions", "--gemeente", "GM0014", str(bad))
    poging = ImportPoging.objects.get(gemeente=groningen, soort="regions.cbs", gelukt=False)
    assert not poging.gelukt and poging.door is None and poging.aantal_problemen == 1
    assert poging.problemen[0].startswith("Rij 3, kolom 'code': 'BU0014ABCD' is geen CBS-code")

    beleid = home(client_for("groningen", "beleid")).content.decode()
    assert "Import geweigerd: CBS-regio&#x27;s" in beleid
    assert "Rij 3, kolom &#x27;code&#x27;: &#x27;BU0014ABCD&#x27;" in beleid
    assert "Sinds " in beleid and "/groningen/regios/inlezen/" in beleid
    assert "Import geweigerd" not in home(client_for("groningen", "coordinator")).content.decode()

    good = tmp_path / "goed.csv"
    good.write_text("code,naam,jaar\nGM0014,Groningen,2023\n")
    call_command("import_regions", "--gemeente", "GM0014", str(good), stdout=open("/dev/null", "w"))
    assert ImportPoging.objects.filter(soort="regions.cbs", gelukt=True,
                                       tijdstip__gt=poging.tijdstip).count() == 1
    assert "Import geweigerd" not in home(client_for("groningen", "beleid")).content.decode()


def test_a_success_settles_only_a_failure_about_the_same_thing(demo_user, groningen):
    from django.core.exceptions import PermissionDenied, ValidationError

    from core import imports
    from core.models import ImportPoging

    @imports.vastgelegd("test.versie", "Testimport", lambda versie, fout=None: imports.Poging(
        groningen, None, f"{versie}.csv", onderwerp=versie, url="/groningen/"))
    def importeer(versie, fout=None):
        if fout:
            raise fout

    for versie, fout in [("a", ImportGeweigerd([Probleem(2, "", "fout")])), ("b", None)]:
        try:
            importeer(versie, fout)
        except ImportGeweigerd:
            pass
    with pytest.raises(PermissionDenied):  # not an import run: nothing recorded
        importeer("c", PermissionDenied())
    with pytest.raises(ValidationError):
        importeer("d", ValidationError("Deze versie is geen concept meer."))
    assert ImportPoging.objects.filter(soort="test.versie").count() == 3
    titles = [i.title for i in attention.items_for(demo_user("groningen", "beleid"), groningen)]
    assert "Import geweigerd: Testimport (a.csv)" in titles
    assert "Import geweigerd: Testimport (d.csv)" in titles
    importeer("b")  # another thing went in: a.csv still waits
    importeer("a")
    titles = [i.title for i in attention.items_for(demo_user("groningen", "beleid"), groningen)]
    assert "Import geweigerd: Testimport (a.csv)" not in titles
    assert "Import geweigerd: Testimport (d.csv)" in titles
