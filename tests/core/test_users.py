"""User and membership beheer in the app, by the beleidsmedewerker of the gemeente."""

from core.models import AuditEntry, Membership, User
from network.models import Organisatie


def test_beleid_creates_a_partner_and_adds_a_role(client_for, groningen):
    client = client_for("groningen", "beleid")
    org = Organisatie.objects.get(gemeente=groningen, naam="JGZ Groningen")
    new_user = {"username": "jgz-medewerker", "first_name": "Sanne", "last_name": "de Vries",
                "email": "s.devries@example.org", "role": "partner",
                "password": "een-lang-en-sterk-wachtwoord"}
    response = client.post("/groningen/gebruikers/nieuw/", new_user)
    assert "Kies de organisatie bij deze rol." in response.content.decode()
    assert not User.objects.filter(username="jgz-medewerker").exists(), "nothing half-written"

    response = client.post("/groningen/gebruikers/nieuw/", {**new_user, "organisatie": org.pk})
    assert response.status_code == 302
    user = User.objects.get(username="jgz-medewerker")
    assert user.check_password("een-lang-en-sterk-wachtwoord")
    membership = Membership.objects.get(user=user)
    assert (membership.gemeente, membership.organisatie) == (groningen, org)
    assert AuditEntry.objects.filter(content_type__model="membership",
                                     object_id=str(membership.pk)).exists()

    spt = groningen.gebieden.get(afkorting="SPT")
    response = client.post(f"/groningen/gebruikers/{user.pk}/lidmaatschap/nieuw/", {
        "role": "stuurgroeplid", "gebied": spt.pk})
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, gebied=spt, role="stuurgroeplid").exists()


def test_membership_form_rejects_inconsistent_scope(client_for, groningen):
    client = client_for("groningen", "beleid")
    user = User.objects.get(username="groningen-raad")
    response = client.post(f"/groningen/gebruikers/{user.pk}/lidmaatschap/nieuw/", {
        "role": "gebiedscoordinator"})
    assert response.status_code == 200
    assert "Kies het gebied bij deze rol." in response.content.decode()


def test_weak_password_and_duplicate_username_are_refused(client_for):
    client = client_for("groningen", "beleid")
    response = client.post("/groningen/gebruikers/nieuw/", {
        "username": "nieuw", "role": "raadslid", "password": "12345678"})
    assert "Dit wachtwoord is te algemeen." in response.content.decode()
    response = client.post("/groningen/gebruikers/nieuw/", {
        "username": "groningen-raad", "role": "raadslid",
        "password": "een-lang-en-sterk-wachtwoord"})
    assert response.status_code == 200
    assert not User.objects.filter(username="nieuw").exists()


def test_membership_revoked(client_for, groningen):
    client = client_for("groningen", "beleid")
    membership = Membership.objects.get(user__username="groningen-jury")
    response = client.post(f"/groningen/lidmaatschappen/{membership.pk}/verwijderen/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(content_type__model="membership", action="delete",
                                     object_id=str(membership.pk)).exists()


def test_login_is_rate_limited(db, client, monkeypatch):
    # django-ratelimit counts in fixed one-minute windows; on a slow machine the six posts could
    # straddle a window's end and start a fresh count. Hold its clock still for this test.
    import time
    from types import SimpleNamespace

    import django_ratelimit.core
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))
    for _ in range(5):
        response = client.post("/inloggen/", {"username": "groningen-beleid", "password": "fout"})
        assert response.status_code == 200
        assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()
    response = client.post("/inloggen/", {"username": "groningen-beleid", "password": "fout"})
    assert response.status_code == 429
    assert "Er zijn te veel pogingen gedaan" in response.content.decode()


def test_login_works(db, client):
    response = client.post("/inloggen/", {"username": "groningen-beleid",
                                          "password": "demo-opgroeien-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == "/groningen/"
    assert "Groningen: Positief Opgroeien" in response.content.decode()


def test_home_page_shows_gebieden_organisaties_and_stuurgroepen(client_for):
    html = client_for("groningen", "beleid").get("/groningen/").content.decode()
    for text in ["Selwerd, Paddepoel en Tuinwijk", "Beijum", "Lewenborg", "De Weijert",
                 "De Hoogte en Indische Buurt", "Bekenkampschool", "en nog ",
                 "Stuurgroep Positief Opgroeien SPT", "Gebruikers en rollen"]:
        assert text in html, text
    raad = client_for("groningen", "raad").get("/groningen/").content.decode()
    assert "Gebruikers en rollen" not in raad
