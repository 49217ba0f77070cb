"""Benchmark: the monitor at national scale (issue 5), on PostgreSQL.

A generator makes 342 gemeenten, 3,300 wijken, 14,000 buurten (one CBS indeling), 100
indicators per gemeente (teller/noemer) and 10 years: about 17.6 million measurements, as one
CBS-style "CSV met statistische symbolen" per gemeente (wide: a teller and a noemer column per
indicator, padded region codes, Perioden like 2019JJ00, some 'x' and '.' symbols). The data is
invented for the benchmark and lives only in its throw-away database.

Measured, in one run:
1. import: every file through monitor.services.importeer (parse, validate and COPY: the checked
   rows are streamed into the COPY while the file is read, so PostgreSQL ingests on the other
   core), rows/s, and the ratio to a raw PostgreSQL COPY of the same rows (dumped with COPY TO
   after the import) into the same, emptied table in the same run (goal >= 0.5);
2. rollup: the full rebuild after the national import (monitor.rollup.herbereken_alles: gebied
   and gemeente rows; wijk and buurt values are read from Meting through the RegioWaarde view;
   goal < 60 s), with complementary suppression (monitor.suppressie), against the same rebuild
   without it in the same run (the ratio is what complementary suppression costs);
3. trend API: GET /api/v1/reeksen/<indicator>/?gebied=<id> (and the gemeente series) through a
   real HTTP server, p50/p95, with the ratio to the hand-written SQL of the same series
   (goal p95 < 30 ms);
4. pages: p50/p95 of the gebied dashboard and the Klaverblad view through HTTP, against the
   equivalent hand-written SQL (bench/monitor_pages.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/monitor .venv/bin/python \
        bench/bench_monitor.py [--scale 0.1] [--requests 400]
Results: bench/results/bench_monitor.json.
"""

import argparse
import io
import os
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--scale", type=float, default=1.0,
                    help="fraction of the 342 gemeenten (default 1.0 = national scale)")
PARSER.add_argument("--indicatoren", type=int, default=100)
PARSER.add_argument("--jaren", type=int, default=10)
PARSER.add_argument("--requests", type=int, default=400)
PARSER.add_argument("--alleen-rollup", action="store_true",
                    help="measure the import (without its COPY baseline) and the rollup only "
                         "(no trend API, no pages)")
PARSER.add_argument("--profiel", metavar="FILE",
                    help="write a cProfile of the rollup with complementary suppression")
PARSER.add_argument("--keep", action="store_true",
                    help="keep the benchmark database afterwards (to inspect it)")
ARGS = PARSER.parse_args()

from common import print_table, setup_django, summary_ms, write_results  # noqa: E402

DESCRIPTION, CLEANUP = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

GEMEENTEN = 342
EERSTE_JAAR = 2015
INDELING = 2015
GEBIEDEN_PER_GEMEENTE = 5


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def bouw_regios(n_gemeenten):
    """Gemeenten with wijken and buurten in the national proportions (342 : 3,300 : 14,000)."""
    from core.models import Gemeente
    from regions.models import Region

    gemeenten = Gemeente.objects.bulk_create([
        Gemeente(cbs_code=f"GM{2000 + i:04d}", naam=f"Benchgemeente {i}", slug=f"bench-{i}",
                 programmanaam="Bench") for i in range(n_gemeenten)])
    regios, wijk_teller = [], 0
    structuur = {}
    for i, g in enumerate(gemeenten):
        code = f"{2000 + i:04d}"
        regios.append(Region(gemeente=g, jaar=INDELING, soort="gemeente", code=f"GM{code}",
                             naam=g.naam))
        wijken = 10 if i % GEMEENTEN < 222 else 9
        structuur[g.pk] = []
        for w in range(wijken):
            buurten = 5 if wijk_teller % 33 < 8 else 4
            wijk_teller += 1
            regios.append(Region(gemeente=g, jaar=INDELING, soort="wijk",
                                 code=f"WK{code}{w:02d}", naam=f"Wijk {w}"))
            buurt_codes = [f"BU{code}{w:02d}{b:02d}" for b in range(buurten)]
            structuur[g.pk].append(buurt_codes)
            regios.extend(Region(gemeente=g, jaar=INDELING, soort="buurt", code=c,
                                 naam=f"Buurt {c[-4:]}") for c in buurt_codes)
    Region.objects.bulk_create(regios, batch_size=5000)
    return gemeenten, structuur


def bouw_indicatoren_en_gebieden(gemeenten, structuur, n_indicatoren):
    from monitor.models import Indicator
    from regions.models import Gebied, Region

    Indicator.objects.bulk_create([
        Indicator(gemeente=g, code=f"ind{k:03d}", naam=f"Indicator {k}", definitie="bench",
                  eenheid="percentage", richting="lager", niveaus=["gemeente", "wijk", "buurt"],
                  periodetype="jaar", is_ratio=True, teller_definitie="t", noemer_definitie="n",
                  volgorde=k)
        for g in gemeenten for k in range(n_indicatoren)], batch_size=5000)
    gebieden = Gebied.objects.bulk_create([
        Gebied(gemeente=g, naam=f"Gebied {n}", jaar=INDELING)
        for g in gemeenten for n in range(GEBIEDEN_PER_GEMEENTE)])
    region_ids = dict(Region.objects.filter(gemeente__in=gemeenten).values_list("code", "pk"))
    through = Gebied.regions.through
    links = []
    for gebied in gebieden:
        n = int(gebied.naam.split()[-1])
        wijken = structuur[gebied.gemeente_id]
        for buurt_codes in wijken[2 * n: 2 * n + 2]:  # two wijken' buurten per gebied
            links.extend(through(gebied_id=gebied.pk, region_id=region_ids[c])
                         for c in buurt_codes)
    through.objects.bulk_create(links, batch_size=5000)
    return gebieden


def genereer_bestand(gemeente_index, structuur_g, n_indicatoren, n_jaren, rng):
    """One CBS-style wide CSV for a gemeente (bytes) and its number of measurements."""
    code = f"{2000 + gemeente_index:04d}"
    regio_codes = [f"GM{code}"]
    for w, buurt_codes in enumerate(structuur_g):
        regio_codes.append(f"WK{code}{w:02d}")
        regio_codes.extend(buurt_codes)
    kop = ['"ID"', '"WijkenEnBuurten"', '"Perioden"']
    for k in range(n_indicatoren):
        kop += [f'"ind{k:03d}_teller"', f'"ind{k:03d}_noemer"']
    regels = [";".join(kop)]
    rij_id, metingen = 0, 0
    randint, random_ = rng.randint, rng.random
    for jaar in range(EERSTE_JAAR, EERSTE_JAAR + n_jaren):
        for regio in regio_codes:
            velden = [str(rij_id), f'"{regio:<10}"', f'"{jaar}JJ00"']
            for _k in range(n_indicatoren):
                r = random_()
                if r < 0.01:
                    velden += ['"       x"', '"       x"']
                    metingen += 1
                elif r < 0.02:
                    velden += ['"       ."', '"       ."']
                else:
                    noemer = randint(5, 3000)
                    velden += [f'"{randint(0, noemer):>9}"', f'"{noemer:>9}"']
                    metingen += 1
            regels.append(";".join(velden))
            rij_id += 1
    return ("\r\n".join(regels) + "\r\n").encode(), metingen


def meet_import(gemeenten, structuur, n_indicatoren, n_jaren):
    from monitor import services

    rng = random.Random(5)
    log("generating files")
    bestanden = [(g, *genereer_bestand(i, structuur[g.pk], n_indicatoren, n_jaren, rng))
                 for i, g in enumerate(gemeenten)]
    totaal = sum(n for _g, _d, n in bestanden)
    mb = sum(len(d) for _g, d, _n in bestanden) / 1e6
    log(f"{len(bestanden)} files, {mb:.0f} MB, {totaal:,} measurements; importing")
    start = time.perf_counter()
    for g, data, n in bestanden:
        result = services.importeer(None, g, data, f"{g.cbs_code}.csv", bron="CBS",
                                    formaat="cbs", herbereken_rollup=False,
                                    check_permission=False)
        assert result.status == "ingelezen" and result.batch.rijen == n, result
    import_s = time.perf_counter() - start
    del bestanden
    result = {"name": "import", "rows": totaal, "files": len(gemeenten), "megabytes": round(mb),
              "import_s": round(import_s, 2), "import_rows_per_s": round(totaal / import_s)}
    if ARGS.alleen_rollup:
        log(f"import: {import_s:.1f} s (no COPY baseline with --alleen-rollup)")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitor_meting")
        return result
    log(f"import: {import_s:.1f} s; raw COPY of the same rows")
    with connection.cursor() as cursor:
        buf = io.BytesIO()
        with cursor.cursor.copy("COPY monitor_meting TO STDOUT") as copy:
            for chunk in copy:
                buf.write(chunk)
        data = buf.getvalue()
        del buf
        cursor.execute("TRUNCATE monitor_meting")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, \
            cursor.cursor.copy("COPY monitor_meting FROM STDIN") as copy:
        view = memoryview(data)
        for offset in range(0, len(view), 1 << 20):
            copy.write(view[offset: offset + (1 << 20)])
    copy_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitor_meting")
        assert cursor.fetchone()[0] == totaal
        cursor.execute("ANALYZE monitor_meting")
    log(f"raw COPY: {copy_s:.1f} s")
    return {**result, "copy_s": round(copy_s, 2), "copy_rows_per_s": round(totaal / copy_s),
            "ratio_to_copy": round(copy_s / import_s, 3), "goal_ratio": 0.5}


def meet_rollup():
    from monitor import rollup
    from monitor.models import Afscherming, ReeksWaarde

    def onderdrukt():
        return ReeksWaarde.objects.filter(status="onderdrukt").count()

    log("rollup (full rebuild) without complementary suppression: the baseline")
    start = time.perf_counter()
    rows = rollup.herbereken_alles(afschermen=False)
    zonder = time.perf_counter() - start
    primair = onderdrukt()
    log(f"rollup without: {rows:,} rows in {zonder:.1f} s; with complementary suppression")
    profiel = None
    if ARGS.profiel:
        import cProfile

        profiel = cProfile.Profile()
        profiel.enable()
    start = time.perf_counter()
    assert rollup.herbereken_alles() == rows
    seconds = time.perf_counter() - start
    if profiel:
        profiel.disable()
        profiel.dump_stats(ARGS.profiel)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM (SELECT DISTINCT indicator_id, periode FROM "
                       "monitor_regiowaarde WHERE status = 'onderdrukt') g")
        groepen = cursor.fetchone()[0]
    aanvullend = Afscherming.objects.count() + onderdrukt() - primair
    log(f"rollup: {rows:,} rows in {seconds:.1f} s ({seconds / zonder:.2f} x without); "
        f"{groepen:,} indicator × periode groups with a hidden cell, {aanvullend:,} cells "
        f"hidden to protect them")
    return {"name": "rollup", "rows": rows, "seconds": round(seconds, 2), "goal_s": 60,
            "goal_met": seconds < 60, "load_average": [round(x, 2) for x in os.getloadavg()],
            "seconds_without_complementary": round(zonder, 2),
            "ratio_to_without": round(seconds / zonder, 3),
            "groups_with_hidden_cell": groepen, "complementary_cells": aanvullend}


class _Server:
    """A real HTTP server (wsgiref, one thread) serving the Django app on a free port."""

    def __init__(self):
        from wsgiref.simple_server import WSGIRequestHandler, make_server

        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        # One persistent database connection for the server thread, as in production.
        for d in (settings.DATABASES["default"], connection.settings_dict):
            d["CONN_MAX_AGE"] = None
        self.httpd = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def get(self, path, token):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        conn.request("GET", path, headers={"Authorization": f"Token {token}"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def stop(self):
        self.httpd.shutdown()
        # The server thread's persistent connection would keep the bench database open.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                           "datname = current_database() AND pid <> pg_backend_pid()")


def meet_trend_api(gemeenten, gebieden, n_requests):
    from rest_framework.authtoken.models import Token

    from core.models import Membership, Role, User
    from monitor.models import Indicator

    rng = random.Random(7)
    gekozen = rng.sample(list(gemeenten), min(3, len(gemeenten)))
    tokens, series = {}, []
    for g in gekozen:
        user = User.objects.create_user(username=f"bench-{g.slug}", password="x")
        Membership.objects.create(user=user, gemeente=g, role=Role.RAADSLID)
        tokens[g.pk] = Token.objects.create(user=user).key
        inds = list(Indicator.objects.filter(gemeente=g).values_list("pk", flat=True))
        gebied_ids = [b.pk for b in gebieden if b.gemeente_id == g.pk]
        for _ in range(n_requests // len(gekozen)):
            series.append((g, rng.choice(inds), rng.choice(gebied_ids + [None])))
    server = _Server()
    api, sql = [], []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for warm in (True, False):
            for g, indicator_id, gebied_id in series[: 20] if warm else series:
                path = f"/api/v1/reeksen/{indicator_id}/" + (
                    f"?gebied={gebied_id}" if gebied_id else "")
                start = time.perf_counter()
                status, body = server.get(path, tokens[g.pk])
                elapsed = time.perf_counter() - start
                assert status == 200, (status, body[:300])
                start = time.perf_counter()
                if gebied_id:
                    raw.execute("SELECT periode, waarde, teller, noemer, n, status, breuk, "
                                "indeling_jaar FROM monitor_reekswaarde WHERE indicator_id = %s "
                                "AND gemeente_id = %s AND gebied_id = %s ORDER BY periode",
                                (indicator_id, g.pk, gebied_id))
                else:
                    raw.execute("SELECT periode, waarde, teller, noemer, n, status, breuk, "
                                "indeling_jaar FROM monitor_reekswaarde WHERE indicator_id = %s "
                                "AND gemeente_id = %s AND regio_code = %s AND region_id IS NOT "
                                "NULL ORDER BY periode", (indicator_id, g.pk, g.cbs_code))
                rows = raw.fetchall()
                sql_elapsed = time.perf_counter() - start
                if not warm:
                    api.append(elapsed)
                    sql.append(sql_elapsed)
                    assert rows
        raw.execute("EXPLAIN SELECT periode, waarde FROM monitor_reekswaarde WHERE indicator_id "
                    "= %s AND gemeente_id = %s AND gebied_id = %s ORDER BY periode",
                    (series[0][1], series[0][0].pk, 1))
        plan = " / ".join(r[0].strip() for r in raw.fetchall())
    server.stop()
    a, s = summary_ms(api), summary_ms(sql)
    return {"name": "trend API (HTTP)", "requests": len(api), **a,
            "sql_p50_ms": s["p50_ms"], "sql_p95_ms": s["p95_ms"],
            "ratio_p50_to_sql": round(a["p50_ms"] / s["p50_ms"], 1), "goal_p95_ms": 30,
            "sql_plan": plan}


def measure_pages(ctx: dict) -> list[dict]:
    """p50/p95 of the gebied dashboard and the Klaverblad view through HTTP against the
    hand-written SQL (bench/monitor_pages.py), for a raadslid of three generated gemeenten,
    each given a Klaverblad whose doelen tag its indicators."""
    from monitor_pages import login_session, maak_klaverblad, measure_dashboard_pages

    from core.models import Membership, Role, User

    rng = random.Random(11)
    gekozen = rng.sample(list(ctx["gemeenten"]), min(3, len(ctx["gemeenten"])))
    user = User.objects.create_user(username="bench-pages", password=None)
    for g in gekozen:
        Membership.objects.create(user=user, gemeente=g, role=Role.RAADSLID)
        maak_klaverblad(g)
    targets = [(g, b) for g in gekozen for b in ctx["gebieden"] if b.gemeente_id == g.pk]
    server = _Server()
    try:
        return measure_dashboard_pages(f"http://127.0.0.1:{server.port}", login_session(user),
                                       targets, requests=ARGS.requests)
    finally:
        server.stop()


def main():
    n_gemeenten = max(1, round(GEMEENTEN * ARGS.scale))
    log(f"{DESCRIPTION}; scale {ARGS.scale}: {n_gemeenten} gemeenten, {ARGS.indicatoren} "
        f"indicators, {ARGS.jaren} years")
    try:
        gemeenten, structuur = bouw_regios(n_gemeenten)
        gebieden = bouw_indicatoren_en_gebieden(gemeenten, structuur, ARGS.indicatoren)
        with connection.cursor() as cursor:
            cursor.execute("SELECT soort, count(*) FROM regions_region WHERE jaar = %s "
                           "GROUP BY soort", [INDELING])
            aantallen = dict(cursor.fetchall())
        log(f"regions: {aantallen}")
        results = [meet_import(gemeenten, structuur, ARGS.indicatoren, ARGS.jaren),
                   meet_rollup()]
        if not ARGS.alleen_rollup:
            results.append(meet_trend_api(gemeenten, gebieden, ARGS.requests))
            results += measure_pages({"gemeenten": gemeenten, "gebieden": gebieden,
                                      "structuur": structuur})
        imp, rol = results[0], results[1]
        rows = [
            {"name": "import rows/s", "value": imp["import_rows_per_s"],
             "baseline": (f"COPY {imp['copy_rows_per_s']} (ratio {imp['ratio_to_copy']})"
                          if "copy_s" in imp else "not measured (--alleen-rollup)"),
             "goal": ">= 0.5 x COPY"},
            {"name": "rollup s, without complementary suppression",
             "value": rol["seconds_without_complementary"], "baseline": "",
             "goal": "< 60 s"},
            {"name": "rollup s, with complementary suppression", "value": rol["seconds"],
             "baseline": f"ratio to without {rol['ratio_to_without']}", "goal": "< 60 s"},
        ]
        if not ARGS.alleen_rollup:
            trend = results[2]
            rows.append({"name": "trend API p50/p95 ms",
                         "value": f"{trend['p50_ms']}/{trend['p95_ms']}",
                         "baseline": f"SQL {trend['sql_p50_ms']}/{trend['sql_p95_ms']}",
                         "goal": "p95 < 30 ms"})
            rows += [{"name": f"{r['name']} p50/p95 ms", "value": f"{r['p50_ms']}/{r['p95_ms']}",
                      "baseline": f"SQL {r['sql_p50_ms']}/{r['sql_p95_ms']}",
                      "goal": "p95 < 100 ms"} for r in results[3:]]
        print_table("Monitor at scale", [("name", "measure"), ("value", "value"),
                                         ("baseline", "baseline"), ("goal", "goal")], rows)
        binnen = rol["seconds"] < rol["goal_s"]
        log(f"national rollup goal (< {rol['goal_s']} s with complementary suppression): "
            f"{'met' if binnen else 'NOT met'} at scale {ARGS.scale}: {rol['seconds']} s "
            f"(without: {rol['seconds_without_complementary']} s, ratio "
            f"{rol['ratio_to_without']})")
        path = write_results("bench_monitor", DESCRIPTION, results, scale=ARGS.scale,
                             regions=aantallen, indicatoren_per_gemeente=ARGS.indicatoren,
                             jaren=ARGS.jaren)
        log(f"results: {path}")
    finally:
        if not ARGS.keep:
            CLEANUP()


if __name__ == "__main__":
    main()
