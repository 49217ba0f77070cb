"""The rollup: ReeksWaarde recomputed from Meting with set-based SQL (no Python loops).

For the affected indicators, one DELETE and one INSERT … SELECT (region rows UNION ALL gebied
rows) rebuild every point:
- region rows (gemeente, wijk, buurt): the measurement itself; n = noemer, or the value of an
  'aantal' indicator;
- gebied rows: sum(teller)/sum(noemer) over the gebied's regions (never an average of
  percentages), or sum(waarde) for an 'aantal'; the gebied's regions are matched by CBS code in
  the indeling the measurement was made on; a gebied point without a usable figure for every
  region is 'onvolledig' (no value);
- n below the gemeente's minimum_n (default 10): status 'onderdrukt', waarde/teller/noemer NULL;
- a point that rests on a rounded CBS figure keeps status 'afgerond';
- breuk (break in series): a region point is the first one measured on an indeling whose
  region code also exists in an earlier indeling of the gemeente (only regions with such a
  predecessor are looked at, so no sort of all measurements); a gebied point whose indeling
  differs from the previous point's (LAG over the much smaller gebied series).
Portable SQL: runs on PostgreSQL and SQLite.
"""

from django.db import connection, transaction

from monitor.models import Indicator

DEFAULT_MINIMUM_N = 10

_FACTOR = ("CASE i.eenheid WHEN 'percentage' THEN 100.0 WHEN 'per_1000' THEN 1000.0 "
           "ELSE 1.0 END")

INSERT_SQL = f"""
INSERT INTO monitor_reekswaarde
    (gemeente_id, indicator_id, gebied_id, region_id, regio_code, soort, periode, waarde,
     teller, noemer, n, status, indeling_jaar, breuk)
SELECT gemeente_id, indicator_id, NULL, region_id, code, soort, periode,
       CASE WHEN sup THEN NULL ELSE waarde END,
       CASE WHEN sup THEN NULL ELSE teller END,
       CASE WHEN sup THEN NULL ELSE noemer END,
       CASE WHEN sup THEN NULL ELSE n END,
       CASE WHEN sup THEN 'onderdrukt' ELSE status END,
       jaar,
       CASE WHEN heeft_voorganger AND periode = (
                SELECT MIN(m2.periode) FROM monitor_meting m2
                WHERE m2.indicator_id = y.indicator_id AND m2.region_id = y.region_id)
            THEN 1 ELSE 0 END = 1
FROM (
    SELECT x.*, (x.n IS NOT NULL AND x.n < x.min_n AND x.status <> 'geheim') AS sup
    FROM (
        SELECT m.gemeente_id, m.indicator_id, m.region_id, r.code, r.soort, m.periode,
               m.waarde, m.teller, m.noemer, m.status, r.jaar, r.heeft_voorganger,
               CASE WHEN m.noemer IS NOT NULL THEN m.noemer
                    WHEN i.eenheid = 'aantal' THEN m.waarde END AS n,
               COALESCE(s.minimum_n, {DEFAULT_MINIMUM_N}) AS min_n
        FROM monitor_meting m
        JOIN (SELECT r0.id, r0.code, r0.soort, r0.jaar,
                     MIN(p.jaar) IS NOT NULL AND r0.soort <> 'land' AS heeft_voorganger
              FROM regions_region r0
              LEFT JOIN regions_region p ON p.gemeente_id = r0.gemeente_id
                   AND p.code = r0.code AND p.jaar < r0.jaar
              GROUP BY r0.id, r0.code, r0.soort, r0.jaar) r ON r.id = m.region_id
        JOIN monitor_indicator i ON i.id = m.indicator_id
        LEFT JOIN monitor_monitorinstelling s ON s.gemeente_id = m.gemeente_id
        WHERE {{where}}
    ) x
) y
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
        SELECT g.gemeente_id, m.indicator_id, g.id AS gebied_id, m.periode, i.is_ratio,
               CASE WHEN i.is_ratio
                    THEN {_FACTOR} * SUM(m.teller) / NULLIF(SUM(m.noemer), 0)
                    ELSE SUM(m.waarde) END AS waarde,
               SUM(m.teller) AS teller, SUM(m.noemer) AS noemer,
               CASE WHEN i.is_ratio THEN SUM(m.noemer) ELSE SUM(m.waarde) END AS n,
               SUM(CASE WHEN (i.is_ratio AND m.teller IS NOT NULL AND m.noemer IS NOT NULL)
                          OR (NOT i.is_ratio AND m.waarde IS NOT NULL) THEN 1 ELSE 0 END)
                   AS bruikbaar,
               MAX(CASE WHEN m.status = 'afgerond' THEN 1 ELSE 0 END) = 1 AS afgerond,
               MAX(r.jaar) AS jaar, MIN(r.jaar) AS min_jaar,
               nr.n_regios,
               COALESCE(s.minimum_n, {DEFAULT_MINIMUM_N}) AS min_n
        FROM regions_gebied g
        JOIN (SELECT gebied_id, COUNT(*) AS n_regios FROM regions_gebied_regions
              GROUP BY gebied_id) nr ON nr.gebied_id = g.id
        JOIN regions_gebied_regions gr ON gr.gebied_id = g.id
        JOIN regions_region gregio ON gregio.id = gr.region_id
        JOIN regions_region r ON r.gemeente_id = g.gemeente_id AND r.code = gregio.code
        JOIN monitor_meting m ON m.region_id = r.id
        JOIN monitor_indicator i ON i.id = m.indicator_id
        LEFT JOIN monitor_monitorinstelling s ON s.gemeente_id = g.gemeente_id
        WHERE {{where}}
          AND (i.is_ratio OR i.eenheid = 'aantal')
        GROUP BY g.gemeente_id, g.id, m.indicator_id, m.periode, i.is_ratio, i.eenheid,
                 s.minimum_n, nr.n_regios
    ) z
) w
"""


def _placeholders(ids):
    return ", ".join(["%s"] * len(ids))


@transaction.atomic
def herbereken(indicator_ids) -> int:
    """Rebuild the rollup of these indicators (all their periods and regions/gebieden).
    Returns the number of rollup rows written."""
    ids = sorted({int(i) for i in indicator_ids})
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM monitor_reekswaarde WHERE indicator_id IN "
                       f"({_placeholders(ids)})", ids)
        where = f"m.indicator_id IN ({_placeholders(ids)})"
        cursor.execute(INSERT_SQL.format(where=where), ids + ids)
        return cursor.rowcount


@transaction.atomic
def herbereken_alles() -> int:
    """Rebuild the whole rollup (all gemeenten) in one INSERT … SELECT. On PostgreSQL the table
    is emptied with TRUNCATE and its primary key and indexes are dropped first and built again
    afterwards (one sort each instead of maintaining them row by row), all in one transaction.
    Returns the number of rows."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("DELETE FROM monitor_reekswaarde")
            cursor.execute(INSERT_SQL.format(where="1 = 1"))
            return cursor.rowcount
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                       "current_schema() AND tablename = 'monitor_reekswaarde' AND indexdef "
                       "NOT LIKE 'CREATE UNIQUE INDEX %%'")
        indexes = cursor.fetchall()
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                       "conrelid = 'monitor_reekswaarde'::regclass AND contype = 'p'")
        primary_key = cursor.fetchone()
        cursor.execute("TRUNCATE monitor_reekswaarde")
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        if primary_key:
            cursor.execute(f'ALTER TABLE monitor_reekswaarde DROP CONSTRAINT "{primary_key[0]}"')
        cursor.execute("ANALYZE monitor_meting, regions_region, regions_gebied_regions, "
                       "regions_gebied, monitor_indicator")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(INSERT_SQL.format(where="1 = 1"))
        n = cursor.rowcount
        if primary_key:
            cursor.execute(f'ALTER TABLE monitor_reekswaarde ADD CONSTRAINT "{primary_key[0]}" '
                           f"{primary_key[1]}")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("ANALYZE monitor_reekswaarde")
        return n


def herbereken_gemeente(gemeente) -> int:
    """Rebuild every indicator of a gemeente (after minimum_n or a gebied changed)."""
    return herbereken(Indicator.objects.filter(gemeente=gemeente).values_list("pk", flat=True))
