"""The one permission policy: roles, scopes (gemeente, gebied, organisatie) and tenants."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import policy, services
from core.models import Membership, Role
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol
from regions.models import Gebied


@pytest.fixture
def lewenborg_stuurgroep(groningen):
    gebied = Gebied.objects.get(gemeente=groningen, naam="Lewenborg")
    return Stuurgroep.objects.create(gemeente=groningen, gebied=gebied, naam="Stuurgroep Lewenborg")


def test_coordinator_edits_only_their_gebied(groningen, demo_user, lewenborg_stuurgroep):
    coordinator = demo_user("groningen", "coordinator")
    spt = Stuurgroep.objects.get(gemeente=groningen, gebied__afkorting="SPT")
    assert policy.can(coordinator, policy.CHANGE, spt)
    assert not policy.can(coordinator, policy.CHANGE, lewenborg_stuurgroep)
    assert policy.can(coordinator, policy.VIEW, lewenborg_stuurgroep)
    lewenborg_stuurgroep.naam = "Gekaapt"
    with pytest.raises(PermissionDenied):
        services.save_object(coordinator, lewenborg_stuurgroep)


def test_coordinator_cannot_move_an_object_out_of_scope(groningen, demo_user,
                                                         lewenborg_stuurgroep):
    coordinator = demo_user("groningen", "coordinator")
    rol = StuurgroepRol.objects.filter(stuurgroep__gebied__afkorting="SPT").first()
    rol.stuurgroep = lewenborg_stuurgroep
    with pytest.raises(PermissionDenied):
        services.save_object(coordinator, rol)


def test_partner_edits_only_their_organisation(groningen, demo_user):
    partner = demo_user("groningen", "partner")
    own = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    other = Organisatie.objects.get(gemeente=groningen, naam="Pendinghe")
    assert policy.can(partner, policy.CHANGE, own)
    assert not policy.can(partner, policy.CHANGE, other)
    assert not policy.can(partner, policy.DELETE, own)
    assert policy.can(partner, policy.ADD, Persoon(gemeente=groningen, organisatie=own))
    assert not policy.can(partner, policy.ADD, Persoon(gemeente=groningen, organisatie=other))
    assert not policy.can(partner, policy.ADD, Organisatie(gemeente=groningen))


@pytest.mark.parametrize("role", ["raad", "jury", "stuurgroep"])
def test_read_only_roles(groningen, demo_user, role):
    user = demo_user("groningen", role)
    for obj in [Organisatie.objects.filter(gemeente=groningen).first(),
                Gebied.objects.filter(gemeente=groningen).first(),
                Stuurgroep.objects.filter(gemeente=groningen).first()]:
        assert policy.can(user, policy.VIEW, obj)
        assert not policy.can(user, policy.CHANGE, obj)
        assert not policy.can(user, policy.DELETE, obj)


def test_nobody_reaches_into_another_gemeente(groningen, assen, demo_user):
    assen_beleid = demo_user("assen", "beleid")
    org = Organisatie.objects.filter(gemeente=groningen).first()
    for action in (policy.VIEW, policy.CHANGE, policy.DELETE):
        assert not policy.can(assen_beleid, action, org)
    assert not policy.can(assen_beleid, policy.ADD, Organisatie(gemeente=groningen))


def test_a_model_without_a_rule_is_refused_loudly(groningen, demo_user):
    from django.contrib.auth.models import Group

    with pytest.raises(LookupError, match="No policy rule for auth.group"):
        policy.can(demo_user("groningen", "beleid"), policy.VIEW, Group())


def test_membership_scope_is_validated(groningen, assen, demo_user):
    user = demo_user("groningen", "raad")
    assen_gebied = Gebied.objects.get(gemeente=assen)
    with pytest.raises(ValidationError) as exc:
        Membership(user=user, gemeente=groningen, role=Role.GEBIEDSCOORDINATOR,
                   gebied=assen_gebied).full_clean()
    assert "Dit gebied hoort bij een andere gemeente." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        Membership(user=user, gemeente=groningen, role=Role.PARTNER).full_clean()
    assert "Kies de organisatie bij deze rol." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        Membership(user=user, gemeente=groningen, role=Role.RAADSLID).full_clean()
    assert "Deze gebruiker heeft deze rol hier al." in str(exc.value)


def test_user_with_two_gemeenten_sees_both(groningen, assen, demo_user, client):
    user = demo_user("groningen", "raad")
    Membership.objects.create(user=user, gemeente=assen, role=Role.RAADSLID)
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Kies een gemeente" in page and "/assen/" in page and "/groningen/" in page
    assert client.get("/assen/").status_code == 200
