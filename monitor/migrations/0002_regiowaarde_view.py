"""RegioWaarde: the database view with every measurement as it may be published (suppression
and break flag in one SQL definition; Nederland ('land') has no break when the gemeente gets
a new indeling), and the rollup without wijk/buurt rows (read from the
view instead). Portable SQL (PostgreSQL and SQLite)."""

import core.periods
from django.db import migrations, models


# n: the noemer, or the value itself for an 'aantal' indicator.
_N = ("CASE WHEN m.noemer IS NOT NULL THEN m.noemer "
      "WHEN i.eenheid = 'aantal' THEN m.waarde END")
_ONDERDRUKT = (f"({_N}) IS NOT NULL AND ({_N}) < COALESCE(s.minimum_n, 10) "
               f"AND m.status <> 'geheim'")

VIEW_SQL = f"""
CREATE VIEW monitor_regiowaarde AS
SELECT m.id, m.gemeente_id, m.indicator_id, m.region_id, r.code AS regio_code, r.soort,
       m.periode,
       CASE WHEN {_ONDERDRUKT} THEN NULL ELSE m.waarde END AS waarde,
       CASE WHEN {_ONDERDRUKT} THEN NULL ELSE m.teller END AS teller,
       CASE WHEN {_ONDERDRUKT} THEN NULL ELSE m.noemer END AS noemer,
       CASE WHEN {_ONDERDRUKT} THEN NULL ELSE {_N} END AS n,
       CASE WHEN {_ONDERDRUKT} THEN 'onderdrukt' ELSE m.status END AS status,
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
"""


class Migration(migrations.Migration):

    dependencies = [
        ('monitor', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RegioWaarde',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('regio_code', models.CharField(max_length=10)),
                ('soort', models.CharField(max_length=10)),
                ('periode', core.periods.PeriodeField()),
                ('waarde', models.FloatField(null=True)),
                ('teller', models.FloatField(null=True)),
                ('noemer', models.FloatField(null=True)),
                ('n', models.FloatField(null=True)),
                ('status', models.CharField(choices=[('waargenomen', 'waargenomen'), ('geheim', 'geheim (CBS)'), ('afgerond', 'afgerond (CBS)'), ('onderdrukt', 'onderdrukt (te klein aantal)'), ('onvolledig', 'onvolledig (niet alle wijken en buurten hebben een cijfer)')], max_length=12)),
                ('indeling_jaar', models.PositiveSmallIntegerField()),
                ('breuk', models.BooleanField()),
            ],
            options={
                'verbose_name': 'regiowaarde',
                'verbose_name_plural': 'regiowaarden',
                'db_table': 'monitor_regiowaarde',
                'managed': False,
            },
        ),
        migrations.RunSQL(VIEW_SQL, "DROP VIEW monitor_regiowaarde"),
        # Wijk and buurt values are no longer copied into the rollup.
        migrations.RunSQL("DELETE FROM monitor_reekswaarde WHERE soort IN ('wijk', 'buurt')",
                          migrations.RunSQL.noop),
    ]
