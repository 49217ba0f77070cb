"""Benchmark: "Wat vraagt uw aandacht" (the home page) for each role at scale.

Builds, in a throw-away database (SQLite or PostgreSQL, from DATABASE_URL), the demo plus
AANVRAGEN aanvragen, ACTIVITEITEN activiteiten, INZENDINGEN children's voices and IMPORTFOUTEN
refused imports in Groningen (tests/attention_data.py). Then, for each demo role:

- the home page through the whole Django stack, REPEATS times: p50/p95 and its SQL queries;
- the attention list alone (core.attention.items_for): p50/p95;
- the baseline: one hand-written SQL per item kind that role sees (the same filter, order
  and limit, no ORM, no Python objects), all run in a row: p50/p95, and the ratio of the
  attention list's p95 to the baseline's.

The page's query count must not grow with the data: it is also measured at a tenth of the
data, and the run fails if the full build needs more queries.

    python bench/bench_attention.py            # or: make bench
    BENCH_AANVRAGEN=20000 python bench/bench_attention.py
Results: bench/results/attention.json (not committed).
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table, setup_django, summary_ms, timed, write_results  # noqa: E402

DESCRIPTION, CLEANUP = setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

AANVRAGEN = int(os.environ.get("BENCH_AANVRAGEN", 5000))
ACTIVITEITEN = int(os.environ.get("BENCH_ACTIVITEITEN", 500))
INZENDINGEN = int(os.environ.get("BENCH_INZENDINGEN", 2000))
IMPORTFOUTEN = int(os.environ.get("BENCH_IMPORTFOUTEN", 200))  # refused imports
REPEATS = int(os.environ.get("BENCH_REPEATS", 30))
ROLES = ["beleid", "coordinator", "stuurgroep", "partner", "jury", "raad"]
LIMIT = 8


def baseline_queries(user, gemeente):
    """[(kind, sql, params)]: one hand-written SQL per item kind this user sees."""
    from core.models import Bericht, GeplandeTaak, ImportPoging, Membership
    from core.periods import KWARTAAL, Periode
    from finance.attention import BINNENKORT_DAGEN
    from finance.models import Aanvraag, AanvraagJaar, Verantwoording
    from network.models import Persoon, Stuurgroep, StuurgroepRol
    from participation.models import Aanmelding, Inzending, JuryScore, Verkiezing
    from plans.models import Activiteit, VoortgangRapportage, Wijkplan, WijkplanVersie
    from regions.models import Gebied

    t = {m.__name__: m._meta.db_table for m in (
        Aanvraag, AanvraagJaar, Verantwoording, Aanmelding, Inzending, JuryScore, Verkiezing,
        Activiteit, VoortgangRapportage, Wijkplan, WijkplanVersie, Bericht, GeplandeTaak,
        ImportPoging, Persoon, Stuurgroep, StuurgroepRol)}
    t["GebiedRegions"] = Gebied.regions.through._meta.db_table
    today = timezone.localdate()
    kwartaal = Periode.containing(today, KWARTAAL).code
    g = gemeente.pk
    ms = list(Membership.objects.filter(user=user, gemeente=gemeente))
    queries = []
    for m in ms:
        if m.role == "beleidsmedewerker":
            queries += [
                ("beslistermijn", f"SELECT id, titel, uiterste_beslisdatum FROM {t['Aanvraag']} "
                 "WHERE gemeente_id = %s AND status IN ('ingediend', 'in_behandeling') AND "
                 f"uiterste_beslisdatum <= %s ORDER BY uiterste_beslisdatum, id LIMIT {LIMIT}",
                 [g, today + datetime.timedelta(days=BINNENKORT_DAGEN)]),
                ("verantwoording beoordelen", f"SELECT a.id, a.titel, v.ingediend_op FROM "
                 f"{t['Aanvraag']} a JOIN {t['Verantwoording']} v ON v.aanvraag_id = a.id "
                 "WHERE a.gemeente_id = %s AND a.status = 'verantwoord' "
                 f"ORDER BY v.ingediend_op, a.id LIMIT {LIMIT}", [g]),
                ("inzendingen open", f"SELECT id, onderwerp, deadline FROM {t['Inzending']} "
                 "WHERE gemeente_id = %s AND beantwoord_op IS NULL AND gesloten_op IS NULL "
                 f"ORDER BY deadline, id LIMIT {LIMIT}", [g]),
                ("mislukte e-mails", f"SELECT COUNT(*), MIN(created) FROM {t['Bericht']} "
                 "WHERE gemeente_id = %s AND status = 'mislukt'", [g]),
                ("geweigerde imports", f"SELECT p.id, p.soort, p.tijdstip FROM "
                 f"{t['ImportPoging']} p WHERE p.gemeente_id = %s AND NOT p.gelukt AND "
                 f"p.tijdstip >= %s AND NOT EXISTS (SELECT 1 FROM {t['ImportPoging']} q "
                 "WHERE q.gemeente_id = p.gemeente_id AND q.soort = p.soort AND q.onderwerp = "
                 "p.onderwerp AND q.gelukt AND q.tijdstip > p.tijdstip) "
                 f"ORDER BY p.tijdstip, p.id LIMIT {LIMIT}",
                 [g, timezone.now() - datetime.timedelta(days=30)]),
                ("mislukte taken", f"SELECT name, last_failure_at FROM {t['GeplandeTaak']} "
                 "WHERE last_status = 'FAILED'", []),
            ]
        zonder = (f"SELECT a.id, a.naam FROM {t['Activiteit']} a "
                  f"JOIN {t['WijkplanVersie']} v ON v.id = a.versie_id "
                  f"JOIN {t['Wijkplan']} w ON w.id = v.wijkplan_id "
                  "WHERE a.gemeente_id = %s AND v.status = 'vastgesteld' "
                  "AND a.status IN ('gepland', 'lopend') AND {scope} AND NOT EXISTS ("
                  f"SELECT 1 FROM {t['VoortgangRapportage']} r WHERE r.activiteit_id = a.id "
                  f"AND r.periode = %s) ORDER BY a.naam, a.id LIMIT {LIMIT}")
        if m.role == "gebiedscoordinator":
            queries += [
                ("voortgang", zonder.format(scope="w.gebied_id = %s"),
                 [g, m.gebied_id, kwartaal]),
                ("teruggestuurd", f"SELECT v.id, w.naam, v.nummer FROM {t['WijkplanVersie']} "
                 f"v JOIN {t['Wijkplan']} w ON w.id = v.wijkplan_id WHERE v.gemeente_id = %s "
                 "AND v.status = 'concept' AND v.teruggestuurd_op IS NOT NULL AND "
                 f"w.gebied_id = %s ORDER BY v.teruggestuurd_op, v.id LIMIT {LIMIT}",
                 [g, m.gebied_id]),
                ("inzendingen te laat in gebied", f"SELECT DISTINCT i.id, i.onderwerp, "
                 f"i.deadline FROM {t['Inzending']} i JOIN {t['GebiedRegions']} gr ON "
                 "gr.region_id = i.wijk_id WHERE i.gemeente_id = %s AND gr.gebied_id = %s "
                 "AND i.beantwoord_op IS NULL AND i.gesloten_op IS NULL AND i.deadline < %s "
                 f"ORDER BY i.deadline, i.id LIMIT {LIMIT}", [g, m.gebied_id, today]),
            ]
        if m.role == "stuurgroeplid":
            queries.append(
                ("vaststellen", f"SELECT v.id, w.naam, v.nummer FROM {t['WijkplanVersie']} v "
                 f"JOIN {t['Wijkplan']} w ON w.id = v.wijkplan_id WHERE v.gemeente_id = %s "
                 "AND v.status = 'aangeboden' AND w.gebied_id IN (SELECT s.gebied_id FROM "
                 f"{t['StuurgroepRol']} r JOIN {t['Stuurgroep']} s ON s.id = r.stuurgroep_id "
                 f"JOIN {t['Persoon']} p ON p.id = r.persoon_id WHERE r.gemeente_id = %s AND "
                 "r.rol = 'voorzitter' AND p.user_id = %s AND s.gebied_id = %s) "
                 f"ORDER BY v.aangeboden_op, v.id LIMIT {LIMIT}",
                 [g, g, user.pk, m.gebied_id]))
        if m.role == "partner":
            queries += [
                ("voortgang", zonder.format(scope="a.trekker_id = %s"),
                 [g, m.organisatie_id, kwartaal]),
                ("aanvragen afmaken", f"SELECT id, titel FROM {t['Aanvraag']} WHERE "
                 "gemeente_id = %s AND status = 'concept' AND organisatie_id = %s "
                 f"ORDER BY id LIMIT {LIMIT}", [g, m.organisatie_id]),
                ("verantwoording indienen", f"SELECT a.id, a.titel, MAX(j.jaar) AS laatste "
                 f"FROM {t['Aanvraag']} a JOIN {t['AanvraagJaar']} j ON j.aanvraag_id = a.id "
                 "WHERE a.gemeente_id = %s AND a.status = 'verleend' AND a.organisatie_id = %s "
                 f"AND NOT EXISTS (SELECT 1 FROM {t['Verantwoording']} v WHERE "
                 "v.aanvraag_id = a.id) GROUP BY a.id, a.titel ORDER BY laatste, a.id "
                 f"LIMIT {LIMIT}", [g, m.organisatie_id]),
            ]
        if m.role == "jurylid":
            queries.append(
                ("beoordelen", f"SELECT a.id FROM {t['Aanmelding']} a JOIN {t['Verkiezing']} v "
                 "ON v.id = a.verkiezing_id WHERE a.gemeente_id = %s AND a.status = "
                 "'ingediend' AND v.aanmelding_start <= %s AND v.jury_eind >= %s AND NOT "
                 f"EXISTS (SELECT 1 FROM {t['JuryScore']} s WHERE s.aanmelding_id = a.id AND "
                 f"s.jurylid_id = %s) ORDER BY v.jury_eind, a.id LIMIT {LIMIT}",
                 [g, today, today, user.pk]))
        if m.role == "raadslid":
            queries += [
                ("vastgesteld", f"SELECT v.id, w.naam FROM {t['WijkplanVersie']} v JOIN "
                 f"{t['Wijkplan']} w ON w.id = v.wijkplan_id WHERE v.gemeente_id = %s AND "
                 "v.status = 'vastgesteld' AND v.vastgesteld_op >= %s "
                 f"ORDER BY v.vastgesteld_op DESC, v.id DESC LIMIT {LIMIT}",
                 [g, timezone.now() - datetime.timedelta(days=30)]),
                ("inzendingen te laat", f"SELECT id, onderwerp, deadline FROM "
                 f"{t['Inzending']} WHERE gemeente_id = %s AND beantwoord_op IS NULL AND "
                 f"gesloten_op IS NULL AND deadline < %s ORDER BY deadline, id LIMIT {LIMIT}",
                 [g, today]),
            ]
    return queries


def home_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def main():
    from core import attention
    from core.models import Gemeente, User
    from tests.attention_data import fill

    gemeente = Gemeente.objects.get(slug="groningen")
    url = reverse("core:gemeente", kwargs={"gemeente": gemeente.slug})
    users = {role: User.objects.get(username=f"groningen-{role}") for role in ROLES}
    # A tenth first (already past every list's cap), then the rest: the query count of the
    # page must be the same at both sizes.
    start = time.perf_counter()
    fill(gemeente, aanvragen=AANVRAGEN // 10, activiteiten=ACTIVITEITEN // 10,
         inzendingen=INZENDINGEN // 10, importfouten=IMPORTFOUTEN // 10)
    clients = {}
    small = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
        clients[role].get(url)
        small[role] = home_queries(clients[role], url)
    fill(gemeente, aanvragen=AANVRAGEN - AANVRAGEN // 10,
         activiteiten=ACTIVITEITEN - ACTIVITEITEN // 10,
         inzendingen=INZENDINGEN - INZENDINGEN // 10,
         importfouten=IMPORTFOUTEN - IMPORTFOUTEN // 10)
    print(f"built {AANVRAGEN} aanvragen, {ACTIVITEITEN} activiteiten, {INZENDINGEN} "
          f"inzendingen, {IMPORTFOUTEN} refused imports in {time.perf_counter() - start:.1f} s "
          f"({DESCRIPTION})")

    rows, failures = [], []
    for role, user in users.items():
        client = clients[role]
        queries = home_queries(client, url)
        if queries > small[role]:
            failures.append(f"{role}: {small[role]} queries at a tenth, {queries} at scale")
        page = summary_ms(timed(lambda c=client: c.get(url), REPEATS, 0))
        items = attention.items_for(user, gemeente)
        lijst = summary_ms(timed(lambda u=user: attention.items_for(u, gemeente), REPEATS, 0))
        base = baseline_queries(user, gemeente)

        def run_baseline(base=base):
            with connection.cursor() as cursor:
                for _kind, sql, params in base:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        baseline = summary_ms(timed(run_baseline, REPEATS, 0))
        rows.append({
            "role": role, "items": len(items), "queries": queries,
            "queries_demo": small[role], "page_p50_ms": page["p50_ms"],
            "page_p95_ms": page["p95_ms"], "list_p95_ms": lijst["p95_ms"],
            "baseline_kinds": len(base), "baseline_p95_ms": baseline["p95_ms"],
            "ratio_list_to_baseline": round(lijst["p95_ms"] / baseline["p95_ms"], 2)
            if baseline["p95_ms"] else None,
        })
    print_table(
        f"Home page with 'Wat vraagt uw aandacht', {REPEATS} requests per role",
        [("role", "role"), ("items", "items"), ("queries", "queries"),
         ("queries_demo", "at 1/10"), ("page_p50_ms", "page p50 ms"),
         ("page_p95_ms", "page p95 ms"), ("list_p95_ms", "list p95 ms"),
         ("baseline_kinds", "SQL kinds"), ("baseline_p95_ms", "SQL p95 ms"),
         ("ratio_list_to_baseline", "ratio")], rows)
    path = write_results("attention", DESCRIPTION, rows, aanvragen=AANVRAGEN,
                         activiteiten=ACTIVITEITEN, inzendingen=INZENDINGEN,
                         importfouten=IMPORTFOUTEN, repeats=REPEATS)
    print(f"results: {path}")
    if failures:
        print("query count grew with the data: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        CLEANUP()
    sys.exit(code)
