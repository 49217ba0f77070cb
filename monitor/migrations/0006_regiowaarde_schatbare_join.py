"""The view monitor_regiowaarde with the same rows and columns as in 0004, but with the guard
"the region belongs to the measurement's gemeente" written so that PostgreSQL's planner can
estimate the join. As a second equality (`r.gemeente_id = m.gemeente_id`) the planner took it
for independent of `r.id = m.region_id` and expected 1/342 of the rows at national scale: it
then gathered all 17 million rows into one process before joining them to anything (the
complementary suppression read its cells in 28 s instead of 16 s). As a CASE it is a boolean
expression the planner estimates as neutral (one half); it still drops every row whose region
is of another gemeente.
Portable SQL (PostgreSQL and SQLite)."""

import importlib

from django.db import migrations

vorige = importlib.import_module("monitor.migrations.0004_aanvullende_onderdrukking")

OUDE_JOIN = ("JOIN regions_region r ON r.id = m.region_id "
             "AND r.gemeente_id = m.gemeente_id")
NIEUWE_JOIN = ("JOIN regions_region r ON r.id = m.region_id "
               "AND CASE WHEN r.gemeente_id = m.gemeente_id THEN TRUE ELSE FALSE END")
assert OUDE_JOIN in vorige.VIEW_SQL
VIEW_SQL = vorige.VIEW_SQL.replace(OUDE_JOIN, NIEUWE_JOIN)


class Migration(migrations.Migration):

    dependencies = [
        ('monitor', '0005_importbatch_formaat_berekend'),
    ]

    operations = [
        migrations.RunSQL(["DROP VIEW monitor_regiowaarde", VIEW_SQL],
                          ["DROP VIEW monitor_regiowaarde", vorige.VIEW_SQL]),
    ]
