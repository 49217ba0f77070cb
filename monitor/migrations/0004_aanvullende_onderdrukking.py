"""Complementary suppression (monitor.suppressie): the table of region figures it hides, and
the view monitor_regiowaarde showing them as 'onderdrukt' like primary suppressed ones (the
rest of the view as in 0002). Portable SQL (PostgreSQL and SQLite)."""

import django.db.models.deletion
from django.db import migrations, models

_N = ("CASE WHEN m.noemer IS NOT NULL THEN m.noemer "
      "WHEN i.eenheid = 'aantal' THEN m.waarde END")
_PRIMAIR = (f"({_N}) IS NOT NULL AND ({_N}) < COALESCE(s.minimum_n, 10) "
            f"AND m.status <> 'geheim'")


def _view(onderdrukt, afscherming_join):
    return f"""
CREATE VIEW monitor_regiowaarde AS
SELECT m.id, m.gemeente_id, m.indicator_id, m.region_id, r.code AS regio_code, r.soort,
       m.periode,
       CASE WHEN {onderdrukt} THEN NULL ELSE m.waarde END AS waarde,
       CASE WHEN {onderdrukt} THEN NULL ELSE m.teller END AS teller,
       CASE WHEN {onderdrukt} THEN NULL ELSE m.noemer END AS noemer,
       CASE WHEN {onderdrukt} THEN NULL ELSE {_N} END AS n,
       CASE WHEN {onderdrukt} THEN 'onderdrukt' ELSE m.status END AS status,
       r.jaar AS indeling_jaar,
       (r.soort <> 'land' AND EXISTS (SELECT 1 FROM regions_region p
                WHERE p.gemeente_id = r.gemeente_id AND p.code = r.code AND p.jaar < r.jaar)
        AND m.periode = (SELECT MIN(m2.periode) FROM monitor_meting m2
                         WHERE m2.indicator_id = m.indicator_id
                           AND m2.region_id = m.region_id)) AS breuk
FROM monitor_meting m
JOIN regions_region r ON r.id = m.region_id AND r.gemeente_id = m.gemeente_id
JOIN monitor_indicator i ON i.id = m.indicator_id
LEFT JOIN monitor_monitorinstelling s ON s.gemeente_id = m.gemeente_id
{afscherming_join}"""


# Primary (too small) or complementary (monitor_afscherming): the same status, no numbers.
VIEW_SQL = _view(f"(({_PRIMAIR}) OR a.meting_id IS NOT NULL)",
                 "LEFT JOIN monitor_afscherming a ON a.meting_id = m.id")
OUDE_VIEW_SQL = _view(f"({_PRIMAIR})", "")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
        ('monitor', '0003_indicator_bereik_en_cbs_json'),
    ]

    operations = [
        migrations.CreateModel(
            name='Afscherming',
            fields=[
                ('meting', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='monitor.meting')),
                ('gemeente', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.gemeente')),
                ('indicator', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='monitor.indicator')),
            ],
            options={
                'verbose_name': 'aanvullend onderdrukt cijfer',
                'verbose_name_plural': 'aanvullend onderdrukte cijfers',
            },
        ),
        migrations.RunSQL(["DROP VIEW monitor_regiowaarde", VIEW_SQL],
                          ["DROP VIEW monitor_regiowaarde", OUDE_VIEW_SQL]),
    ]
