"""The search index of Aanbod.zoektekst (see kaart/zoeken.py) and the national list of
levensdomeinen.

PostgreSQL: a GIN index on to_tsvector('simple', zoektekst). SQLite: an FTS5 table with the
aanbod's rowid, kept in step by triggers. Both hold the same terms (stemmed in Python)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE kaart_aanbod_fts USING fts5(zoektekst, content='kaart_aanbod', "
    "content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER kaart_aanbod_fts_ai AFTER INSERT ON kaart_aanbod BEGIN "
    "INSERT INTO kaart_aanbod_fts(rowid, zoektekst) VALUES (new.id, new.zoektekst); END",
    "CREATE TRIGGER kaart_aanbod_fts_ad AFTER DELETE ON kaart_aanbod BEGIN "
    "INSERT INTO kaart_aanbod_fts(kaart_aanbod_fts, rowid, zoektekst) "
    "VALUES ('delete', old.id, old.zoektekst); END",
    "CREATE TRIGGER kaart_aanbod_fts_au AFTER UPDATE OF zoektekst ON kaart_aanbod BEGIN "
    "INSERT INTO kaart_aanbod_fts(kaart_aanbod_fts, rowid, zoektekst) "
    "VALUES ('delete', old.id, old.zoektekst); "
    "INSERT INTO kaart_aanbod_fts(rowid, zoektekst) VALUES (new.id, new.zoektekst); END",
]
SQLITE_REVERSE = ["DROP TRIGGER kaart_aanbod_fts_au", "DROP TRIGGER kaart_aanbod_fts_ad",
                  "DROP TRIGGER kaart_aanbod_fts_ai", "DROP TABLE kaart_aanbod_fts"]
POSTGRES = ["CREATE INDEX kaart_aanbod_zoektekst_gin ON kaart_aanbod "
            "USING gin (to_tsvector('simple', zoektekst))"]
POSTGRES_REVERSE = ["DROP INDEX kaart_aanbod_zoektekst_gin"]

LEVENSDOMEINEN = [
    ("opvoeden", "Opvoeden en opgroeien"),
    ("gezondheid", "Gezondheid"),
    ("onderwijs", "Onderwijs en ontwikkeling"),
    ("sport", "Sport en bewegen"),
    ("cultuur", "Kunst en cultuur"),
    ("vrije-tijd", "Vrije tijd en ontmoeten"),
    ("geld", "Geld en armoede"),
    ("veiligheid", "Veiligheid"),
    ("werk", "Werk en stage"),
    ("wonen", "Wonen"),
    ("hulp", "Hulp en zorg"),
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


def levensdomeinen(apps, schema_editor):
    Levensdomein = apps.get_model("kaart", "Levensdomein")
    for i, (code, naam) in enumerate(LEVENSDOMEINEN):
        Levensdomein.objects.get_or_create(code=code, defaults={"naam": naam, "volgorde": i})


class Migration(migrations.Migration):
    dependencies = [("kaart", "0001_sociale_kaart")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
        migrations.RunPython(levensdomeinen, migrations.RunPython.noop),
    ]
