"""Benchmark: the sociale kaart at the scale of a large gemeente (issue 16).

A generator (tests/kaart/bulk.py) adds 50,000 aanbod at 2,000 organisaties (one locatie each,
spread over Groningen's buurten) to the demo, with search terms, levensdomeinen, Klaverblad
doelen and a current check date. Invented data, in a throw-away database. Measured in one run:

1. search, server time: the public search page (/groningen/sociale-kaart/) with text + age +
   wijk + levensdomein, rendered in-process (Django's test client: view, queries, template),
   p50/p95 over varied questions (goal p95 <= 50 ms), against the bare database query of the
   same page (the result page's SQL run on a cursor: count and first page) in the same run;
2. search through HTTP: the same URLs from 20 concurrent clients against a threaded WSGI
   server in this process (goal p95 <= 200 ms), with the same ratio;
3. DUO import: a 6,000-row "alle vestigingen basisonderwijs" file (new header generation, `;`,
   UTF-8 with BOM) through kaart.registers.importeer_bestand (goal <= 10 s), and the same file
   again (idempotent: nothing changes);
4. HSDS export: the full export (/api/hsds/groningen/export) of all services, consumed as a
   stream in a fresh child process, with its peak RSS against the child's RSS before the
   export (bounded memory: the peak must not grow with the number of services).

    .venv/bin/python bench/bench_kaart.py [--aanbod 50000] [--organisaties 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaart .venv/bin/python bench/bench_kaart.py
    .venv/bin/python bench/bench_kaart.py --only-search
Results: bench/results/bench_kaart.json (SQLite) or bench_kaart_postgresql.json; with
--only-search bench_kaart_search.json or bench_kaart_search_postgresql.json. Every search
measure records the load average (os.getloadavg) before and after it: the machine may be
shared, and a p95 means little without it.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

PARSER = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
PARSER.add_argument("--aanbod", type=int, default=50_000)
PARSER.add_argument("--organisaties", type=int, default=2_000)
PARSER.add_argument("--requests", type=int, default=200, help="server-time samples")
PARSER.add_argument("--http-requests", type=int, default=400, help="HTTP requests in total")
PARSER.add_argument("--clients", type=int, default=20)
PARSER.add_argument("--duo-rows", type=int, default=6_000)
PARSER.add_argument("--only-search", action="store_true",
                    help="only the search measurements (1 and 2); results in "
                         "bench_kaart_search[_postgresql].json")
PARSER.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)


def export_child():
    """Run in a fresh process on the bench database: stream the full export, report RSS."""
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opgroeien.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.get("/api/hsds/groningen/")  # warm up: imports, translations, a connection
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    response = client.get("/api/hsds/groningen/export")
    size, services = 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        services += chunk.count(b'"service_at_locations"')
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"status": response.status_code, "bytes": size, "services": services,
                      "seconds": elapsed, "rss_before_kb": before, "rss_peak_kb": peak}))


if "--export-child" in sys.argv:
    export_child()
    sys.exit(0)

ARGS = PARSER.parse_args()

from common import print_table, setup_django, summary_ms, write_results  # noqa: E402

DESCRIPTION, CLEANUP = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Window  # noqa: E402
from django.test import Client  # noqa: E402

from core.models import Gemeente  # noqa: E402
from kaart import registers, selectors  # noqa: E402
from kaart.forms import ZoekForm  # noqa: E402
from kaart.models import Registerinschrijving  # noqa: E402
from kaart.views import zoekvraag  # noqa: E402
from regions.models import Region  # noqa: E402
from tests.kaart.bulk import ACTIVITEITEN, DOMEINEN, vul  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
GEMEENTE = Gemeente.objects.get(slug="groningen")


def vragen(n, seed=7):
    """Varied questions: a word, an age, a wijk with buurten, a levensdomein."""
    rnd = random.Random(seed)
    jaar = Region.objects.filter(gemeente=GEMEENTE, soort=Region.Soort.WIJK).order_by(
        "-jaar").values_list("jaar", flat=True).first()
    wijken = list(Region.objects.filter(gemeente=GEMEENTE, soort=Region.Soort.WIJK, jaar=jaar,
                                        children__isnull=False).distinct())
    result = []
    for _ in range(n):
        naam = ACTIVITEITEN[rnd.randrange(len(ACTIVITEITEN))][0]
        result.append({"q": naam[: rnd.choice([5, 7, len(naam)])].lower(),
                       "leeftijd": rnd.randrange(0, 18),
                       "regio": rnd.choice(wijken).pk, "domein": _domein(rnd)})
    return result


def _domein(rnd):
    return rnd.choice(DOMEINEN)


PATH = "/groningen/sociale-kaart/"


def bare_sql(params):
    """The SQL the result page runs for this question: the first page with the number of
    matches in the same statement (kaart.selectors.EenQueryPaginator), without the cards'
    details."""
    form = ZoekForm(params, gemeente=GEMEENTE)
    qs = selectors.zoek(selectors.publiek_aanbod(GEMEENTE), GEMEENTE, zoekvraag(form))
    return [qs.annotate(totaal=Window(Count("pk")))[:20].values_list(
        "pk", "naam", "totaal").query.sql_with_params()]


def timed_bare(statements):
    start = time.perf_counter()
    rows = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows.append(cursor.fetchall())
    return time.perf_counter() - start, rows[0][0][2] if rows[0] else 0


def measure_server(qs_list):
    client = Client()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(PATH, qs_list[0])  # warm up
    print(f"queries of one search page: {len(queries)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in queries:
            print(f"  {q['time']}  {q['sql'][:300]}")
    times, bare, hits = [], [], []
    for params in qs_list:
        start = time.perf_counter()
        response = client.get(PATH, params)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        seconds, found = timed_bare(bare_sql(params))
        bare.append(seconds)
        hits.append(found)
    return times, bare, hits


class Server:
    """A threaded WSGI server in this process, one database connection per thread."""

    def __init__(self):
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        class Threaded(ThreadingMixIn, WSGIServer):
            daemon_threads = True
            request_queue_size = 64

        self.httpd = make_server("127.0.0.1", 0, get_wsgi_application(),
                                 server_class=Threaded, handler_class=Quiet)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def measure_http(qs_list, clients):
    import http.client

    server = Server()
    times, errors, lock = [], [], threading.Lock()
    jobs = list(qs_list)

    def worker():  # wsgiref speaks HTTP/1.0: one connection per request
        while True:
            with lock:
                if not jobs:
                    break
                params = jobs.pop()
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            conn.request("GET", f"{PATH}?{urlencode(params)}")
            response = conn.getresponse()
            response.read()
            conn.close()
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if response.status != 200:
                    errors.append(response.status)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    server.stop()
    return times, errors, wall


def duo_file(rows: int) -> bytes:
    lines = ["INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;"
             "POSTCODE;PLAATSNAAM;GEMEENTENUMMER;TELEFOONNUMMER;INTERNETADRES"]
    for i in range(rows):
        brin = f"{i // 10:03d}{chr(65 + i % 26)}"
        lines.append(f"{brin};{brin}{i % 10:02d};Basisschool Bench {i + 1};Schoolstraat;"
                     f"{i % 200 + 1};97{i % 100:02d} {chr(65 + i % 26)}{chr(65 + i // 26 % 26)};"
                     f"GRONINGEN;0014;050{i:07d};www.school{i}.example")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def measure_export():
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
                               f"{s['PORT'] or 5432}/{s['NAME']}")
    connection.close()  # SQLite: let the child read a file nobody writes
    out = subprocess.run([sys.executable, __file__, "--export-child"], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure_search() -> list[dict]:
    """1 and 2: server time in-process and HTTP at ARGS.clients, each with the ratio of its
    p95 to the p95 of the bare database query (the page's own SQL on a cursor)."""
    results = []
    load_before = load_average()
    times, bare, hits = measure_server(vragen(ARGS.requests))
    server = summary_ms(times)
    bare_s = summary_ms(bare)
    results.append({"measure": "search, server time", **server,
                    "bare_p50_ms": bare_s["p50_ms"], "bare_p95_ms": bare_s["p95_ms"],
                    "ratio_p95": round(server["p95_ms"] / bare_s["p95_ms"], 2),
                    "mean_results": round(sum(hits) / len(hits), 1),
                    "load_average_before": load_before, "load_average_after": load_average(),
                    "goal": "p95 <= 50 ms", "ok": server["p95_ms"] <= 50})

    load_before = load_average()
    http_times, errors, wall = measure_http(vragen(ARGS.http_requests, seed=11), ARGS.clients)
    http = summary_ms(http_times)
    results.append({"measure": f"search through HTTP, {ARGS.clients} clients", **http,
                    "bare_p95_ms": bare_s["p95_ms"],
                    "ratio_p95": round(http["p95_ms"] / bare_s["p95_ms"], 2),
                    "requests": len(http_times), "errors": len(errors),
                    "requests_per_s": round(len(http_times) / wall, 1),
                    "load_average_before": load_before, "load_average_after": load_average(),
                    "goal": "p95 <= 200 ms", "ok": http["p95_ms"] <= 200 and not errors})
    return results


def report(vendor, results, gen_s):
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    print_table("search (ms)", [("measure", "measure"), ("p50_ms", "p50"), ("p95_ms", "p95"),
                                ("bare_p95_ms", "bare p95"), ("ratio_p95", "ratio")],
                results[:2])
    print(f"load average (1, 5, 15 min) now: {load_average()}")
    name = "bench_kaart" + ("_search" if ARGS.only_search else "")
    if vendor != "sqlite":
        name += f"_{vendor}"
    path = write_results(name, DESCRIPTION, results, aanbod=ARGS.aanbod,
                         organisaties=ARGS.organisaties, generate_s=round(gen_s, 1),
                         load_average=load_average())
    print(f"written: {path}")


def main():
    vendor = connection.vendor
    print(f"database: {DESCRIPTION}")
    start = time.perf_counter()
    kaart = vul(GEMEENTE, aanbod=ARGS.aanbod, organisaties=ARGS.organisaties)
    gen_s = time.perf_counter() - start
    print(f"generated {len(kaart.rijen)} aanbod at {ARGS.organisaties} organisaties "
          f"in {gen_s:.1f} s")
    with connection.cursor() as cursor:  # fresh statistics for the planner, as autovacuum would
        cursor.execute("ANALYZE")
    results = []

    results.extend(measure_search())

    if ARGS.only_search:
        return report(vendor, results, gen_s)

    data = duo_file(ARGS.duo_rows)
    start = time.perf_counter()
    eerste = registers.importeer_bestand(None, GEMEENTE, Registerinschrijving.Register.DUO,
                                         "vestigingen.csv", data, check_permission=False)
    duo_s = time.perf_counter() - start
    start = time.perf_counter()
    tweede = registers.importeer_bestand(None, GEMEENTE, Registerinschrijving.Register.DUO,
                                         "vestigingen.csv", data, check_permission=False)
    again_s = time.perf_counter() - start
    results.append({"measure": f"DUO import, {ARGS.duo_rows} rows", "seconds": round(duo_s, 2),
                    "rows_per_s": round(ARGS.duo_rows / duo_s), "result": eerste.regel(),
                    "same_file_again_s": round(again_s, 2), "again": tweede.regel(),
                    "goal": "<= 10 s", "ok": duo_s <= 10 and tweede.ongewijzigd ==
                    ARGS.duo_rows})

    export = measure_export()
    results.append({"measure": "HSDS full export, streamed", "services": export["services"],
                    "seconds": round(export["seconds"], 1), "mb": round(export["bytes"] / 2**20,
                                                                       1),
                    "rss_before_mb": round(export["rss_before_kb"] / 1024, 1),
                    "rss_peak_mb": round(export["rss_peak_kb"] / 1024, 1),
                    "rss_growth_mb": round((export["rss_peak_kb"] - export["rss_before_kb"])
                                           / 1024, 1),
                    "ok": export["status"] == 200})

    report(vendor, results, gen_s)


try:
    main()
finally:
    CLEANUP()
