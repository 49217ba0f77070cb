"""Faster search over a large sociale kaart (issue 16's benchmark).

PostgreSQL: the search terms as a stored tsvector column (kaart_aanbod.zoekvector, generated
from zoektekst by the database itself, so every write keeps it in step: save, update(),
bulk_create, raw SQL) with the GIN index on that column instead of on the expression. With the
expression index, every row the planner reached by another filter (a wijk, an age) had its
to_tsvector() computed again to check the text; a stored vector is read, not recomputed.
SQLite keeps its FTS5 table (migration 0002).

Both: the links from a locatie and from a levensdomein to their aanbod as covering indexes
(locatie_id, aanbod_id) and (levensdomein_id, aanbod_id), so the wijk and levensdomein
filters read an index only, not the whole link table."""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE kaart_aanbod ADD COLUMN zoekvector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', zoektekst)) STORED",
    "CREATE INDEX kaart_aanbod_zoekvector_gin ON kaart_aanbod USING gin (zoekvector)",
    "DROP INDEX kaart_aanbod_zoektekst_gin",
]
POSTGRES_REVERSE = [
    "CREATE INDEX kaart_aanbod_zoektekst_gin ON kaart_aanbod "
    "USING gin (to_tsvector('simple', zoektekst))",
    "DROP INDEX kaart_aanbod_zoekvector_gin",
    "ALTER TABLE kaart_aanbod DROP COLUMN zoekvector",
]
KOPPELINDEXEN = [
    "CREATE INDEX kaart_aanbod_locaties_locatie_aanbod ON kaart_aanbod_locaties "
    "(locatie_id, aanbod_id)",
    "CREATE INDEX kaart_aanbod_levensdomeinen_domein_aanbod ON kaart_aanbod_levensdomeinen "
    "(levensdomein_id, aanbod_id)",
]
KOPPELINDEXEN_REVERSE = ["DROP INDEX kaart_aanbod_levensdomeinen_domein_aanbod",
                         "DROP INDEX kaart_aanbod_locaties_locatie_aanbod"]


def _run(statements, vendors=("postgresql", "sqlite")):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor in vendors:
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("kaart", "0006_melding_email_dagen")]

    operations = [
        migrations.RunPython(_run(POSTGRES, ["postgresql"]),
                             _run(POSTGRES_REVERSE, ["postgresql"])),
        migrations.RunPython(_run(KOPPELINDEXEN), _run(KOPPELINDEXEN_REVERSE)),
    ]
