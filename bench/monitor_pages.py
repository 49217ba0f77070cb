"""Page latency of the monitor dashboards through HTTP, against the equivalent hand-written SQL.

Not a benchmark on its own: bench/bench_monitor.py builds the national-scale database, serves
the app and calls `measure_dashboard_pages` (see its docstring). Django must be set up.

    from bench.monitor_pages import login_session, maak_klaverblad, measure_dashboard_pages
    maak_klaverblad(gemeente)                # generated gemeenten have no Klaverblad yet
    cookies = login_session(user)            # a logged-in session, no password hashing
    results = measure_dashboard_pages(f"http://127.0.0.1:{port}", cookies,
                                      [(gemeente, gebied), ...], requests=200)

Each result is a dict like the other bench results: name, requests, p50_ms, p95_ms (HTTP, the
whole page rendered), sql_p50_ms, sql_p95_ms (the same reads as one hand-written SQL statement
each, on an open connection), ratio_p50_to_sql and goal_p95_ms (100).
"""

import http.client
import random
import time
from urllib.parse import urlsplit

try:  # run as `bench/...` (bench on sys.path) or imported as `bench.monitor_pages`
    from common import summary_ms
except ImportError:  # pragma: no cover
    from bench.common import summary_ms

GOAL_P95_MS = 100

# The gebied view: every indicator of the gemeente with the gebied's, the gemeente's and
# Nederland's series and the targets of the gebied and the gemeente
# (monitor.selectors.gebied_overzicht). Each half of the UNION is one range scan per indicator
# on a covering index of the rollup.
GEBIED_SQL = """
WITH ind AS (SELECT id, naam, eenheid, richting, volgorde FROM monitor_indicator
             WHERE gemeente_id = %(gemeente)s),
reeks AS (
    SELECT r.indicator_id, r.gebied_id, r.periode, r.waarde, r.status, r.breuk,
           r.indeling_jaar
    FROM monitor_reekswaarde r
    WHERE r.indicator_id IN (SELECT id FROM ind) AND r.gebied_id = %(gebied)s
    UNION ALL
    SELECT r.indicator_id, NULL, r.periode, r.waarde, r.status, r.breuk, r.indeling_jaar
    FROM monitor_reekswaarde r
    WHERE r.indicator_id IN (SELECT id FROM ind) AND r.regio_code IN (%(code)s, 'NL01')
      AND r.region_id IS NOT NULL)
SELECT ind.id, ind.naam, ind.eenheid, ind.richting, reeks.gebied_id, reeks.periode,
       reeks.waarde, reeks.status, reeks.breuk, reeks.indeling_jaar, s.waarde AS streef
FROM ind
LEFT JOIN reeks ON reeks.indicator_id = ind.id
LEFT JOIN monitor_streefwaarde s
       ON s.indicator_id = ind.id AND s.periode = reeks.periode
      AND s.gebied_id IS NOT DISTINCT FROM reeks.gebied_id
ORDER BY ind.volgorde, ind.naam, reeks.gebied_id NULLS FIRST, reeks.periode
"""

# The Klaverblad view: the doelen of the gemeente's current Klaverblad, their tagged
# indicators and the gemeente's and Nederland's series with targets
# (monitor.selectors.laatste_waarden).
KLAVERBLAD_SQL = """
WITH kader AS (
    SELECT id FROM framework_kader
    WHERE gemeente_id = %(gemeente)s AND soort = 'klaverblad'
    ORDER BY (geldig_van <= CURRENT_DATE AND (geldig_tot IS NULL OR geldig_tot >= CURRENT_DATE))
             DESC, geldig_van DESC
    LIMIT 1)
SELECT d.nummer, d.tekst, i.id, i.naam, r.periode, r.waarde, r.status, r.breuk,
       r.indeling_jaar, s.waarde AS streef
FROM framework_doel d
JOIN kader ON kader.id = d.kader_id
LEFT JOIN framework_doelkoppeling k
       ON k.doel_id = d.id AND k.content_type_id = %(ct)s
LEFT JOIN monitor_indicator i ON i.id = k.object_id AND i.gemeente_id = %(gemeente)s
LEFT JOIN monitor_reekswaarde r
       ON r.indicator_id = i.id AND r.gemeente_id = %(gemeente)s
      AND r.regio_code IN (%(code)s, 'NL01') AND r.region_id IS NOT NULL
LEFT JOIN monitor_streefwaarde s
       ON s.indicator_id = i.id AND s.region_id IS NOT NULL AND s.periode = r.periode
      AND r.regio_code = %(code)s
ORDER BY d.nummer, i.volgorde, i.naam, r.periode
"""


def maak_klaverblad(gemeente, doelen: int = 10) -> int:
    """Give a generated bench gemeente a Klaverblad with `doelen` doelen and tag its indicators
    with them round-robin (bulk inserts, no audit: benchmark set-up only), so the Klaverblad
    view has as much to show as a real one. Returns the number of tags."""
    import datetime

    from django.contrib.contenttypes.models import ContentType

    from framework.models import Doel, DoelKoppeling, Kader
    from monitor.models import Indicator

    kader = Kader.objects.create(gemeente=gemeente, soort=Kader.Soort.KLAVERBLAD,
                                 naam="Klaverblad", geldig_van=datetime.date(2015, 1, 1))
    lijst = Doel.objects.bulk_create([
        Doel(gemeente=gemeente, kader=kader, nummer=n, tekst=f"Doel {n}")
        for n in range(1, doelen + 1)])
    ct = ContentType.objects.get_for_model(Indicator)
    ids = Indicator.objects.filter(gemeente=gemeente).order_by("pk").values_list("pk", flat=True)
    tags = DoelKoppeling.objects.bulk_create([
        DoelKoppeling(gemeente=gemeente, doel=lijst[i % len(lijst)], content_type=ct,
                      object_id=pk) for i, pk in enumerate(ids)])
    return len(tags)


def login_session(user) -> dict[str, str]:
    """A logged-in Django session for `user`, as the cookies a browser would send."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0] \
        if getattr(settings, "AUTHENTICATION_BACKENDS", None) \
        else "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {settings.SESSION_COOKIE_NAME: store.session_key}


def _get(base_url: str, path: str, cookies: dict[str, str]) -> tuple[int, bytes]:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request("GET", path, headers={"Cookie": cookie, "Host": parts.netloc})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def measure_dashboard_pages(base_url: str, cookies: dict[str, str], targets, *,
                            requests: int = 200, warmup: int = 20, seed: int = 11) -> list[dict]:
    """p50/p95 of the gebied dashboard and the Klaverblad view through HTTP, and of the
    equivalent hand-written SQL.

    base_url: where the app is served (e.g. "http://127.0.0.1:8123");
    cookies: a logged-in session (login_session(user)); the user must be a member of every
             gemeente in `targets` (or those monitors must be public);
    targets: [(Gemeente, Gebied)] to pick from at random; `requests` measured per page after
             `warmup` unmeasured ones. Every answer must be 200.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from monitor.models import Indicator

    ct = ContentType.objects.get_for_model(Indicator).pk
    rng = random.Random(seed)
    targets = list(targets)
    picks = [rng.choice(targets) for _ in range(warmup + requests)]
    pages = [
        ("gebied dashboard (HTTP)", lambda g, b: f"/{g.slug}/monitor/gebieden/{b.pk}/",
         GEBIED_SQL),
        ("Klaverblad view (HTTP)", lambda g, b: f"/{g.slug}/monitor/", KLAVERBLAD_SQL),
    ]
    results = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name, path_for, sql in pages:
            http_s, sql_s = [], []
            for i, (gemeente, gebied) in enumerate(picks):
                start = time.perf_counter()
                status, body = _get(base_url, path_for(gemeente, gebied), cookies)
                elapsed = time.perf_counter() - start
                assert status == 200, (name, status, body[:300])
                params = {"gemeente": gemeente.pk, "gebied": gebied.pk,
                          "code": gemeente.cbs_code, "ct": ct}
                start = time.perf_counter()
                raw.execute(sql, params)
                raw.fetchall()
                sql_elapsed = time.perf_counter() - start
                if i >= warmup:
                    http_s.append(elapsed)
                    sql_s.append(sql_elapsed)
            h, s = summary_ms(http_s), summary_ms(sql_s)
            results.append({"name": name, "requests": len(http_s), **h,
                            "sql_p50_ms": s["p50_ms"], "sql_p95_ms": s["p95_ms"],
                            "ratio_p50_to_sql": round(h["p50_ms"] / s["p50_ms"], 1)
                            if s["p50_ms"] else None,
                            "goal_p95_ms": GOAL_P95_MS})
    return results
