"""The pages on which a beleidsmedewerker keeps the monitor's targets: add one on the indicator
page (for the hele gemeente or one gebied), change it, delete it; Dutch errors for every wrong
input; other gemeenten 404, read-only members 403; every write audited."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import AuditEntry
from core.periods import JAAR, Periode
from monitor import services
from monitor.forms import getal_invoer, parse_getal
from monitor.models import Indicator, MonitorInstelling, Streefwaarde
from plans import services as plans_services
from plans.models import Wijkplan
from regions.models import Gebied, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def spt(groningen):
    return Gebied.objects.get(gemeente=groningen, afkorting="SPT")


@pytest.fixture
def thuiszitters(groningen):
    return Indicator.objects.get(gemeente=groningen, code="thuiszitters")


def add_url(indicator, slug=None):
    return reverse("monitor:streefwaarde-add", kwargs={
        "gemeente": slug or indicator.gemeente.slug, "indicator_pk": indicator.pk})


def url(name, streefwaarde, slug=None):
    return reverse(f"monitor:streefwaarde-{name}", kwargs={
        "gemeente": slug or streefwaarde.gemeente.slug, "pk": streefwaarde.pk})


def audit(streefwaarde, action):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Streefwaarde),
        object_id=str(streefwaarde.pk), action=action)


def doel(indicator, *, gebied=None, jaar=2026, waarde=12.0, actor=None):
    region = None if gebied else Region.objects.filter(
        gemeente=indicator.gemeente, code=indicator.gemeente.cbs_code).order_by("-jaar").first()
    return services.save_streefwaarde(actor, Streefwaarde(
        gemeente=indicator.gemeente, indicator=indicator, gebied=gebied, region=region,
        periode=Periode(JAAR, jaar), waarde=waarde), check_permission=False)


def fouten(response):
    """{field: [messages]} of the form on a re-rendered page."""
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    assert form.errors, "expected form errors"
    return form.errors


# --- creating, changing, deleting -------------------------------------------------------------

def test_indicator_page_offers_adding_to_the_beleidsmedewerker_only(client_for, armoede):
    doel(armoede)
    detail = armoede.get_absolute_url()
    html = client_for("groningen", "beleid").get(detail).content.decode()
    assert add_url(armoede) in html and "Streefwaarde toevoegen" in html
    s = Streefwaarde.objects.get(indicator=armoede)
    assert url("edit", s) in html and url("delete", s) in html
    for role in ("partner", "raad", "coordinator"):
        html = client_for("groningen", role).get(detail).content.decode()
        assert "Streefwaarden" in html  # the target is listed for every member
        assert add_url(armoede) not in html and "Streefwaarde toevoegen" not in html
        assert url("edit", s) not in html and url("delete", s) not in html


def test_public_monitor_shows_targets_without_links(client, groningen, armoede):
    doel(armoede)
    MonitorInstelling.objects.update_or_create(gemeente=groningen, defaults={"publiek": True})
    html = client.get(armoede.get_absolute_url()).content.decode()
    assert "Streefwaarden" in html
    assert "Streefwaarde toevoegen" not in html and "/wijzigen/" not in html


def test_create_for_a_gebied(client_for, beleid, armoede, spt):
    client = client_for("groningen", "beleid")
    page = client.get(add_url(armoede)).content.decode()
    assert "Hele gemeente" in page and spt.naam in page
    assert "periodes van het soort jaar" in page
    response = client.post(add_url(armoede), {"gebied": spt.pk, "periode": "2026",
                                              "waarde": "12,5", "toelichting": "Wijkplan SPT"})
    s = Streefwaarde.objects.get(indicator=armoede, gebied=spt)
    assert response.status_code == 302
    assert response["Location"] == f"{armoede.get_absolute_url()}#streefwaarde-{s.pk}"
    assert (s.region, s.periode, s.waarde, s.toelichting, s.gemeente) == (
        None, Periode(JAAR, 2026), 12.5, "Wijkplan SPT", armoede.gemeente)
    entry = audit(s, AuditEntry.Action.CREATE).get()
    assert entry.actor == beleid and entry.after["waarde"] == 12.5
    html = client.get(armoede.get_absolute_url()).content.decode()
    assert f'id="streefwaarde-{s.pk}"' in html and "12,5%" in html


def test_create_for_the_hele_gemeente(client_for, groningen, thuiszitters):
    response = client_for("groningen", "beleid").post(
        add_url(thuiszitters), {"gebied": "", "periode": " 2027 ", "waarde": "1.250"})
    assert response.status_code == 302
    s = Streefwaarde.objects.get(indicator=thuiszitters)
    newest = Region.objects.filter(gemeente=groningen, soort="gemeente",
                                   code="GM0014").order_by("-jaar").first()
    assert (s.gebied, s.region, s.periode, s.waarde) == (None, newest, Periode(JAAR, 2027),
                                                         1250.0)
    assert audit(s, AuditEntry.Action.CREATE).count() == 1


def test_edit(client_for, beleid, armoede, spt):
    s = doel(armoede, gebied=spt, waarde=12.5)
    client = client_for("groningen", "beleid")
    page = client.get(url("edit", s)).content.decode()
    assert 'value="12,5"' in page and 'value="2026"' in page
    assert f'<option value="{spt.pk}" selected>' in page
    response = client.post(url("edit", s), {"gebied": "", "periode": "2028", "waarde": "10",
                                            "toelichting": "Voor de hele stad"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.gebied, s.region.code, s.periode, s.waarde) == (
        None, "GM0014", Periode(JAAR, 2028), 10.0)
    entry = audit(s, AuditEntry.Action.UPDATE).get()
    assert entry.actor == beleid
    assert (entry.before["waarde"], entry.after["waarde"]) == (12.5, 10.0)


def test_edit_keeps_the_region_of_a_target_for_the_hele_gemeente(client_for, groningen,
                                                                 armoede):
    s = doel(armoede)
    region = s.region
    client_for("groningen", "beleid").post(url("edit", s), {"gebied": "", "periode": "2026",
                                                            "waarde": "9,5"})
    s.refresh_from_db()
    assert (s.region, s.waarde) == (region, 9.5)


def test_delete(client_for, beleid, armoede, spt):
    s = doel(armoede, gebied=spt)
    client = client_for("groningen", "beleid")
    page = client.get(url("delete", s)).content.decode()
    assert "Streefwaarde verwijderen" in page and spt.naam in page
    response = client.post(url("delete", s), follow=True)
    assert response.redirect_chain[0][0] == f"{armoede.get_absolute_url()}#streefwaarden"
    assert not Streefwaarde.objects.filter(pk=s.pk).exists()
    assert audit(s, AuditEntry.Action.DELETE).get().actor == beleid
    assert "is verwijderd" in response.content.decode()


def test_a_target_an_activiteit_works_on_cannot_be_deleted(client_for, groningen, armoede, spt,
                                                           demo_user):
    s = doel(armoede, gebied=spt)
    plan = Wijkplan.objects.get(gemeente=groningen, gebied=spt)
    concept = plans_services.bijstellen(demo_user("groningen", "coordinator"),
                                        plan.versies.get(status="vastgesteld"), jaar=2022)
    act = concept.activiteiten.get(naam="Pleintjesaanpak")
    plans_services.save_activiteit(demo_user("groningen", "coordinator"), act,
                                   revisie=concept.revisie, m2m={"streefwaarden": [s]})
    client = client_for("groningen", "beleid")
    page = client.get(url("delete", s)).content.decode()
    assert "Aan deze streefwaarde wordt gewerkt" in page and "Pleintjesaanpak" in page
    response = client.post(url("delete", s), follow=True)
    assert response.redirect_chain[0][0] == f"{armoede.get_absolute_url()}#streefwaarde-{s.pk}"
    assert "kan niet verwijderd worden" in response.content.decode()
    assert Streefwaarde.objects.filter(pk=s.pk).exists()
    assert not audit(s, AuditEntry.Action.DELETE).exists()


# --- errors -------------------------------------------------------------------------------------

def post_new(client_for, indicator, **data):
    before = Streefwaarde.objects.count()
    audits = AuditEntry.objects.count()
    response = client_for("groningen", "beleid").post(
        add_url(indicator), {"gebied": "", "periode": "2026", "waarde": "12", **data})
    assert Streefwaarde.objects.count() == before, "nothing may be saved"
    assert AuditEntry.objects.count() == audits
    return fouten(response), response.content.decode()


def test_duplicate_for_a_gebied(client_for, armoede, spt):
    doel(armoede, gebied=spt, jaar=2026)
    errors, html = post_new(client_for, armoede, gebied=spt.pk)
    assert errors["periode"] == [
        f"Voor {spt.naam} is er al een streefwaarde voor 2026. Wijzig die streefwaarde in "
        "plaats van een nieuwe toe te voegen."]
    assert "Controleer wat u invulde" in html


def test_duplicate_for_the_hele_gemeente_also_across_indeling_years(client_for, groningen,
                                                                    armoede):
    regions = list(Region.objects.filter(gemeente=groningen, soort="gemeente",
                                         code="GM0014").order_by("jaar"))
    old = Region.objects.create(gemeente=groningen, soort="gemeente", code="GM0014",
                                naam="Groningen", jaar=regions[0].jaar - 1)
    services.save_streefwaarde(None, Streefwaarde(
        gemeente=groningen, indicator=armoede, region=old, periode=Periode(JAAR, 2026),
        waarde=11), check_permission=False)
    errors, _html = post_new(client_for, armoede)
    assert errors["periode"] == [
        "Voor de hele gemeente is er al een streefwaarde voor 2026. Wijzig die streefwaarde "
        "in plaats van een nieuwe toe te voegen."]


def test_same_gebied_other_periode_or_other_indicator_is_no_duplicate(client_for, armoede,
                                                                      thuiszitters, spt):
    doel(armoede, gebied=spt, jaar=2026)
    client = client_for("groningen", "beleid")
    assert client.post(add_url(armoede), {"gebied": spt.pk, "periode": "2027",
                                          "waarde": "12"}).status_code == 302
    assert client.post(add_url(thuiszitters), {"gebied": spt.pk, "periode": "2026",
                                               "waarde": "12"}).status_code == 302


def test_editing_a_target_is_no_duplicate_of_itself(client_for, armoede, spt):
    s = doel(armoede, gebied=spt)
    response = client_for("groningen", "beleid").post(
        url("edit", s), {"gebied": spt.pk, "periode": "2026", "waarde": "11"})
    assert response.status_code == 302


@pytest.mark.parametrize("periode, message", [
    ("2026-K1", "Deze indicator gebruikt periodes van het soort jaar."),
    ("2026/2027", "Deze indicator gebruikt periodes van het soort jaar."),
    ("volgend jaar", "'volgend jaar' is geen periode (bijvoorbeeld 2021, 2021-K2, 2021-03 of "
                     "2021/2022)."),
    ("", "Vul de periode in."),
])
def test_periode_of_the_wrong_type_or_no_periode(client_for, armoede, periode, message):
    errors, _html = post_new(client_for, armoede, periode=periode)
    assert errors["periode"] == [message]


def test_gebied_of_another_gemeente_is_never_offered_and_a_forged_one_is_refused(
        client_for, assen, armoede):
    vreemd = Gebied.objects.filter(gemeente=assen).first()
    page = client_for("groningen", "beleid").get(add_url(armoede)).content.decode()
    assert vreemd.naam not in page and f'value="{vreemd.pk}"' not in page
    errors, _html = post_new(client_for, armoede, gebied=vreemd.pk)
    assert errors["gebied"] == ["Kies de hele gemeente of een gebied van deze gemeente."]


@pytest.mark.parametrize("waarde, message", [
    ("twaalf", "Vul een getal in, bijvoorbeeld 12,5 of 1.250."),
    ("12,5,5", "Vul een getal in, bijvoorbeeld 12,5 of 1.250."),
    ("", "Vul de streefwaarde in."),
    ("100,5", "Een percentage ligt tussen 0 en 100."),
    ("-1", "Een percentage ligt tussen 0 en 100."),
])
def test_waarde_not_a_number_or_percentage_outside_0_100(client_for, armoede, waarde,
                                                         message):
    errors, _html = post_new(client_for, armoede, waarde=waarde)
    assert errors["waarde"] == [message]


def test_percentage_bounds_are_allowed(client_for, armoede, spt):
    client = client_for("groningen", "beleid")
    for jaar, waarde in ((2026, "0"), (2027, "100"), (2028, "100,0%")):
        assert client.post(add_url(armoede), {"gebied": spt.pk, "periode": str(jaar),
                                              "waarde": waarde}).status_code == 302


def test_a_count_cannot_be_negative(client_for, thuiszitters):
    errors, _html = post_new(client_for, thuiszitters, waarde="-5")
    assert errors["waarde"] == ["Deze streefwaarde kan niet negatief zijn."]


def test_the_same_rules_hold_for_the_service(beleid, armoede, spt):
    doel(armoede, gebied=spt)
    with pytest.raises(ValidationError) as exc:
        services.save_streefwaarde(beleid, Streefwaarde(
            gemeente=armoede.gemeente, indicator=armoede, gebied=spt,
            periode=Periode(JAAR, 2026), waarde=120))
    assert set(exc.value.message_dict) == {"periode", "waarde"}


@pytest.mark.parametrize("tekst, getal", [
    ("12,5", 12.5), ("12.5", 12.5), ("1.250", 1250.0), ("1.250,75", 1250.75),
    ("0.125", 0.125), (" 7 ", 7.0), ("-3,5", -3.5), ("−2", -2.0), ("12,5 %", 12.5),
    ("1 250", 1250.0),
])
def test_parse_getal_reads_dutch_numbers(tekst, getal):
    assert parse_getal(tekst) == getal


@pytest.mark.parametrize("tekst", ["", "twaalf", "1,2,3", "1.23.4", "--3", "12,", ",5", "1e3"])
def test_parse_getal_refuses_what_is_no_number(tekst):
    with pytest.raises(ValidationError):
        parse_getal(tekst)


def test_getal_invoer():
    assert [getal_invoer(v) for v in (12.5, 1250.0, 0.125, 85.0)] == [
        "12,5", "1250", "0,125", "85"]


# --- who may --------------------------------------------------------------------------------

def test_another_gemeente_gets_404(client_for, armoede, spt, assen):
    s = doel(armoede, gebied=spt)
    for role in ("beleid", "raad"):
        client = client_for("assen", role)
        for target in (add_url(armoede), url("edit", s), url("delete", s),
                       add_url(armoede, "assen"), url("edit", s, "assen"),
                       url("delete", s, "assen")):
            assert client.get(target).status_code == 404, (role, target)
    client = client_for("assen", "beleid")
    assert client.post(url("edit", s, "assen"), {"gebied": "", "periode": "2026",
                                                 "waarde": "1"}).status_code == 404
    assert client.post(url("delete", s, "assen")).status_code == 404
    assert client.post(add_url(armoede, "assen"), {"gebied": "", "periode": "2030",
                                                   "waarde": "1"}).status_code == 404
    assert Streefwaarde.objects.filter(pk=s.pk, waarde=12.0).exists()
    assert not Streefwaarde.objects.filter(periode=Periode(JAAR, 2030)).exists()


@pytest.mark.parametrize("role", ["partner", "raad", "coordinator", "stuurgroep", "jury"])
def test_read_only_members_get_403(client_for, armoede, spt, role):
    s = doel(armoede, gebied=spt)
    client = client_for("groningen", role)
    data = {"gebied": "", "periode": "2030", "waarde": "1"}
    for target in (add_url(armoede), url("edit", s), url("delete", s)):
        assert client.get(target).status_code == 403, target
        assert client.post(target, data).status_code == 403, target
    assert Streefwaarde.objects.filter(pk=s.pk, waarde=12.0, gebied=spt).exists()
    assert not Streefwaarde.objects.filter(periode=Periode(JAAR, 2030)).exists()


def test_anonymous_is_sent_to_login(client, armoede):
    response = client.get(add_url(armoede))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
