"""Benchmark: the sociale kaart at the scale of a large gemeente (issue 16).

A generator (tests/kaart/bulk.py) adds 50,000 aanbod at 2,000 organisaties (one locatie each,
spread over Groningen's buurten) to the demo, with search terms, levensdomeinen, Klaverblad
doelen and a current check date. Invented data, in a throw-away database. Measured in one run:

1. search, server time: the public search page (/groningen/sociale-kaart/) with text + age +
   wijk + levensdomein, rendered in-process (Django's test client: view, queries, template),
   p50/p95 over varied questions (goal p95 <= 50 ms), against the bare database query of the
   same page (the result page's SQL run on a cursor: the first page, and the count when
   there is more than one page) in the same run, and this process's CPU per page;
2. search through HTTP: the same URLs from 20 concurrent clients against the production
   server (`python -m opgroeien.serve`, granian) on the bench database (goal p95 <= 200 ms),
   with the same ratio and the server's CPU per request;
3. DUO import: a 6,000-row "alle vestigingen basisonderwijs" file as DUO writes it (its
   column layout, `;`, Windows-1252, leading zeros, postcodes with and without a space, blank
   fields holding a space, shared school names) through kaart.registers.importeer_bestand
   (goal <= 10 s), the same file again (nothing changes) and a newer file (moved, closed,
   new), each against a raw bulk insert of the same rows in the same run;
4. HSDS export: the full export (/api/hsds/groningen/export) of all services, consumed as a
   stream in a fresh child process: its peak RSS against the RSS before the export and the
   peak after the first 5,000 services (bounded memory: the peak does not grow with the
   number of services), services/s against reading the same rows without serialising them;
   then the export read again as a stream here, every service counted and every 20th
   validated against the compiled HSDS 3.0 schema.

Every part records the load average (the machine may be shared).

    .venv/bin/python bench/bench_kaart.py [--aanbod 50000] [--organisaties 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaart .venv/bin/python bench/bench_kaart.py
    .venv/bin/python bench/bench_kaart.py --only-search   # or --only-import, --only-export
Results: bench/results/bench_kaart.json (SQLite) or bench_kaart_postgresql.json; with
--only-search / --only-import / --only-export bench_kaart_search[_postgresql].json,
bench_kaart_import[...], bench_kaart_export[...]. Every measure records the load average
(os.getloadavg): the machine may be shared, and a p95 means little without it.
"""

import argparse
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parent.parent

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
PARSER.add_argument("--only-import", action="store_true",
                    help="only the DUO import (bench_kaart_import*.json)")
PARSER.add_argument("--only-export", action="store_true",
                    help="only the HSDS export over the generated kaart (bench_kaart_export*.json)")
PARSER.add_argument("--validate-every", type=int, default=20,
                    help="validate every n-th exported service against the HSDS schema (0: none)")
PARSER.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)


def proc_status_kb(field: str) -> int:
    """VmRSS (resident now) or VmHWM (peak resident so far) of this process, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the peak


def export_child():
    """Run in a fresh process on the bench database: stream the full export, report RSS: after
    Django's set-up, before the export (warmed up), the peak after the first EARLY services
    and at the end, and samples along the way. Bounded memory: the peak after 50,000 services
    is the peak after 5,000."""
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opgroeien.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    setup = proc_status_kb("VmRSS")
    client = Client()
    client.get("/api/hsds/groningen/")  # warm up: imports, translations, a connection
    before = proc_status_kb("VmHWM")
    early_n, early, samples, next_sample = 5_000, None, [], 5_000
    start = time.perf_counter()
    response = client.get("/api/hsds/groningen/export")
    size, services, chunks = 0, 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        chunks += 1
        services += chunk.count(b'"organization": {')
        if early is None and services >= early_n:
            early = proc_status_kb("VmHWM")
        if services >= next_sample:
            samples.append([services, round(proc_status_kb("VmRSS") / 1024, 1)])
            next_sample += 5_000
    elapsed = time.perf_counter() - start
    peak = proc_status_kb("VmHWM")
    # The floor measured in the same run: the same queries (services with their related rows,
    # chunk by chunk), read without turning them into HSDS.
    from core.models import Gemeente
    from kaart import hsds

    start = time.perf_counter()
    gelezen = sum(1 for _ in hsds.met_relaties(hsds.gepubliceerd(Gemeente.objects.get(
        slug="groningen"))).order_by("pk").iterator(chunk_size=500))
    read_s = time.perf_counter() - start
    print(json.dumps({"status": response.status_code, "bytes": size, "services": services,
                      "read_only_s": read_s, "read_only_services": gelezen,
                      "chunks": chunks, "seconds": elapsed, "rss_setup_kb": setup,
                      "rss_before_kb": before, "early_n": early_n,
                      "rss_peak_early_kb": early or peak, "rss_peak_kb": peak,
                      "rss_samples": samples}))


if "--export-child" in sys.argv:
    export_child()
    sys.exit(0)

ARGS = PARSER.parse_args()

from common import print_table, setup_django, summary_ms, write_results  # noqa: E402

DESCRIPTION, CLEANUP = setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
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
    """The SQL the result page runs for this question (kaart.selectors.EenQueryPaginator):
    the first page with one row more, and a COUNT only when that row is there. Without the
    cards' details."""
    form = ZoekForm(params, gemeente=GEMEENTE)
    qs = selectors.zoek(selectors.publiek_aanbod(GEMEENTE), GEMEENTE, zoekvraag(form))
    count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
    return (qs[:21].values_list("pk", "naam").query.sql_with_params(),
            (f"SELECT COUNT(*) FROM ({count_sql}) t", count_params))


def timed_bare(statements):
    (page_sql, page_params), (count_sql, count_params) = statements
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(page_sql, page_params)
        found = len(cursor.fetchall())
        if found > 20:
            cursor.execute(count_sql, count_params)
            found = cursor.fetchone()[0]
    return time.perf_counter() - start, found


def measure_server(qs_list):
    client = Client()
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(PATH, qs_list[0])  # warm up
    print(f"queries of one search page: {len(queries)}")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for q in queries:
            print(f"  {q['time']}  {q['sql'][:300]}")
    times, cpu, bare, hits = [], [], [], []
    for params in qs_list:
        start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get(PATH, params)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
        assert response.status_code == 200, response.status_code
        seconds, found = timed_bare(bare_sql(params))
        bare.append(seconds)
        hits.append(found)
    return times, cpu, bare, hits


def bench_database_url() -> str:
    """DATABASE_URL of the bench database, for a server in another process."""
    if connection.vendor == "sqlite":
        return os.environ["DATABASE_URL"]  # the temporary file common.setup_django made
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Server:
    """The production web server (`python -m opgroeien.serve`: granian, one worker process
    per core, each with 4 threads; DEBUG off; Redis as the cache when it runs) on the bench
    database, as bench_votes.py and finance_load.py serve it. Its CPU (all worker processes)
    is read from /proc."""

    def __init__(self):
        from bench_votes import _free_port, _redis_url, _static_up_to_date
        from common import wait_for_server

        self.port = _free_port()
        env = {**os.environ, "DATABASE_URL": bench_database_url(), "DEBUG": "0",
               "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": secrets.token_urlsafe(50),
               "SECURE_SSL_REDIRECT": "0", "CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR",
               # The cache of production (choice lists, gemeente and settings), when there.
               "REDIS_URL": _redis_url(),
               "GRANIAN_HOST": "127.0.0.1", "GRANIAN_PORT": str(self.port),
               "GRANIAN_LOG_LEVEL": "error"}
        if not _static_up_to_date():  # DEBUG off serves the manifest's hashed names
            subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                           cwd=REPO, env=env, check=True)
        if env["REDIS_URL"]:  # nothing cached from an earlier run's database
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        from opgroeien.serve import DEFAULTS

        setting = {k: os.environ.get(k, v) for k, v in DEFAULTS.items()}  # env overrides
        self.description = (f"granian wsgi {setting['GRANIAN_WORKERS']} workers x "
                            f"{setting['GRANIAN_BLOCKING_THREADS']} threads, cache "
                            f"{'redis' if env['REDIS_URL'] else 'locmem'}")
        self.process = subprocess.Popen([sys.executable, "-m", "opgroeien.serve"], cwd=REPO,
                                        env=env)
        wait_for_server(self.port, PATH)

    def cpu_seconds(self) -> float:
        from bench_votes import _children, _cpu_seconds

        # Every process of the tree once: granian's main process and its workers (the
        # workers' own children too, should there be any).
        pids, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            if pid not in pids:
                pids.append(pid)
                todo.extend(_children(pid))
        return _cpu_seconds(pids)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def measure_http(qs_list, clients, warmup):
    """`clients` threads, each with its own keep-alive connection, send the questions as fast
    as the server answers; first `warmup` untimed requests so every worker process and thread
    has loaded its templates, translations and database connection."""
    import http.client

    server = Server()
    times, errors, lock = [], [], threading.Lock()

    def run(jobs, record):
        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            while True:
                with lock:
                    if not jobs:
                        break
                    params = jobs.pop()
                start = time.perf_counter()
                conn.request("GET", f"{PATH}?{urlencode(params)}")
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - start
                if record:
                    with lock:
                        times.append(elapsed)
                        if response.status != 200:
                            errors.append(response.status)
            conn.close()

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    try:
        run(vragen(warmup, seed=5), record=False)
        cpu_before = server.cpu_seconds()
        start = time.perf_counter()
        run(list(qs_list), record=True)
        wall = time.perf_counter() - start
        cpu = server.cpu_seconds() - cpu_before
    finally:
        server.stop()
    return times, errors, wall, cpu, server.description


# DUO import ---------------------------------------------------------------------------------

DUO_KOP = ("PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;"
           "STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;"
           "DENOMINATIE;TELEFOONNUMMER;INTERNETADRES;ONDERWIJSSTRUCTUUR;"
           "STRAATNAAM CORRESPONDENTIEADRES;HUISNUMMER-TOEVOEGING CORRESPONDENTIEADRES;"
           "POSTCODE CORRESPONDENTIEADRES;PLAATSNAAM CORRESPONDENTIEADRES;NODAAL GEBIED CODE;"
           "NODAAL GEBIED NAAM;RPA-GEBIED CODE;RPA-GEBIED NAAM;WGR-GEBIED CODE;WGR-GEBIED NAAM;"
           "COROPGEBIED CODE;COROPGEBIED NAAM;RMC-REGIO CODE;RMC-REGIO NAAM")
DUO_NAMEN = ["OBS De Vlinder", "CBS Het Fundament", "Sint-Jozefschool", "’t Zonnewiel",
             "Daltonschool De Kiëm", "OBS Tjaskerhiem", "Jenaplanschool ’t Gruinhoes",
             "Montessorischool Café-Noord", "De Regenboog", "IKC Oosterhoogebrug"]
DUO_DENOMINATIE = ["Openbaar", "Rooms-Katholiek", "Protestants-Christelijk",
                   "Algemeen bijzonder", "Samenwerking PC, RK"]


def duo_rij(i: int, *, variant: int = 0) -> str:
    """One row of DUO's "alle vestigingen basisonderwijs" as DUO writes it: `;`, no quotes,
    codes with letters, GEMEENTENUMMER with leading zeros, postcodes with and without a space,
    blank fields that hold a space, Windows-1252 text. `variant` > 0: the school moved."""
    brin = f"{i // 676 % 100:02d}{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
    naam = DUO_NAMEN[i % len(DUO_NAMEN)]
    if i % 20:  # one in twenty shares its name with other schools
        naam = f"{naam} {i + 1}"
    postcode = f"97{i % 100:02d}{' ' if i % 2 else ''}{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}"
    telefoon = f"050-{5000000 + i}" if i % 7 else " "
    website = f"www.school{i}.example" if i % 5 else " "
    return ";".join([
        "Groningen", f"{40000 + i // 3}", brin, f"{brin}{i // 67600:02d}", naam,
        "Burgemeester Müllerstraat" if i % 3 else "Hoofdweg", f"{i % 200 + 1 + variant}"
        + (" a" if i % 11 == 0 else ""), postcode, "GRONINGEN", "0014", "GRONINGEN",
        DUO_DENOMINATIE[i % len(DUO_DENOMINATIE)], telefoon, website, "PO/SO", "Postbus",
        f"{i % 900 + 1}", "9700 AA", "GRONINGEN", "01", "Groningen", "01", "Groningen",
        "01", "Groningen", "CR01", "Oost-Groningen", "RM01", "Groningen"])


def duo_file(rows: int, *, nieuwer: bool = False) -> bytes:
    """The file in Windows-1252 with CRLF. `nieuwer`: a later file of the same schools where
    one in ten moved, one in twenty is gone (closed) and one in twenty is new."""
    lines = [DUO_KOP]
    for i in range(rows):
        if nieuwer and i % 20 == 7:
            continue
        lines.append(duo_rij(i, variant=1 if nieuwer and i % 10 == 3 else 0))
    if nieuwer:
        lines += [duo_rij(rows + i) for i in range(rows // 20)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def load():
    return [round(x, 2) for x in os.getloadavg()]


def raw_bulk_insert(data: bytes) -> float:
    """The floor any import must pay, measured in the same run: read the same file and
    bulk-insert its organisaties and inschrijvingen (no diff, no audit), rolled back."""
    from django.db import transaction

    from network.models import Organisatie

    start = time.perf_counter()
    with transaction.atomic():
        rijen, _codering = registers.lees(GEMEENTE, Registerinschrijving.Register.DUO,
                                          "vestigingen.csv", data)
        orgs = Organisatie.objects.bulk_create([
            Organisatie(gemeente=GEMEENTE, naam=f"{g['naam']} ({code})", type=g["type"],
                        adres=g["adres"], telefoon=g["telefoon"], website=g["website"])
            for code, g in rijen], batch_size=1000)
        Registerinschrijving.objects.bulk_create([
            Registerinschrijving(gemeente=GEMEENTE, register="duo", code=code, organisatie=o,
                                 gegevens=g) for (code, g), o in zip(rijen, orgs, strict=True)],
            batch_size=1000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def measure_import(rows: int) -> list[dict]:
    """DUO import of a `rows`-row file: first time (all new), the same file again (nothing
    changes), a newer file (moved, closed, new); against the raw bulk insert."""
    from core.models import AuditEntry

    data, nieuwer = duo_file(rows), duo_file(rows, nieuwer=True)
    print(f"DUO file: {len(data) / 2**20:.1f} MB, {rows} rows, Windows-1252")
    raw_s = raw_bulk_insert(data)

    def run(payload):
        start = time.perf_counter()
        resultaat = registers.importeer_bestand(None, GEMEENTE, Registerinschrijving.Register.DUO,
                                                "vestigingen.csv", payload,
                                                check_permission=False)
        return time.perf_counter() - start, resultaat

    audit_before = AuditEntry.objects.count()
    load_before = load()
    eerste_s, eerste = run(data)
    audit_eerste = AuditEntry.objects.count() - audit_before
    tweede_s, tweede = run(data)
    nieuwer_s, derde = run(nieuwer)
    verwacht = (f"aangemaakt {rows // 20}, bijgewerkt {sum(i % 10 == 3 for i in range(rows))}, "
                f"gesloten {sum(i % 20 == 7 for i in range(rows))}, ongewijzigd "
                f"{sum(i % 10 != 3 and i % 20 != 7 for i in range(rows))}")
    return [{"measure": f"DUO import, {rows} rows (Windows-1252)", "seconds": round(eerste_s, 2),
             "rows_per_s": round(rows / eerste_s), "result": eerste.regel(),
             "codering": eerste.codering, "audit_entries": audit_eerste,
             "raw_bulk_insert_s": round(raw_s, 2), "ratio_to_raw": round(eerste_s / raw_s, 2),
             "load_before": load_before, "load_after": load(),
             "goal": "<= 10 s", "ok": eerste_s <= 10 and eerste.aangemaakt == rows},
            {"measure": "DUO import, the same file again", "seconds": round(tweede_s, 2),
             "result": tweede.regel(), "ratio_to_raw": round(tweede_s / raw_s, 2),
             "ok": tweede.ongewijzigd == rows and tweede.aangemaakt == tweede.bijgewerkt
             == tweede.gesloten == 0},
            {"measure": "DUO import, a newer file (moved, closed, new)",
             "seconds": round(nieuwer_s, 2), "result": derde.regel(), "expected": verwacht,
             "ratio_to_raw": round(nieuwer_s / raw_s, 2), "load_after": load(),
             "ok": derde.regel() == verwacht}]


# HSDS export --------------------------------------------------------------------------------

def measure_export(validate_every: int) -> dict:
    """The full export streamed in a fresh child process (its RSS, see export_child), then
    the same export read here item by item: every service counted, every n-th validated
    against the compiled HSDS 3.0 schema (format checker on)."""
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
                               f"{s['PORT'] or 5432}/{s['NAME']}")
    load_before = load()
    connection.close()  # SQLite: let the child read a file nobody writes
    out = subprocess.run([sys.executable, __file__, "--export-child"], env=env,
                         capture_output=True, text=True, check=True)
    child = json.loads(out.stdout.strip().splitlines()[-1])
    load_after = load()
    total, checked, invalid = validate_export(validate_every)
    return {"measure": "HSDS full export, streamed", "services": total,
            "services_counted_in_child": child["services"],
            "seconds": round(child["seconds"], 1),
            "services_per_s": round(child["services"] / child["seconds"]),
            "read_only_s": round(child["read_only_s"], 1),
            "ratio_to_read_only": round(child["seconds"] / child["read_only_s"], 2),
            "mb": round(child["bytes"] / 2**20, 1), "chunks": child["chunks"],
            "rss_setup_mb": round(child["rss_setup_kb"] / 1024, 1),
            "rss_before_mb": round(child["rss_before_kb"] / 1024, 1),
            "rss_peak_mb": round(child["rss_peak_kb"] / 1024, 1),
            "rss_growth_mb": round((child["rss_peak_kb"] - child["rss_before_kb"]) / 1024, 1),
            f"rss_peak_after_{child['early_n']}_mb": round(child["rss_peak_early_kb"] / 1024, 1),
            "rss_samples_mb": child["rss_samples"],
            "validated": checked, "invalid": invalid, "load_before": load_before,
            "load_after": load_after,
            "ok": child["status"] == 200 and total == child["services"]
            == child["read_only_services"] and not invalid}


def validate_export(every: int) -> tuple[int, int, int]:
    """Read the export of this process as a stream of services (incremental JSON decoding, so
    the whole file is never held) and validate every `every`-th one."""
    from tests.kaart.hsds_schema import validator

    client = Client()
    response = client.get("/api/hsds/groningen/export")
    decoder = json.JSONDecoder()
    buffer, total, checked, invalid, started = "", 0, 0, 0, False
    for chunk in response.streaming_content:
        buffer += chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk
        if not started:
            if '"services": [' not in buffer:
                continue
            buffer = buffer.split('"services": [', 1)[1]
            started = True
        while True:
            buffer = buffer.lstrip(", \n")
            if not buffer or buffer[0] != "{":
                break
            try:
                item, end = decoder.raw_decode(buffer)
            except json.JSONDecodeError:
                break  # the rest of this service is in the next chunk
            buffer = buffer[end:]
            total += 1
            if every and total % every == 1:
                checked += 1
                invalid += any(True for _ in validator("service").iter_errors(item))
    assert buffer.strip() == "]}", buffer[:200]
    return total, checked, invalid


def import_export_only(vendor):
    """--only-import / --only-export: the DUO import (no generated kaart needed) or the HSDS
    export (over the generated kaart) alone, in their own results file."""
    results, extra = [], {}
    if ARGS.only_import:
        results += measure_import(ARGS.duo_rows)
    if ARGS.only_export:
        start = time.perf_counter()
        vul(GEMEENTE, aanbod=ARGS.aanbod, organisaties=ARGS.organisaties)
        extra = {"aanbod": ARGS.aanbod, "organisaties": ARGS.organisaties,
                 "generate_s": round(time.perf_counter() - start, 1)}
        print(f"generated {ARGS.aanbod} aanbod in {extra['generate_s']} s")
        results.append(measure_export(ARGS.validate_every))
    for r in results:
        print(json.dumps(r, ensure_ascii=False))
    deel = "_".join(d for d, on in (("import", ARGS.only_import), ("export", ARGS.only_export))
                    if on)
    name = f"bench_kaart_{deel}" + ("" if vendor == "sqlite" else f"_{vendor}")
    path = write_results(name, DESCRIPTION, results, load_end=load(), **extra)
    print(f"written: {path}")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure_search() -> list[dict]:
    """1 and 2: server time in-process and HTTP at ARGS.clients, each with the ratio of its
    p95 to the p95 of the bare database query (the page's own SQL on a cursor)."""
    results = []
    load_before = load_average()
    times, cpu, bare, hits = measure_server(vragen(ARGS.requests))
    server = summary_ms(times)
    cpu_s = summary_ms(cpu)
    bare_s = summary_ms(bare)
    results.append({"measure": "search, server time", **server,
                    "bare_p50_ms": bare_s["p50_ms"], "bare_p95_ms": bare_s["p95_ms"],
                    "ratio_p95": round(server["p95_ms"] / bare_s["p95_ms"], 2),
                    "mean_results": round(sum(hits) / len(hits), 1),
                    # This process's CPU per page (Python, and SQLite's work, which runs in
                    # it; not PostgreSQL's): what the code costs, whatever the neighbours do.
                    "cpu_p50_ms": cpu_s["p50_ms"], "cpu_p95_ms": cpu_s["p95_ms"],
                    "load_average_before": load_before, "load_average_after": load_average(),
                    "goal": "p95 <= 50 ms", "ok": server["p95_ms"] <= 50})

    load_before = load_average()
    http_times, errors, wall, cpu, served_by = measure_http(
        vragen(ARGS.http_requests, seed=11), ARGS.clients, warmup=4 * ARGS.clients)
    http = summary_ms(http_times)
    results.append({"measure": f"search through HTTP, {ARGS.clients} clients", **http,
                    "bare_p95_ms": bare_s["p95_ms"],
                    "ratio_p95": round(http["p95_ms"] / bare_s["p95_ms"], 2),
                    "requests": len(http_times), "errors": len(errors),
                    "requests_per_s": round(len(http_times) / wall, 1),
                    "server": served_by,
                    "server_cpu_ms_per_request": round(cpu * 1000 / len(http_times), 2),
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
    if ARGS.only_import or ARGS.only_export:
        return import_export_only(vendor)
    start = time.perf_counter()
    kaart = vul(GEMEENTE, aanbod=ARGS.aanbod, organisaties=ARGS.organisaties)
    gen_s = time.perf_counter() - start
    print(f"generated {len(kaart.rijen)} aanbod at {ARGS.organisaties} organisaties "
          f"in {gen_s:.1f} s")
    with connection.cursor() as cursor:
        # Fresh statistics for the planner, and on PostgreSQL the visibility map, as
        # autovacuum leaves a table after a bulk insert (since PostgreSQL 13 inserts alone
        # trigger a vacuum). Without it every index-only scan (the covering link indexes of
        # the wijk and levensdomein filters) still visits the heap, and the planner scans the
        # whole link table instead: twice the database's CPU per search.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    results = []

    results.extend(measure_search())

    if ARGS.only_search:
        return report(vendor, results, gen_s)

    results += measure_import(ARGS.duo_rows)
    results.append(measure_export(ARGS.validate_every))

    report(vendor, results, gen_s)


try:
    main()
finally:
    CLEANUP()
