"""Votes per second through the real HTTP vote endpoint, on PostgreSQL, over loopback.

Set-up: a fresh database with the demo (bench/common.py), an election in its voting window with
five candidates and enough single-use codes. The production server, `python -m opgroeien.serve`
(granian, WSGI; one worker per core x 4 threads; --workers/--threads override them),
DEBUG off, persistent database connections (CONN_MAX_AGE=60), Redis for the cache when it is
reachable, serves the project on 127.0.0.1; C concurrent clients (keep-alive connections, all
driven by one selector loop in this process with pre-built request templates, so the client
costs little of the two cores it shares with the server and PostgreSQL) each fetch the ballot
once for the CSRF cookie, then post `step=bevestig` with a fresh code and a candidate, as the
confirmation screen does. Every tenth post re-sends a code that was already accepted: it must
be refused. The run is bounded by a number of votes and a time limit. CPU per request of
server, PostgreSQL backends and client is measured from /proc: on a shared machine it says more
than the rate.

Afterwards an exact reconciliation: ballots in the database = accepted votes, each accepted code
spent once, no ballot without an accepted vote (zero lost, zero double), refusals = re-sends.

Baselines in the same run, on the same database, for the same number of rows, serially from one
connection: (1) raw SQL, per vote the conditional UPDATE of the code and the vote into its
ballot box in one transaction, `ratio = http_votes_per_s / sql_votes_per_s`; (2) the endpoint's own
one statement (stembus.SQL_PG), `ratio_http_to_one_statement`.

    .venv/bin/python bench/bench_votes.py [--clients 32] [--votes 6000] [--seconds 60]

Measured on the 2-core development machine, 23 Nov 2026 (evening), quiet, 32 clients: 6,000
votes 650.7 votes/s, 12,000 votes 662.2 votes/s (p99 91-97 ms; server 1.93-1.95 ms,
PostgreSQL 0.55-0.57 ms, client 0.11 ms CPU per request); at a slower moment of the same host
(client 0.12-0.14 ms) 494-575 votes/s. Reconciliation exact in every run. Details, and how it
got there from 264-314 votes/s: docs/participation-voting.md.

Needs PostgreSQL: DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres when that
answers; otherwise it says so and exits 0.
"""

import argparse
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

NAME = "bench_votes"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def _pg_reachable(url):
    import psycopg

    try:
        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001
        return False


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_url():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/15"
    except OSError:
        return ""


def _static_up_to_date():
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if os.path.getmtime(storage.path(path)) > built:
                return False
    return True


def _cpu_seconds(pids):
    """user + system CPU seconds of these processes (Linux /proc); 0 for ones that are gone."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


# --- client: one process, non-blocking keep-alive connections, pre-built request bytes -------
# It shares the two cores with the server and PostgreSQL, so it must cost as little as
# possible: no HTTP library, no thread per connection, every request built before the clock
# starts.

REFUSED = b"Met deze code is al gestemd"


def _prepare(port, path, clients):
    """One keep-alive connection per client, each with its own CSRF cookie and token (a GET of
    the ballot, as a browser would)."""
    conns = []
    for _ in range(clients):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path)
        response = c.getresponse()
        body = response.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "")).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        conns.append((c, path, port, cookie, token))
    return conns


def _templates(path, port, cookie, token):
    """(head, body) byte templates of one connection's POST: only code and candidate vary."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: %d\r\nCookie: csrftoken={cookie}\r\n\r\n").encode()
    body = urlencode({"csrfmiddlewaretoken": token, "step": "bevestig"}).encode()
    return head, body + b"&code=%s&kandidaat=%d"


def _load(conns, jobs, deadline):
    """Drive all connections with a selector until the jobs run out or the deadline passes.
    jobs[i] = (code, kandidaat id, is_resend). Returns rows (job, status, refused, seconds)."""
    import selectors

    sel = selectors.DefaultSelector()
    state = {}
    templates = [_templates(*args) for _c, *args in conns]
    next_job = 0
    rows = []

    def send(i):
        nonlocal next_job
        if next_job >= len(jobs) or time.time() >= deadline:
            return False
        job = jobs[next_job]
        next_job += 1
        head, body = templates[i]
        body = body % (job[0].encode(), job[1])
        state[i] = [job, bytearray(), time.perf_counter()]
        conns[i][0].sock.sendall(head % len(body) + body)
        return True

    for i, (c, *_rest) in enumerate(conns):
        c.sock.setblocking(False)
        sel.register(c.sock, selectors.EVENT_READ, i)
        if not send(i):
            sel.unregister(c.sock)
    while sel.get_map():
        for key, _ev in sel.select(timeout=5):
            i = key.data
            buf = state[i][1]
            chunk = key.fileobj.recv(65536)
            if not chunk:
                raise RuntimeError("server closed a keep-alive connection")
            buf += chunk
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                continue
            head = bytes(buf[:end]).lower()
            m = re.search(rb"content-length: *(\d+)", head)
            if not m:
                raise RuntimeError(f"no Content-Length: {head[:200]!r}")
            if len(buf) < end + 4 + int(m.group(1)):
                continue
            elapsed = time.perf_counter() - state[i][2]
            status = int(head[9:12])
            body = bytes(buf[end + 4:])
            rows.append((state[i][0], status, status == 200 and REFUSED in body, elapsed))
            if not send(i):
                sel.unregister(key.fileobj)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--votes", type=int, default=6000)
    parser.add_argument("--seconds", type=float, default=60)
    # Default: what opgroeien/serve.py (the production settings) says on this machine.
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args(argv)

    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres") or not _pg_reachable(url):
        print(f"{NAME}: skipped, needs PostgreSQL (DATABASE_URL or {DEFAULT_PG}).")
        return 0
    os.environ["DATABASE_URL"] = url
    from common import (
        percentile,
        print_table,
        setup_django,
        summary_ms,
        write_results,
    )

    t0 = time.perf_counter()
    database, cleanup = setup_django()
    print(f"fresh database with the demo in {time.perf_counter() - t0:.0f} s")
    try:
        return _run(args, database, percentile, print_table, summary_ms, write_results)
    finally:
        cleanup()


def _run(args, database, percentile, print_table, summary_ms, write_results):
    import datetime

    from common import wait_for_server
    from django.db import connection
    from django.utils import timezone

    from core.models import Gemeente
    from network.models import Organisatie
    from participation import services, stembus
    from participation.models import Aanmelding, Kandidaat, Stembus, Stemcode, Verkiezing

    gemeente = Gemeente.objects.get(slug="groningen")
    school = Organisatie.objects.filter(gemeente=gemeente, type="basisschool").first()
    now = timezone.now()
    today = timezone.localdate()

    def election(jaar):
        v = Verkiezing.objects.create(
            gemeente=gemeente, jaar=jaar, aanmelding_start=today - datetime.timedelta(days=60),
            aanmelding_eind=today - datetime.timedelta(days=40),
            jury_eind=today - datetime.timedelta(days=20),
            stemmen_start=now - datetime.timedelta(hours=1),
            stemmen_eind=now + datetime.timedelta(hours=6),
            uitslag_datum=today + datetime.timedelta(days=1),
            installatie_datum=datetime.date(jaar, 9, 22))
        ks = []
        for n in range(1, 6):
            a = Aanmelding.objects.create(
                gemeente=gemeente, verkiezing=v, voornaam=f"Kandidaat {n}", achternaam="B",
                groep=7, school=school, motivatie="-", ouder_toestemming=True,
                status="kandidaat")
            ks.append(Kandidaat.objects.create(gemeente=gemeente, verkiezing=v, aanmelding=a,
                                               nummer=n))
        return v, ks

    n_votes = args.votes
    v, kandidaten = election(2090)
    t0 = time.perf_counter()
    _r, codes = services.maak_stemcodes(None, v, kanaal="school", aantal=min(n_votes, 1000),
                                        school=school, omschrijving="bench",
                                        check_permission=False)
    while len(codes) < n_votes:
        _r, more = services.maak_stemcodes(None, v, kanaal="brief",
                                           aantal=min(1000, n_votes - len(codes)),
                                           omschrijving="bench", check_permission=False)
        codes += more
    print(f"{n_votes} codes generated in {time.perf_counter() - t0:.1f} s")

    # --- the server ---
    port = _free_port()
    settings_dict = connection.settings_dict
    db_url = (f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
              f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")
    env = {**os.environ, "DATABASE_URL": db_url, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "SECRET_KEY": secrets.token_urlsafe(50), "SECURE_SSL_REDIRECT": "0",
           "REDIS_URL": _redis_url(), "CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR",
           "PARTICIPATION_CODE_FAILURES": "100000/m"}
    # DEBUG off serves hashed static file names from the manifest: collect them first (var/),
    # unless the manifest is newer than every static source (compressing takes ~1.5 min).
    if not _static_up_to_date():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=REPO, env=env, check=True)
    # The production server and its settings (opgroeien/serve.py), bound to loopback.
    from opgroeien.serve import DEFAULTS

    workers = args.workers or int(DEFAULTS["GRANIAN_WORKERS"])
    threads = args.threads or int(DEFAULTS["GRANIAN_BLOCKING_THREADS"])
    env.update(GRANIAN_HOST="127.0.0.1", GRANIAN_PORT=str(port), GRANIAN_WORKERS=str(workers),
               GRANIAN_BLOCKING_THREADS=str(threads), GRANIAN_LOG_LEVEL="error")
    cmd = [sys.executable, "-m", "opgroeien.serve"]
    server = subprocess.Popen(cmd, cwd=REPO, env=env)
    path = f"/groningen/kinderburgemeester/{v.jaar}/stemmen/"
    try:
        wait_for_server(port, path, tries=100)

        # --- the load: fresh codes, every tenth job a re-send of an earlier code ---
        jobs = []
        for i, code in enumerate(codes):
            jobs.append((code, kandidaten[i % 5].pk, False))
            if i % 10 == 9 and i >= 200:
                jobs.append((codes[i - 150], kandidaten[0].pk, True))
        conns = _prepare(port, path, args.clients)
        connection.close()
        # CPU actually spent per vote by the server, PostgreSQL and this client: on a shared
        # machine the rate depends on what the neighbours use, the CPU per vote does not.
        with connection.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid()")
            backends = [r[0] for r in cur.fetchall()]
        connection.close()
        server_pids = [server.pid, *_children(server.pid)]
        backend_cpu0 = {pid: _cpu_seconds([pid]) for pid in backends}
        cpu0 = (_cpu_seconds(server_pids), time.process_time())
        start = time.perf_counter()
        rows = _load(conns, jobs, time.time() + args.seconds)
        wall = time.perf_counter() - start
        cpu_server, cpu_client = (_cpu_seconds(server_pids) - cpu0[0],
                                  time.process_time() - cpu0[1])
        # Backends that the server's threads opened during the load count from zero.
        with connection.cursor() as cur:
            cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        " AND pid <> pg_backend_pid()")
            backends_end = [r[0] for r in cur.fetchall()]
        connection.close()
        cpu = (cpu_server, sum(_cpu_seconds([pid]) - backend_cpu0.get(pid, 0)
                               for pid in backends_end), cpu_client)
        for c, *_rest in conns:
            c.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    rows = [(*job, status, refused, elapsed) for job, status, refused, elapsed in rows]
    fresh = [r for r in rows if not r[2]]
    resent = [r for r in rows if r[2]]
    accepted = [r for r in rows if r[3] == 302]
    errors = [r for r in rows if r[3] not in (200, 302)]
    accepted_fresh = [r for r in fresh if r[3] == 302]
    # A re-send may arrive before its original: then the original is the refused one.
    accepted_codes = [r[0] for r in accepted]
    bussen = list(Stembus.objects.filter(verkiezing=v))
    ballots = sum(bus.totaal for bus in bussen)
    spent = Stemcode.objects.filter(verkiezing=v, status=Stemcode.GEBRUIKT).count()
    per_kandidaat_db = {k.pk: sum(getattr(bus, f"stemmen_{k.nummer}") for bus in bussen)
                        for k in Kandidaat.objects.filter(verkiezing=v)}
    per_kandidaat_db = {pk: n for pk, n in per_kandidaat_db.items() if n}
    per_kandidaat_http = {}
    for r in accepted:
        per_kandidaat_http[r[1]] = per_kandidaat_http.get(r[1], 0) + 1
    reconciliation = {
        "accepted": len(accepted), "ballots": ballots, "codes_spent": spent,
        "lost": max(0, len(accepted) - ballots), "double": max(0, ballots - len(accepted)),
        "codes_accepted_twice": len(accepted_codes) - len(set(accepted_codes)),
        "resends": len(resent), "refused": sum(1 for r in rows if r[4]),
        "per_candidate_matches": per_kandidaat_db == per_kandidaat_http,
        "http_errors": len(errors),
    }
    latencies = [r[5] for r in rows]
    http_rate = len(accepted) / wall

    # --- baseline: the same rows in raw SQL, one connection, one transaction per vote ---
    v2, kandidaten2 = election(2091)
    _r, sql_codes = services.maak_stemcodes(None, v2, kanaal="brief", aantal=min(
        len(accepted_fresh), 1000), omschrijving="sql", check_permission=False)
    while len(sql_codes) < len(accepted_fresh):
        _r, more = services.maak_stemcodes(None, v2, kanaal="brief", aantal=min(
            1000, len(accepted_fresh) - len(sql_codes)), omschrijving="sql",
            check_permission=False)
        sql_codes += more
    hashes = [v2.code_hash(c) for c in sql_codes]
    t0 = time.perf_counter()
    with connection.cursor() as cur:  # autocommit: BEGIN/COMMIT make one transaction a vote
        for i, h in enumerate(hashes):
            cur.execute("BEGIN")
            cur.execute("UPDATE participation_stemcode SET status = 1 WHERE verkiezing_id = %s"
                        " AND code_hash = %s AND status = 0", [v2.pk, h])
            assert cur.rowcount == 1
            stembus.tel_in_stembus(cur, connection, v2.pk, gemeente.pk, "brief",
                                   kandidaten2[i % 5].pk)
            cur.execute("COMMIT")
    sql_wall = time.perf_counter() - t0
    sql_rate = len(hashes) / sql_wall if hashes else 0.0

    # The same rows once more with the statement the endpoint runs (stembus.SQL_PG: spend
    # and ballot in one statement, autocommit, prepared), serially from one connection.
    from django.db.backends.postgresql.base import ServerBindingCursor

    v3, kandidaten3 = election(2092)
    cte_codes = []
    while len(cte_codes) < len(accepted_fresh):
        _r, more = services.maak_stemcodes(None, v3, kanaal="brief", aantal=min(
            1000, len(accepted_fresh) - len(cte_codes)), omschrijving="cte",
            check_permission=False)
        cte_codes += more
    params = [{"verkiezing": v3.pk, "slug": gemeente.slug, "jaar": v3.jaar,
               "now": timezone.now(), "hash": v3.code_hash(c), "kandidaat": kandidaten3[i % 5].pk,
               "open": 0, "gebruikt": 1, **stembus.stembus_params(connection, v3.pk)}
              for i, c in enumerate(cte_codes)]
    connection.ensure_connection()
    t0 = time.perf_counter()
    with ServerBindingCursor(connection.connection) as cur:
        for p in params:
            cur.execute(stembus.SQL_PG, p, prepare=True)
            assert cur.fetchone()[0], "the one statement did not count a vote"  # (counted, ...)
    cte_wall = time.perf_counter() - t0
    cte_rate = len(params) / cte_wall if params else 0.0

    result = {
        "clients": args.clients, "server": f"granian wsgi {workers}x{threads}",
        "requests": len(rows), "seconds": round(wall, 2),
        "votes_per_s": round(http_rate, 1),
        "p50_ms": round(percentile([x * 1000 for x in latencies], 50), 2),
        "p99_ms": round(percentile([x * 1000 for x in latencies], 99), 2),
        "sql_votes_per_s": round(sql_rate, 1),
        "ratio_http_to_sql": round(http_rate / sql_rate, 3) if sql_rate else None,
        "sql_one_statement_votes_per_s": round(cte_rate, 1),
        "ratio_http_to_one_statement": round(http_rate / cte_rate, 3) if cte_rate else None,
        "cpu_ms_per_request_server": round(1000 * cpu[0] / len(rows), 3) if rows else None,
        "cpu_ms_per_request_postgres": round(1000 * cpu[1] / len(rows), 3) if rows else None,
        "cpu_ms_per_request_client": round(1000 * cpu[2] / len(rows), 3) if rows else None,
        "load_average_1m_after": round(os.getloadavg()[0], 2),
        **{f"reconcile_{k}": val for k, val in reconciliation.items()},
    }
    print_table("Votes through HTTP (POST step=bevestig) vs raw SQL, same run", [
        ("clients", "clients"), ("votes_per_s", "votes/s"), ("p50_ms", "p50 ms"),
        ("p99_ms", "p99 ms"), ("sql_votes_per_s", "SQL votes/s"),
        ("ratio_http_to_sql", "ratio"), ("sql_one_statement_votes_per_s", "SQL 1-stmt/s"),
        ("ratio_http_to_one_statement", "ratio 1-stmt")], [result])
    cpu_ms = {k: result[f"cpu_ms_per_request_{k}"] or 0 for k in ("server", "postgres",
                                                                   "client")}
    total_cpu = sum(cpu_ms.values())
    print(f"CPU per request: server {cpu_ms['server']} ms, PostgreSQL {cpu_ms['postgres']} ms,"
          f" client {cpu_ms['client']} ms; {os.cpu_count()} cores fully ours would allow ~"
          f"{int(os.cpu_count() * 1000 / total_cpu) if total_cpu else '?'} requests/s "
          f"(load average now {result['load_average_1m_after']})")
    print("reconciliation:", reconciliation)
    summary = summary_ms(latencies)
    path = write_results(NAME, database, [result], latency=summary,
                         redis=bool(_redis_url()), goal_votes_per_s=500)
    print(f"written: {path}")
    ok = (reconciliation["lost"] == 0 and reconciliation["double"] == 0
          and reconciliation["codes_accepted_twice"] == 0 and ballots == spent
          and reconciliation["per_candidate_matches"] and not errors)
    if not ok:
        print("RECONCILIATION FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
