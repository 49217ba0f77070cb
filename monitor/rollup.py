"""The rollup: ReeksWaarde recomputed from Meting with set-based SQL (no Python loops).

The rollup holds what must be computed or is read by the dashboards: gebied rows, and the
rows of every region soort except wijk and buurt (the gemeente; a national 'land' region).
Wijk and buurt values are not copied (millions of rows at national scale): pages, exports and
the API read them from RegioWaarde, the database view over Meting (migration 0002) that is the
one definition of suppression and of the break flag for region values.

For the affected indicators, one DELETE and one INSERT … SELECT (region rows UNION ALL gebied
rows) rebuild every point:
- region rows (not wijk/buurt): copied from RegioWaarde: the measurement itself; n = noemer,
  or the value of an 'aantal' indicator; n below the gemeente's minimum_n (default 10):
  status 'onderdrukt', waarde/teller/noemer NULL; breuk: the first point measured on an
  indeling whose region code also exists in an earlier indeling of the gemeente;
- gebied rows: sum(teller)/sum(noemer) over the gebied's regions (never an average of
  percentages), or sum(waarde) for an 'aantal'; the gebied's regions are matched by CBS code in
  the indeling the measurement was made on; a gebied point without a usable figure for every
  region is 'onvolledig' (no value); suppressed below minimum_n as above; a point that rests
  on a rounded CBS figure keeps status 'afgerond'; breuk when its indeling differs from the
  previous point's (LAG over the gebied series). The sums are one hash aggregate grouped by
  (gebied, indicator, periode) only; the indicator's unit and the gemeente's minimum are
  joined to the 1.7 million sums afterwards, not to the 14 million measurements.
The full rebuild (herbereken_alles, PostgreSQL) aggregates the gebied sums into an analysed
temporary table first and rebuilds the rollup's indexes afterwards.
Portable SQL: runs on PostgreSQL and SQLite.
"""

from django.db import connection, transaction

from monitor import suppressie
from monitor.models import DEFAULT_MINIMUM_N, WIJK_BUURT, Indicator

_FACTOR = ("CASE i.eenheid WHEN 'percentage' THEN 100.0 WHEN 'per_1000' THEN 1000.0 "
           "ELSE 1.0 END")

_WIJK_BUURT = ", ".join(f"'{soort}'" for soort in WIJK_BUURT)

INSERT_SQL = f"""
INSERT INTO monitor_reekswaarde
    (gemeente_id, indicator_id, gebied_id, region_id, regio_code, soort, periode, waarde,
     teller, noemer, n, status, indeling_jaar, breuk)
SELECT gemeente_id, indicator_id, NULL, region_id, regio_code, soort, periode, waarde,
       teller, noemer, n, status, indeling_jaar, breuk
FROM monitor_regiowaarde
WHERE soort NOT IN ({_WIJK_BUURT}) AND {{where_regio}}
UNION ALL
SELECT gemeente_id, indicator_id, gebied_id, NULL, '', 'gebied', periode,
       CASE WHEN sup OR onvolledig THEN NULL ELSE waarde END,
       CASE WHEN sup OR onvolledig OR NOT is_ratio THEN NULL ELSE teller END,
       CASE WHEN sup OR onvolledig OR NOT is_ratio THEN NULL ELSE noemer END,
       CASE WHEN sup OR onvolledig THEN NULL ELSE n END,
       CASE WHEN onvolledig THEN 'onvolledig' WHEN sup THEN 'onderdrukt'
            WHEN afgerond THEN 'afgerond' ELSE 'waargenomen' END,
       jaar,
       CASE WHEN vorig_jaar IS NOT NULL AND vorig_jaar <> jaar THEN 1 ELSE 0 END = 1
FROM (
    SELECT z.*, (z.n IS NOT NULL AND z.n < z.min_n) AS sup,
           (z.bruikbaar < z.n_regios OR z.min_jaar <> z.jaar) AS onvolledig,
           LAG(z.jaar) OVER (PARTITION BY z.gebied_id, z.indicator_id
                             ORDER BY z.periode) AS vorig_jaar
    FROM (
        SELECT g.gemeente_id, a.indicator_id, a.gebied_id, a.periode, i.is_ratio,
               CASE WHEN i.is_ratio THEN {_FACTOR} * a.teller / NULLIF(a.noemer, 0)
                    ELSE a.waarde END AS waarde,
               a.teller, a.noemer,
               CASE WHEN i.is_ratio THEN a.noemer ELSE a.waarde END AS n,
               CASE WHEN i.is_ratio THEN a.met_teller_noemer ELSE a.met_waarde END
                   AS bruikbaar,
               a.afgerond, a.jaar, a.min_jaar, g.n_regios,
               COALESCE(s.minimum_n, {DEFAULT_MINIMUM_N}) AS min_n
        FROM {{gebied_sommen}} a
        JOIN (SELECT g0.id, g0.gemeente_id, COUNT(*) AS n_regios
              FROM regions_gebied g0
              JOIN regions_gebied_regions gr0 ON gr0.gebied_id = g0.id
              GROUP BY g0.id, g0.gemeente_id) g ON g.id = a.gebied_id
        JOIN monitor_indicator i ON i.id = a.indicator_id
        LEFT JOIN monitor_monitorinstelling s ON s.gemeente_id = g.gemeente_id
    ) z
) w
"""

# Each gebied's regions in every indeling: its wijken/buurten matched by CBS code (a gebied is
# drawn on one indeling; a measurement on another indeling counts where the code still exists).
GEBIED_REGIOS_SQL = """
SELECT g.id AS gebied_id, r.id AS region_id, r.jaar
FROM regions_gebied g
JOIN regions_gebied_regions gr ON gr.gebied_id = g.id
JOIN regions_region gregio ON gregio.id = gr.region_id
JOIN regions_region r ON r.gemeente_id = g.gemeente_id AND r.code = gregio.code
"""

# The one big step of the rollup: every measurement of a gebied's regions, grouped by gebied,
# indicator and periode only (narrow keys: one hash aggregate), for the indicators whose
# gebied value can be computed (ratios and counts).
GEBIED_SOMMEN_SQL = """
SELECT gr.gebied_id, m.indicator_id, m.periode,
       SUM(m.teller) AS teller, SUM(m.noemer) AS noemer, SUM(m.waarde) AS waarde,
       COUNT(m.teller + m.noemer) AS met_teller_noemer, COUNT(m.waarde) AS met_waarde,
       MAX(CASE WHEN m.status = 'afgerond' THEN 1 ELSE 0 END) = 1 AS afgerond,
       MAX(gr.jaar) AS jaar, MIN(gr.jaar) AS min_jaar
FROM {gebied_regios} gr
JOIN monitor_meting m ON m.region_id = gr.region_id
WHERE {where}
  AND m.indicator_id IN (SELECT id FROM monitor_indicator WHERE is_ratio OR eenheid = 'aantal')
GROUP BY gr.gebied_id, m.indicator_id, m.periode
"""


def _placeholders(ids):
    return ", ".join(["%s"] * len(ids))


@transaction.atomic
def herbereken(indicator_ids, *, afschermen=True) -> int:
    """Rebuild the rollup of these indicators (all their periods and regions/gebieden), with
    complementary suppression (monitor.suppressie; `afschermen=False` only to measure what it
    costs). Returns the number of rollup rows written."""
    ids = sorted({int(i) for i in indicator_ids})
    if not ids:
        return 0
    with connection.cursor() as cursor:
        for tabel in ("monitor_reekswaarde", "monitor_afscherming"):
            cursor.execute(f"DELETE FROM {tabel} WHERE indicator_id IN ({_placeholders(ids)})",
                           ids)
        sommen = GEBIED_SOMMEN_SQL.format(gebied_regios=f"({GEBIED_REGIOS_SQL})",
                                          where=f"m.indicator_id IN ({_placeholders(ids)})")
        cursor.execute(INSERT_SQL.format(where_regio=f"indicator_id IN ({_placeholders(ids)})",
                                         gebied_sommen=f"({sommen})"), ids + ids)
        n = cursor.rowcount
        if afschermen:
            suppressie.afschermen(cursor, ids)
        return n


@transaction.atomic
def herbereken_alles(*, afschermen=True) -> int:
    """Rebuild the whole rollup (all gemeenten) in one INSERT … SELECT. On PostgreSQL the table
    is emptied with TRUNCATE and its primary key and indexes are dropped first and built again
    afterwards (one sort each instead of maintaining them row by row), all in one transaction.
    Complementary suppression (monitor.suppressie) runs last, on the indexed rollup.
    Returns the number of rows."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("DELETE FROM monitor_reekswaarde")
            cursor.execute("DELETE FROM monitor_afscherming")
            sommen = GEBIED_SOMMEN_SQL.format(gebied_regios=f"({GEBIED_REGIOS_SQL})",
                                              where="1 = 1")
            cursor.execute(INSERT_SQL.format(where_regio="1 = 1", gebied_sommen=f"({sommen})"))
            n = cursor.rowcount
            if afschermen:
                suppressie.afschermen(cursor)
            return n
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                       "current_schema() AND tablename = 'monitor_reekswaarde' AND indexdef "
                       "NOT LIKE 'CREATE UNIQUE INDEX %%'")
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                       "conrelid = 'monitor_reekswaarde'::regclass AND contype = 'p'")
        primary_key = cursor.fetchone()
        cursor.execute("TRUNCATE monitor_reekswaarde, monitor_afscherming")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if primary_key:
            cursor.execute(f'ALTER TABLE monitor_reekswaarde DROP CONSTRAINT "{primary_key[0]}"')
        cursor.execute("ANALYZE monitor_meting, regions_region, regions_gebied_regions, "
                       "regions_gebied, monitor_indicator")
        # The gebied sums first, as their own statement into a temporary table: planned on
        # their own (with the gebied-region pairs analysed, so the planner knows the join keeps
        # most rows), they are one hash aggregate; inside the INSERT the planner, which cannot
        # estimate the number of groups, sorts all measurements on disk instead.
        # Dropped at commit; a second rebuild in the same transaction starts afresh.
        cursor.execute("DROP TABLE IF EXISTS monitor_gebied_regio, monitor_gebied_som")
        cursor.execute(f"CREATE TEMPORARY TABLE monitor_gebied_regio ON COMMIT DROP AS "
                       f"{GEBIED_REGIOS_SQL}")
        cursor.execute("ANALYZE monitor_gebied_regio")
        # Enough memory for that hash aggregate (about 450 bytes a group: 1.7 million
        # gebied × indicator × periode groups at national scale) not to spill to disk.
        cursor.execute("SET LOCAL work_mem = '1GB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("CREATE TEMPORARY TABLE monitor_gebied_som ON COMMIT DROP AS "
                       + GEBIED_SOMMEN_SQL.format(gebied_regios="monitor_gebied_regio",
                                                  where="1 = 1"))
        cursor.execute("ANALYZE monitor_gebied_som")
        cursor.execute(INSERT_SQL.format(where_regio="1 = 1",
                                         gebied_sommen="monitor_gebied_som"))
        n = cursor.rowcount
        if primary_key:
            cursor.execute(f'ALTER TABLE monitor_reekswaarde ADD CONSTRAINT "{primary_key[0]}" '
                           f"{primary_key[1]}")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE monitor_reekswaarde")
        if afschermen:
            suppressie.afschermen(cursor)
        return n


def herbereken_gemeente(gemeente) -> int:
    """Rebuild every indicator of a gemeente (after minimum_n or a gebied changed)."""
    return herbereken(Indicator.objects.filter(gemeente=gemeente).values_list("pk", flat=True))
