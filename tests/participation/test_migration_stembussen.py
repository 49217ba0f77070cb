"""Migration 0004 turns the ballots (one row each) into ballot boxes: per election and
channel the votes per candidate number, nothing lost, and the Stem table is gone."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

VOOR = ("participation", "0003_instelling_kandidaten_en_minimum_per_kanaal")
NA = ("participation", "0004_stembussen")


@pytest.fixture(autouse=True)
def _restore(django_db_blocker):
    """Back to the latest schema with the demo, whatever happened, for the tests after this."""
    yield
    with django_db_blocker.unblock():
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes())
        ContentType.objects.clear_cache()
        call_command("load_demo", stdout=open("/dev/null", "w"))


def test_existing_ballots_are_counted_into_boxes():
    # A transactional test before this one may have flushed the database: the demo's elections
    # and candidates are the data the old ballots refer to.
    call_command("load_demo", stdout=open("/dev/null", "w"))
    executor = MigrationExecutor(connection)
    executor.migrate([VOOR])
    apps = executor.loader.project_state([VOOR]).apps
    Stem = apps.get_model("participation", "Stem")
    Kandidaat = apps.get_model("participation", "Kandidaat")
    verkiezingen = {}
    for k in Kandidaat.objects.all():
        verkiezingen.setdefault(k.verkiezing_id, []).append(k)
    (v1, ks1), (v2, ks2) = list(verkiezingen.items())[:2]
    ballots = [(v1, ks1[0], "school")] * 3 + [(v1, ks1[0], "brief")] + \
        [(v1, ks1[2], "school")] * 2 + [(v2, ks2[1], "email")] * 4
    Stem.objects.bulk_create([
        Stem(id=uuid.uuid4(), gemeente_id=k.gemeente_id, verkiezing_id=v, kandidaat_id=k.pk,
             kanaal=kanaal) for v, k, kanaal in ballots])
    before = {(v, k.nummer, kanaal): ballots.count((v, k, kanaal))
              for v, k, kanaal in set(ballots)}

    executor = MigrationExecutor(connection)
    executor.migrate([NA])
    apps = executor.loader.project_state([NA]).apps
    Stembus = apps.get_model("participation", "Stembus")
    after = {}
    for bus in Stembus.objects.filter(verkiezing_id__in=[v1, v2]):
        for n in range(1, 6):
            if getattr(bus, f"stemmen_{n}"):
                key = (bus.verkiezing_id, n, bus.kanaal)
                after[key] = after.get(key, 0) + getattr(bus, f"stemmen_{n}")
    assert after == before
    assert "participation_stem" not in connection.introspection.table_names()
