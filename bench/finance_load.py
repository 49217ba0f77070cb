"""The HTTP load of bench_finance.py (its docstring says what and why): grants, amendments and
payments on 10 regelingen by concurrent clients through the production server, then an exact
reconciliation. Called by bench_finance.main() on a fresh PostgreSQL bench database."""

import datetime
import http.client
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import wait_for_server  # noqa: E402

N_REGELINGEN = 10
POOL = 4000  # aanvragen in behandeling, more than 30 s of grants can use
SERIAL = 20  # grants, amendments and payments each, for the serial baseline


def _percentile(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _prepare():
    """10 regelingen, a pool of aanvragen in behandeling (bulk: no counters are involved
    before the verlening), and the ids the clients work on."""
    from django.db import transaction
    from django.utils import timezone

    from core.models import Gemeente
    from finance.models import Aanvraag, AanvraagJaar, Regeling
    from network.models import Organisatie

    today = timezone.localdate()
    jaar = today.year
    gemeente = Gemeente.objects.get(slug="groningen")
    orgs = list(Organisatie.objects.filter(gemeente=gemeente)[:50])
    rng = random.Random(12)
    with transaction.atomic():
        regelingen = [Regeling.objects.create(
            gemeente=gemeente, naam=f"Lastregeling {i}", criteria="Bench",
            plafond=Decimal("600000.00"), jaar_van=jaar, jaar_tot=jaar + 1,
            aanvragen_van=today - datetime.timedelta(days=30),
            aanvragen_tot=today + datetime.timedelta(days=30),
            voorschot_ritme=Regeling.Ritme.PER_KWARTAAL, voorschot_percentage=80)
            for i in range(N_REGELINGEN)]
        aanvragen, amounts = [], []
        for i in range(POOL + 3 * SERIAL):
            regeling = regelingen[i % N_REGELINGEN]
            bedrag = Decimal(rng.randrange(60, 120)) * 100  # above the tier without a report
            aanvragen.append(Aanvraag(
                gemeente=gemeente, regeling=regeling, organisatie=rng.choice(orgs),
                titel=f"Lastaanvraag {i}", activiteiten="Activiteiten voor de benchmark.",
                status=Aanvraag.Status.IN_BEHANDELING, ingediend_op=timezone.now(),
                uiterste_beslisdatum=today + datetime.timedelta(weeks=8), gevraagd=bedrag,
                beoordeling=[{"punt": p, "oordeel": "voldoet", "toelichting": ""}
                             for p in regeling.punten()]))
            amounts.append(bedrag)
        Aanvraag.objects.bulk_create(aanvragen, batch_size=500)
        AanvraagJaar.objects.bulk_create([
            AanvraagJaar(gemeente=gemeente, aanvraag=a, jaar=jaar, gevraagd=b)
            for a, b in zip(aanvragen, amounts, strict=True)], batch_size=1000)
    return gemeente, jaar, [(a.pk, b) for a, b in zip(aanvragen, amounts, strict=True)]


def _serial(gemeente, jaar, items):
    """The baseline: the same three steps through finance.services, one after another."""
    from core.models import User
    from finance import services
    from finance.models import Aanvraag

    user = User.objects.get(username="groningen-beleid")
    start = time.perf_counter()
    granted = []
    for pk, bedrag in items[:SERIAL]:
        aanvraag = Aanvraag.objects.select_related("regeling", "gemeente").get(pk=pk)
        services.verlenen(user, aanvraag, bedragen={jaar: bedrag}, sleutel=uuid.uuid4().hex)
        granted.append((aanvraag, bedrag))
    for aanvraag, bedrag in granted:
        services.wijzigen(user, aanvraag, bedragen={jaar: bedrag - 100}, reden="Bench",
                          sleutel=uuid.uuid4().hex)
    for aanvraag, _bedrag in granted:
        termijn = aanvraag.termijnen.filter(vervallen=False, betaling__isnull=True).first()
        services.betaal_termijn(user, termijn, sleutel=uuid.uuid4().hex)
    return 3 * SERIAL / (time.perf_counter() - start), [a.pk for a, _b in granted]


def _session(user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _start_server(port, secret_key):
    from django.db import connection

    s = connection.settings_dict
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
                           f"{s['PORT'] or 5432}/{s['NAME']}",
           "SECRET_KEY": secret_key, "SECURE_SSL_REDIRECT": "0",
           "CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR", "GRANIAN_HOST": "127.0.0.1",
           "GRANIAN_PORT": str(port), "GRANIAN_LOG_LEVEL": "error"}
    if not (REPO / "var" / "static" / "staticfiles.json").exists():
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=REPO, env=env, check=True)
    return subprocess.Popen([sys.executable, "-m", "opgroeien.serve"], cwd=REPO, env=env)


class Client(threading.Thread):
    """One beleidsmedewerker at a keyboard, as fast as the server answers."""

    def __init__(self, port, cookie, work, deadline, seed):
        super().__init__(daemon=True)
        self.port, self.cookie, self.work, self.deadline = port, cookie, work, deadline
        self.rng = random.Random(seed)
        self.rows = []  # (step, status, refusal, seconds, repeat)
        self.errors = []

    def request(self, method, path, body=None):
        headers = {"Cookie": self.cookie, "Host": f"127.0.0.1:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response.status, response.read()

    def run(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        # A form page sets the CSRF cookie; its token goes in every post, the cookie along.
        self.conn.request("GET", "/groningen/regelingen/nieuw/", headers={
            "Cookie": self.cookie, "Host": f"127.0.0.1:{self.port}"})
        response = self.conn.getresponse()
        body = response.read()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "") or "")
        if cookie:
            self.cookie += f"; csrftoken={cookie.group(1)}"
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        token = csrf.group(1).decode() if csrf else ""
        last = None
        n = 0
        try:
            while time.time() < self.deadline:
                n += 1
                if last and n % 20 == 0:
                    step, path, data = last  # a double click: the same form once more
                    repeat = True
                else:
                    job = self.work.next(self.rng, self)
                    if job is None:
                        break
                    step, path, data = job
                    data = {**data, "csrfmiddlewaretoken": token, "sleutel": uuid.uuid4().hex}
                    repeat = False
                start = time.perf_counter()
                status, body = self.request("POST", path, urlencode(data))
                elapsed = time.perf_counter() - start
                refusal = ""
                if status == 200:
                    at = body.find(b'role="alert"')
                    text = body[at:at + 400].decode(errors="replace") if at >= 0 else "?"
                    refusal = re.sub(r"<[^>]+>|\s+", " ", text.split(">", 1)[-1])
                elif status != 302:
                    self.errors.append((step, status, body[:300]))
                self.rows.append((step, status, refusal.strip(), elapsed, repeat))
                if status == 302 and not repeat:
                    self.work.done(step, path)
                last = (step, path, data)
        except Exception as exc:  # noqa: BLE001 - reported by run_load
            self.errors.append(("client", 0, repr(exc).encode()))


class Work:
    """What the clients may do next, shared between their threads."""

    def __init__(self, jaar, pool, granted):
        self.jaar = jaar
        self.lock = threading.Lock()
        self.pool = list(pool)
        self.granted = list(granted)  # aanvraag ids with a grant

    def next(self, rng, client):
        j = self.jaar
        with self.lock:
            r = rng.random()
            if (r < 0.45 or len(self.granted) < 20) and self.pool:
                pk, bedrag = self.pool.pop()
                return ("verlenen", f"/groningen/aanvragen/{pk}/verlenen/",
                        {f"jaar_{j}": f"{bedrag:.2f}".replace(".", ","),
                         "voorschot_percentage": "80", "motivering": ""})
            if not self.granted:
                return None
            pk = rng.choice(self.granted)
        if r < 0.75:
            bedrag = Decimal(rng.randrange(10, 140)) * 100
            return ("wijzigen", f"/groningen/aanvragen/{pk}/wijzigen/",
                    {f"jaar_{j}": f"{bedrag:.2f}".replace(".", ","), "reden": "Bench"})
        # A payment: the page lists the open termijnen (as a user would see them).
        status, body = client.request("GET", f"/groningen/aanvragen/{pk}/betalen/")
        ids = re.findall(rb'name="termijn" value="(\d+)"', body)
        if not ids:
            return ("wijzigen", f"/groningen/aanvragen/{pk}/wijzigen/",
                    {f"jaar_{j}": "5000,00", "reden": "Bench"})
        return ("betalen", f"/groningen/aanvragen/{pk}/betalen/",
                {"termijn": ids[0].decode(), "datum": datetime.date.today().isoformat()})

    def done(self, step, path):
        """A grant made during the run can be amended and paid from now on."""
        if step == "verlenen":
            with self.lock:
                self.granted.append(int(path.split("/")[3]))


def run_load(clients: int, seconds: float) -> dict:
    from django.db import connection
    from django.db.models import F

    from core.models import User
    from finance.models import Beschikking, Betaling, Regeling, Wijziging
    from finance.selectors import controleer_financien

    gemeente, jaar, items = _prepare()
    serial_rate, serial_granted = _serial(gemeente, jaar, items)
    user = User.objects.get(username="groningen-beleid")
    # The sessions made here are signed with SECRET_KEY (and carry the user's auth hash, an
    # HMAC with it): the server must have the same key, or every client is logged out
    # ("Session data corrupted") and each post is refused for want of a CSRF cookie.
    from django.conf import settings

    settings.SECRET_KEY = secrets.token_urlsafe(50)
    cookies = [f"sessionid={_session(user)}" for _ in range(clients)]
    before = {"verlenen": Beschikking.objects.filter(soort="verlening").count(),
              "wijzigen": Wijziging.objects.count(), "betalen": Betaling.objects.count()}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = _start_server(port, settings.SECRET_KEY)
    try:
        wait_for_server(port, "/inloggen/")
        connection.close()
        work = Work(jaar, items[SERIAL:], serial_granted)
        deadline = time.time() + seconds
        threads = [Client(port, cookies[i], work, deadline, i) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=seconds + 120)
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = [r for t in threads for r in t.rows]
    errors = [e for t in threads for e in t.errors]
    steps = []
    for step in ("verlenen", "wijzigen", "betalen"):
        mine = [r for r in rows if r[0] == step]
        steps.append({
            "step": step, "posts": len(mine),
            "done": sum(1 for r in mine if r[1] == 302 and not r[4]),
            "refused": sum(1 for r in mine if r[1] == 200 and not r[4]),
            "repeats": sum(1 for r in mine if r[4]),
            "p50_ms": round(_percentile([r[3] for r in mine], 0.5) * 1000, 1),
            "p95_ms": round(_percentile([r[3] for r in mine], 0.95) * 1000, 1)})
    reasons = Counter(r[2][:60] for r in rows if r[1] == 200)
    # Exact reconciliation: what the server says it did is what the database holds.
    after = {"verlenen": Beschikking.objects.filter(soort="verlening").count(),
             "wijzigen": Wijziging.objects.count(), "betalen": Betaling.objects.count()}
    mismatches = []
    for row in steps:
        applied = after[row["step"]] - before[row["step"]]
        if applied != row["done"]:
            mismatches.append(f"{row['step']}: {row['done']} answered as done, "
                              f"{applied} in the database")
    over = list(Regeling.objects.filter(gemeente=gemeente, toegekend__gt=F("plafond"))
                .values_list("naam", flat=True))
    problems = controleer_financien(gemeente)
    invariant = "exact" if not (problems or mismatches or over or errors) else "FAILED"
    decisions = sum(r["done"] + r["refused"] for r in steps)
    result = {
        "clients": clients, "seconds": round(wall, 1), "steps": steps,
        "posts_per_s": round(len(rows) / wall, 1),
        "decisions_per_s": round(decisions / wall, 1),
        "p95_ms": round(_percentile([r[3] for r in rows], 0.95) * 1000, 1),
        "serial_per_s": round(serial_rate, 1),
        "ratio": round(decisions / wall / serial_rate, 2),
        "refusals": dict(reasons.most_common(5)), "invariant": invariant,
        "problems": problems[:20], "mismatches": mismatches, "over_plafond": over,
        "errors": [(s, st, b.decode(errors="replace")) for s, st, b in errors[:5]],
    }
    if invariant != "exact":
        print(f"  INVARIANT FAILED: {problems[:5]} {mismatches} {over} {result['errors']}")
    return result
