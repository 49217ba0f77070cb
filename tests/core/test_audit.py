"""Every create, update and delete through a service writes an append-only audit entry."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core import services
from core.models import AuditEntry
from network.models import Organisatie


def entries_for(obj):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id"))


def test_create_update_delete_are_recorded_with_before_and_after(groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    org = services.save_object(beleid, Organisatie(gemeente=groningen, naam="OBS De Kring",
                                                   type="basisschool"))
    org.naam = "OBS De Kring (Selwerd)"
    services.save_object(beleid, org)
    services.save_object(beleid, org)  # nothing changed: no entry
    pk = org.pk
    services.delete_object(beleid, org)

    ct = ContentType.objects.get_for_model(Organisatie)
    log = list(AuditEntry.objects.filter(content_type=ct, object_id=str(pk)).order_by("id"))
    assert [e.action for e in log] == ["create", "update", "delete"]
    assert all(e.actor == beleid and e.gemeente == groningen for e in log)
    create, update, delete = log
    assert create.before is None and create.after["naam"] == "OBS De Kring"
    assert update.changes() == [("naam", "OBS De Kring", "OBS De Kring (Selwerd)")]
    assert delete.after is None and delete.before["naam"] == "OBS De Kring (Selwerd)"


def test_m2m_changes_are_part_of_the_snapshot(groningen, demo_user):
    beleid = demo_user("groningen", "beleid")
    org = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    gebieden = list(groningen.gebieden.order_by("pk")[:2])
    services.save_object(beleid, org, m2m={"gebieden": gebieden})
    last = entries_for(org)[-1]
    assert last.action == "update"
    assert last.after["gebieden"] == sorted(g.pk for g in gebieden)


def test_audit_log_is_append_only(groningen):
    entry = AuditEntry.objects.filter(gemeente=groningen).first()
    assert entry is not None, "the demo is loaded through services, so it is audited"
    entry.object_repr = "vervalst"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="vervalst")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_failed_write_leaves_no_entry(groningen, demo_user):
    from django.core.exceptions import ValidationError

    beleid = demo_user("groningen", "beleid")
    count = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.save_object(beleid, Organisatie(gemeente=groningen, naam="", type="basisschool"))
    assert AuditEntry.objects.count() == count


def test_object_page_shows_its_history(client_for, groningen):
    client = client_for("groningen", "beleid")
    org = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    response = client.post(f"/groningen/organisaties/{org.pk}/bewerken/", {
        "naam": "Kids First COG", "type": "kinderopvang", "gebieden": [
            g.pk for g in org.gebieden.all()]})
    assert response.status_code == 302
    page = client.get(f"/groningen/organisaties/{org.pk}/").content.decode()
    assert "Historie" in page and "Kids First → Kids First COG" in page
    assert "Demo beleidsmedewerker (Groningen)" in page


def test_admin_writes_are_audited(groningen, admin_client):
    org = Organisatie.objects.get(gemeente=groningen, naam="Kids First")
    response = admin_client.post(f"/beheer/network/organisatie/{org.pk}/change/", {
        "gemeente": groningen.pk, "naam": "Kids First (beheer)", "type": "kinderopvang",
        "gebieden": [g.pk for g in org.gebieden.all()]})
    assert response.status_code == 302, response.content[:2000]
    assert entries_for(org)[-1].after["naam"] == "Kids First (beheer)"
