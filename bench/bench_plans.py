"""Benchmark: the Klaverblad matrix and the stuurgroep's voortgang page at scale.

Builds, in a throw-away test database (SQLite or PostgreSQL, from DATABASE_URL), the demo plus
GEBIEDEN gebieden, each with a vastgesteld wijkplan of ACTIVITEITEN activiteiten (over four
pijlers, tagged with Klaverblad doelen) and RAPPORTEN quarterly progress reports per activiteit.
Then it requests each page REPEATS times as the beleidsmedewerker, through the whole Django
stack, and reports p50/p95 server time and the number of SQL queries per page.

The number of queries must not grow with the number of activiteiten: the same pages are also
measured on a small build (2 gebieden × 3 activiteiten), and the run fails when a page needs
more queries on the large one.

    python bench/bench_plans.py            # or: make bench
    BENCH_GEBIEDEN=10 python bench/bench_plans.py
Results: bench/results/plans.json (not committed).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table, setup_django, summary_ms, write_results  # noqa: E402

DESCRIPTION, CLEANUP = setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

GEBIEDEN = int(os.environ.get("BENCH_GEBIEDEN", 50))
ACTIVITEITEN = int(os.environ.get("BENCH_ACTIVITEITEN", 40))
RAPPORTEN = int(os.environ.get("BENCH_RAPPORTEN", 8))
REPEATS = int(os.environ.get("BENCH_REPEATS", 20))


def build(gemeente, n_gebieden, n_activiteiten, n_rapporten, prefix):
    """Bulk-build the data (the services are measured elsewhere; here only the reads are)."""
    from django.contrib.contenttypes.models import ContentType

    from core.periods import KWARTAAL, Periode
    from framework.models import DoelKoppeling, Kader
    from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie
    from regions.models import Gebied, Region

    doelen = list(Kader.objects.get(gemeente=gemeente, soort="klaverblad").doelen
                  .order_by("nummer"))
    region = Region.objects.filter(gemeente=gemeente, soort="buurt").first()
    ct = ContentType.objects.get_for_model(Activiteit)
    quarters = [Periode(KWARTAAL, 2024, 1)]
    while len(quarters) < n_rapporten:
        quarters.append(quarters[-1].next())
    wijkplannen = []
    for g in range(n_gebieden):
        gebied = Gebied.objects.create(gemeente=gemeente, naam=f"{prefix} gebied {g}", jaar=2022)
        gebied.regions.add(region)
        plan = Wijkplan.objects.create(gemeente=gemeente, gebied=gebied, naam=f"Plan {g}",
                                       jaar_van=2024, jaar_tot=2027)
        versie = WijkplanVersie.objects.create(gemeente=gemeente, wijkplan=plan, nummer=1,
                                               jaar=2024)
        pijlers = Pijler.objects.bulk_create([
            Pijler(gemeente=gemeente, versie=versie, naam=naam, volgorde=i)
            for i, naam in enumerate(["Veiligheid", "Gezondheid", "Inclusie", "Talent"])])
        acts = Activiteit.objects.bulk_create([
            Activiteit(gemeente=gemeente, versie=versie, pijler=pijlers[a % 4],
                       naam=f"Activiteit {a}", volgorde=a, leeftijd_van=48, leeftijd_tot=156)
            for a in range(n_activiteiten)])
        DoelKoppeling.objects.bulk_create([
            DoelKoppeling(gemeente=gemeente, doel=doelen[(a.volgorde + k) % 9],
                          content_type=ct, object_id=a.pk)
            for a in acts for k in range(1 + a.volgorde % 3)])
        VoortgangRapportage.objects.bulk_create([
            VoortgangRapportage(gemeente=gemeente, activiteit=a, periode=q,
                                status="vertraagd" if (a.volgorde + i) % 7 == 0 else "op_schema",
                                percentage=min(100, 10 * (i + 1)))
            for a in acts for i, q in enumerate(quarters)])
        WijkplanVersie.objects.filter(pk=versie.pk).update(status="vastgesteld")
        wijkplannen.append(plan)
    return wijkplannen


def measure(client, url, repeats):
    client.get(url)  # warm up (template loading, caches)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return {"url": url, "queries": len(ctx.captured_queries), **summary_ms(samples)}


def pages(plan):
    g = "groningen"
    return {
        "klaverblad-matrix": reverse("framework:dekking", kwargs={"gemeente": g}),
        "stuurgroep-voortgang": reverse("plans:wijkplan-voortgang",
                                        kwargs={"gemeente": g, "pk": plan.pk}),
        "wijkplanversie": plan.versies.get().get_absolute_url(),
    }


def main():
    from core.models import Gemeente, User

    try:
        gemeente = Gemeente.objects.get(slug="groningen")
        client = Client()
        client.force_login(User.objects.get(username="groningen-beleid"))

        small = build(gemeente, 2, 3, 2, "Klein")
        small_queries = {name: measure(client, url, 2)["queries"]
                         for name, url in pages(small[0]).items()}

        t0 = time.perf_counter()
        large = build(gemeente, GEBIEDEN, ACTIVITEITEN, RAPPORTEN, "Groot")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh bulk loads have no planner statistics
                cursor.execute("ANALYZE")
        built_s = time.perf_counter() - t0
        results = [{"page": name, "queries_small_build": small_queries[name],
                    **measure(client, url, REPEATS)}
                   for name, url in pages(large[len(large) // 2]).items()]
    finally:
        CLEANUP()

    scale = {"gebieden": GEBIEDEN, "activiteiten_per_gebied": ACTIVITEITEN,
             "rapportages_per_activiteit": RAPPORTEN, "repeats": REPEATS,
             "build_seconds": round(built_s, 1)}
    path = write_results("plans", DESCRIPTION, results, scale=scale)
    print_table(f"Plans on {DESCRIPTION}: {GEBIEDEN} gebieden × {ACTIVITEITEN} activiteiten × "
                f"{RAPPORTEN} rapportages",
                [("page", "page"), ("queries", "queries"),
                 ("queries_small_build", "queries (2×3)"), ("p50_ms", "p50 ms"),
                 ("p95_ms", "p95 ms")], results)
    print(f"results: {path}")
    grew = [r["page"] for r in results if r["queries"] > r["queries_small_build"]]
    if grew:
        print(f"FAIL: the number of queries grows with the data on: {', '.join(grew)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
