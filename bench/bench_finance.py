"""The yearly finance overview with 5.000 aanvragen across 50 gebieden: server time and queries
per page, against the same figures fetched with hand-written SQL.

On top of the demo, the benchmark adds 45 gebieden (50 in all), each with a gebiedsbudget,
100 organisaties, and 5.000 aanvragen (one or two years each, in every state, with payments and
vaststellingen), inserted in bulk (the services would take minutes for that many; the figures
are kept consistent the way the services keep them). Then, logged in as groningen-beleid:

- the yearly overview (/groningen/financien/?jaar=...): N requests, p50/p95, queries;
- the aanvragen list (first page of 50) and the list of overdue aanvragen;
- the XLSX export of everything (fewer requests: it writes every row).

The baseline for the overview is the SQL it needs written by hand with `connection.cursor()`
(session, user, memberships, years, programme, budgets, the four GROUP BY sums — per gebied,
organisatie, regeling and Klaverblad doel — names, overdue count), fetched and not rendered;
`ratio = page_p50 / baseline_p50`. Each bench aanvraag has one or two Klaverblad doelen.

Stored or derived counters (issue 12): the overview reads three stored counters (the
programme's `toegewezen`, each gebiedsbudget's and each regeling's `toegekend`). The bench times
the three queries that read them against the same figures derived from the rows (SUM over the
gebiedsbudgetten and over every aanvraagjaar, less vrijgevallen), and the whole hand-written
overview both ways: `ratio = derived p50 / stored p50`. The limit was: deriving may make the
overview at most 20 % slower.

Then, on PostgreSQL only (skipped with a note on SQLite), money under load through HTTP: the
production server (`python -m opgroeien.serve`, granian, DEBUG off, as bench_votes.py serves it)
and 50 concurrent clients (threads, keep-alive, each logged in as a beleidsmedewerker) posting
for 30 s the real forms of 10 regelingen: verlenen (aanvragen in behandeling), wijzigen (a
granted aanvraag to a new amount, up or down) and betalen (an open termijn) — each post with a
fresh form key, every 20th post a repeat of the previous one (a double click: it must be
answered with the first result, not applied twice). Figures: posts and decisions per second, p50
and p95 per step, refusals (a full plafond is a refusal, with the amount still free). Baseline in
the same run: the same three steps called serially through finance.services in this process,
`ratio = http decisions/s / serial decisions/s`. At the end `controleer_financien` must find no
difference and no regeling may be over its plafond (exact, or the run fails).

    .venv/bin/python bench/bench_finance.py [--n 100] [--warmup 10] [--clients 50]
        [--seconds 30]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, setup_django, summary_ms, timed, write_results  # noqa: E402

NAME = "bench_finance"
N_AANVRAGEN = 5000
N_GEBIEDEN = 50
N_ORGANISATIES = 100

SESSION = ("SELECT session_key, session_data, expire_date FROM django_session "
           "WHERE session_key = %s AND expire_date > %s")
USER = ("SELECT id, password, last_login, is_superuser, username, first_name, last_name, "
        "email, is_staff, is_active, date_joined FROM core_user WHERE id = %s")
MEMBERSHIPS = (
    "SELECT m.id, m.role, g.id, g.cbs_code, g.naam, g.slug, g.programmanaam "
    "FROM core_membership m JOIN core_gemeente g ON g.id = m.gemeente_id "
    "WHERE m.user_id = %s ORDER BY g.naam")
YEARS = ("SELECT jaar FROM finance_programmabudget WHERE gemeente_id = %s UNION "
         "SELECT DISTINCT jaar FROM finance_aanvraagjaar WHERE gemeente_id = %s")
PROGRAMMA = ("SELECT id, naam, bedrag, toegewezen FROM finance_programmabudget "
             "WHERE gemeente_id = %s AND jaar = %s")
BUDGETS = ("SELECT gb.gebied_id, gb.bedrag, gb.toegekend FROM finance_gebiedsbudget gb "
           "JOIN finance_programmabudget pb ON pb.id = gb.programmabudget_id "
           "WHERE gb.gemeente_id = %s AND pb.jaar = %s")
GEBIEDEN = "SELECT id, naam FROM regions_gebied WHERE gemeente_id = %s ORDER BY naam"
SUMS = (
    "SELECT a.{group}, SUM(CASE WHEN a.status <> 'concept' THEN j.gevraagd END), "
    "SUM(j.toegekend), SUM(j.betaald), SUM(j.vastgesteld), SUM(j.terugvordering), "
    "SUM(j.vrijgevallen), "
    "COUNT(DISTINCT a.id) FROM finance_aanvraagjaar j "
    "JOIN finance_aanvraag a ON a.id = j.aanvraag_id "
    "WHERE j.gemeente_id = %s AND j.jaar = %s GROUP BY a.{group}")
ORG_NAMES = "SELECT id, naam FROM network_organisatie WHERE gemeente_id = %s"
SUMS_PER_DOEL = (
    "SELECT k.doel_id, SUM(CASE WHEN a.status <> 'concept' THEN j.gevraagd END), "
    "SUM(j.toegekend), SUM(j.betaald), SUM(j.vastgesteld), SUM(j.terugvordering), "
    "SUM(j.vrijgevallen), "
    "COUNT(DISTINCT a.id) FROM finance_aanvraagjaar j "
    "JOIN finance_aanvraag a ON a.id = j.aanvraag_id "
    "LEFT JOIN framework_doelkoppeling k ON k.object_id = a.id AND k.content_type_id = %s "
    "WHERE j.gemeente_id = %s AND j.jaar = %s GROUP BY k.doel_id")
DOELEN = ("SELECT d.id, d.nummer, d.tekst, d.kader_id FROM framework_doel d "
          "WHERE d.gemeente_id = %s")
# The same three counters derived from the rows they count (see the docstring).
PROGRAMMA_DERIVED = (
    "SELECT pb.id, pb.naam, pb.bedrag, COALESCE(SUM(gb.bedrag), 0) "
    "FROM finance_programmabudget pb "
    "LEFT JOIN finance_gebiedsbudget gb ON gb.programmabudget_id = pb.id "
    "WHERE pb.gemeente_id = %s AND pb.jaar = %s GROUP BY pb.id, pb.naam, pb.bedrag")
BUDGETS_DERIVED = (
    "SELECT gb.gebied_id, gb.bedrag, COALESCE(s.t, 0) FROM finance_gebiedsbudget gb "
    "JOIN finance_programmabudget pb ON pb.id = gb.programmabudget_id "
    "LEFT JOIN (SELECT a.gebied_id, SUM(j.toegekend - j.vrijgevallen) AS t "
    "FROM finance_aanvraagjaar j JOIN finance_aanvraag a ON a.id = j.aanvraag_id "
    "WHERE j.gemeente_id = %s AND j.jaar = %s AND a.gebied_id IS NOT NULL "
    "GROUP BY a.gebied_id) s ON s.gebied_id = gb.gebied_id "
    "WHERE gb.gemeente_id = %s AND pb.jaar = %s")
REGELINGEN_DERIVED = (
    "SELECT r.id, r.naam, r.plafond, COALESCE(s.t, 0) FROM finance_regeling r "
    "LEFT JOIN (SELECT a.regeling_id, SUM(j.toegekend - j.vrijgevallen) AS t "
    "FROM finance_aanvraagjaar j JOIN finance_aanvraag a ON a.id = j.aanvraag_id "
    "WHERE j.gemeente_id = %s GROUP BY a.regeling_id) s ON s.regeling_id = r.id "
    "WHERE r.gemeente_id = %s AND r.jaar_van <= %s AND r.jaar_tot >= %s ORDER BY r.naam")
REGELINGEN = ("SELECT id, naam, plafond, toegekend FROM finance_regeling WHERE gemeente_id = %s "
              "AND jaar_van <= %s AND jaar_tot >= %s ORDER BY naam")
OVERDUE = ("SELECT COUNT(*) FROM finance_aanvraag WHERE gemeente_id = %s "
           "AND status IN ('ingediend', 'in_behandeling') AND uiterste_beslisdatum < %s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests first")
    parser.add_argument("--clients", type=int, default=50, help="concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=30,
                        help="length of the HTTP load (0: the overview only)")
    args = parser.parse_args(argv)

    database, cleanup = setup_django()
    load = None
    try:
        started = time.perf_counter()
        counts = populate()
        print(f"  populated in {time.perf_counter() - started:.0f} s: {counts}")
        results = run(args.n, args.warmup)
        print_table(
            f"Finance pages with {N_AANVRAGEN} aanvragen in {N_GEBIEDEN} gebieden, "
            f"{args.n} requests each after {args.warmup} warm-up ({database})",
            [("page", "page"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"),
             ("queries", "queries"), ("baseline_p50_ms", "raw SQL p50 ms"),
             ("baseline_queries", "raw SQL queries"), ("ratio", "ratio")],
            results)
        for row in results:
            if "afgeleid" in row["page"]:
                print(f"  {row['page']}: derived p50 {row['p50_ms']} ms, stored p50 "
                      f"{row['baseline_p50_ms']} ms, ratio {row['ratio']} (limit 1.2)")
        from django.db import connection

        if args.seconds <= 0:
            print("  HTTP load skipped (--seconds 0)")
        elif connection.vendor == "postgresql":
            from finance_load import run_load

            load = run_load(args.clients, args.seconds)
        else:
            print("  HTTP load skipped: it needs PostgreSQL (DATABASE_URL=postgres://...)")
    finally:
        cleanup()
    if load:
        print_table(
            f"Money under load: {args.clients} clients for {args.seconds:.0f} s over HTTP on 10 "
            f"regelingen ({database})",
            [("step", "step"), ("posts", "posts"), ("done", "done"), ("refused", "refused"),
             ("repeats", "repeats"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms")],
            load["steps"])
        print(f"  {load['posts_per_s']} posts/s, {load['decisions_per_s']} decisions/s "
              f"(p95 {load['p95_ms']} ms); serial services {load['serial_per_s']} decisions/s; "
              f"ratio {load['ratio']}; invariant: {load['invariant']}")
    path = write_results(NAME, database, results, n=args.n, warmup=args.warmup, load=load,
                         **counts)
    print(f"  written to {path}")
    return results


def populate() -> dict:
    """Bulk data on top of the demo, consistent as the services keep it."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import F, Sum
    from django.utils import timezone

    from core.models import Gemeente
    from finance.models import (
        Aanvraag,
        AanvraagJaar,
        Betaling,
        Gebiedsbudget,
        Programmabudget,
        Regeling,
    )
    from network.models import Organisatie
    from regions.models import Gebied

    rng = random.Random(2026)
    today = timezone.localdate()
    jaar = max(2026, today.year)
    gemeente = Gemeente.objects.get(slug="groningen")
    S = Aanvraag.Status
    with transaction.atomic():
        existing = Gebied.objects.filter(gemeente=gemeente).count()
        Gebied.objects.bulk_create([
            Gebied(gemeente=gemeente, naam=f"Benchgebied {i:02d}", jaar=2022)
            for i in range(N_GEBIEDEN - existing)])
        gebieden = list(Gebied.objects.filter(gemeente=gemeente))
        Organisatie.objects.bulk_create([
            Organisatie(gemeente=gemeente, naam=f"Benchorganisatie {i:03d}", type="jeugdwerk")
            for i in range(N_ORGANISATIES)])
        orgs = list(Organisatie.objects.filter(gemeente=gemeente))
        budgets = {}
        for pb in Programmabudget.objects.filter(gemeente=gemeente, jaar__in=[jaar, jaar + 1]):
            have = set(pb.gebiedsbudgetten.values_list("gebied_id", flat=True))
            new = [Gebiedsbudget(gemeente=gemeente, programmabudget=pb, gebied=g,
                                 bedrag=Decimal("40000.00"))
                   for g in gebieden if g.pk not in have]
            Gebiedsbudget.objects.bulk_create(new)
            Programmabudget.objects.filter(pk=pb.pk).update(
                toegewezen=F("toegewezen") + Decimal("40000.00") * len(new))
        for gb in Gebiedsbudget.objects.filter(gemeente=gemeente).select_related(
                "programmabudget"):
            budgets[(gb.gebied_id, gb.programmabudget.jaar)] = gb
        regeling = Regeling.objects.create(
            gemeente=gemeente, naam="Benchregeling", criteria="Bench", plafond=Decimal(
                "100000000.00"), jaar_van=jaar, jaar_tot=jaar + 1,
            aanvragen_van=datetime.date(jaar - 1, 1, 1),
            aanvragen_tot=datetime.date(jaar + 1, 12, 31))
        states = [S.CONCEPT, S.INGEDIEND, S.IN_BEHANDELING, S.VERLEEND, S.VERLEEND,
                  S.GEWEIGERD, S.VERANTWOORD, S.VASTGESTELD, S.VASTGESTELD]
        aanvragen = []
        plans = []
        for i in range(N_AANVRAGEN):
            status = rng.choice(states)
            years = [jaar] if rng.random() < 0.7 else [jaar, jaar + 1]
            amounts = {y: Decimal(rng.randrange(100, 800)) * 10 for y in years}
            granted = status in (S.VERLEEND, S.VERANTWOORD, S.VASTGESTELD)
            ingediend = status != S.CONCEPT
            submitted = today - datetime.timedelta(days=rng.randrange(1, 120))
            aanvragen.append(Aanvraag(
                gemeente=gemeente, regeling=regeling, organisatie=rng.choice(orgs),
                gebied=rng.choice(gebieden), titel=f"Benchaanvraag {i}",
                activiteiten="Activiteiten voor de benchmark.", status=status,
                ingediend_op=timezone.now() if ingediend else None,
                uiterste_beslisdatum=submitted + datetime.timedelta(weeks=8)
                if ingediend else None,
                gevraagd=sum(amounts.values()),
                toegekend=sum(amounts.values()) if granted else Decimal("0.00"), eis=(
                    "activiteitenverslag" if granted else "")))
            plans.append((status, amounts, granted))
        Aanvraag.objects.bulk_create(aanvragen, batch_size=500)
        jaren, betalingen = [], []
        for aanvraag, (status, amounts, granted) in zip(aanvragen, plans, strict=True):
            for y, bedrag in amounts.items():
                paid = (bedrag * Decimal("0.8")).quantize(Decimal("0.01")) if granted else 0
                vast = bedrag if status == S.VASTGESTELD else None
                jaren.append(AanvraagJaar(
                    gemeente=gemeente, aanvraag=aanvraag, jaar=y, gevraagd=bedrag,
                    toegekend=bedrag if granted else 0, betaald=paid, vastgesteld=vast))
                if paid:
                    betalingen.append(Betaling(gemeente=gemeente, aanvraag=aanvraag,
                                               soort="voorschot", jaar=y, datum=today,
                                               bedrag=paid))
                if granted:
                    budgets[(aanvraag.gebied_id, y)].toegekend += bedrag
        AanvraagJaar.objects.bulk_create(jaren, batch_size=1000)
        from django.contrib.contenttypes.models import ContentType

        from framework.models import DoelKoppeling
        from framework.selectors import klaverblad_doelen

        doelen = list(klaverblad_doelen(gemeente))
        ct = ContentType.objects.get_for_model(Aanvraag)
        DoelKoppeling.objects.bulk_create([
            DoelKoppeling(gemeente=gemeente, doel=doel, content_type=ct, object_id=a.pk)
            for a in aanvragen for doel in rng.sample(doelen, rng.choice((1, 2)))],
            batch_size=1000)
        Betaling.objects.bulk_create(betalingen, batch_size=1000)
        paid_totals = dict(AanvraagJaar.objects.filter(aanvraag__regeling=regeling).values(
            "aanvraag").annotate(s=Sum("betaald")).values_list("aanvraag", "s"))
        for aanvraag in aanvragen:
            aanvraag.betaald = paid_totals.get(aanvraag.pk) or Decimal("0.00")
        Aanvraag.objects.bulk_update(aanvragen, ["betaald"], batch_size=500)
        # Budgets may exceed what a bench gebied holds: raise those budgets as a beleids-
        # medewerker would have before granting (the CHECK constraints hold throughout).
        for gb in budgets.values():
            if gb.toegekend > gb.bedrag:
                gb.bedrag = gb.toegekend
        Gebiedsbudget.objects.bulk_update(list(budgets.values()), ["bedrag", "toegekend"])
        for pb in Programmabudget.objects.filter(gemeente=gemeente):
            total = pb.gebiedsbudgetten.aggregate(s=Sum("bedrag"))["s"] or 0
            Programmabudget.objects.filter(pk=pb.pk).update(
                bedrag=max(pb.bedrag, total), toegewezen=total)
        Regeling.objects.filter(pk=regeling.pk).update(toegekend=sum(
            (a.toegekend for a in aanvragen), Decimal("0.00")))
    return {"aanvragen": Aanvraag.objects.filter(gemeente=gemeente).count(),
            "gebieden": len(gebieden), "aanvraagjaren": AanvraagJaar.objects.filter(
                gemeente=gemeente).count(), "jaar": jaar}


def run(n: int, warmup: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.models import Gemeente, User

    gemeente = Gemeente.objects.get(slug="groningen")
    user = User.objects.get(username="groningen-beleid")
    jaar = max(2026, timezone.localdate().year)
    client = Client()
    client.force_login(user)
    session_key = client.cookies["sessionid"].value
    from django.contrib.contenttypes.models import ContentType

    from finance.models import Aanvraag

    aanvraag_ct = ContentType.objects.get_for_model(Aanvraag).pk

    def fetch(cursor, sql, params):
        cursor.execute(sql, params)
        return cursor.fetchall()

    def counters(cursor, derived=False):
        g = gemeente.pk
        if derived:
            return (fetch(cursor, PROGRAMMA_DERIVED, [g, jaar]),
                    fetch(cursor, BUDGETS_DERIVED, [g, jaar, g, jaar]),
                    fetch(cursor, REGELINGEN_DERIVED, [g, g, jaar, jaar]))
        return (fetch(cursor, PROGRAMMA, [g, jaar]), fetch(cursor, BUDGETS, [g, jaar]),
                fetch(cursor, REGELINGEN, [g, jaar, jaar]))

    def raw_overview(derived=False):
        g = gemeente.pk
        with connection.cursor() as cursor:
            fetch(cursor, SESSION, [session_key, timezone.now()])
            fetch(cursor, USER, [user.pk])
            fetch(cursor, MEMBERSHIPS, [user.pk])
            fetch(cursor, YEARS, [g, g])
            counters(cursor, derived)
            fetch(cursor, GEBIEDEN, [g])
            fetch(cursor, SUMS.format(group="gebied_id"), [g, jaar])
            fetch(cursor, SUMS.format(group="organisatie_id"), [g, jaar])
            fetch(cursor, ORG_NAMES, [g])
            fetch(cursor, SUMS.format(group="regeling_id"), [g, jaar])
            fetch(cursor, SUMS_PER_DOEL, [aanvraag_ct, g, jaar])
            fetch(cursor, DOELEN, [g])
            fetch(cursor, OVERDUE, [g, timezone.localdate()])

    pages = [
        ("jaaroverzicht", f"/groningen/financien/?jaar={jaar}", raw_overview, n),
        ("aanvragen (pagina 1)", "/groningen/aanvragen/", None, n),
        ("over de beslistermijn", "/groningen/aanvragen/te-laat/", None, n),
        ("XLSX-export", f"/groningen/financien/export.xlsx?jaar={jaar}", None, max(5, n // 10)),
    ]
    results = []
    for label, url, raw, count in pages:
        def page(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        page_stats = summary_ms(timed(page, count, min(warmup, count)))
        with CaptureQueriesContext(connection) as page_queries:
            page()
        row = {"page": label, "url": url, "requests": count,
               "p50_ms": page_stats["p50_ms"], "p95_ms": page_stats["p95_ms"],
               "queries": len(page_queries.captured_queries),
               "baseline_p50_ms": "", "baseline_p95_ms": "", "baseline_queries": "",
               "ratio": ""}
        if raw:
            raw_stats = summary_ms(timed(raw, count, warmup))
            with CaptureQueriesContext(connection) as raw_queries:
                raw()
            row.update(baseline_p50_ms=raw_stats["p50_ms"], baseline_p95_ms=raw_stats["p95_ms"],
                       baseline_queries=len(raw_queries.captured_queries),
                       ratio=round(page_stats["p50_ms"] / raw_stats["p50_ms"], 1))
        results.append(row)

    # Stored against derived counters: equal figures first, then the time of each way.
    with connection.cursor() as cursor:
        stored, derived = counters(cursor), counters(cursor, derived=True)
    if [sorted(map(tuple, q)) for q in stored] != [sorted(map(tuple, q)) for q in derived]:
        raise RuntimeError("the derived counters differ from the stored ones")

    def counter_queries(derived=False):
        with connection.cursor() as cursor:
            counters(cursor, derived)

    for label, fn in (("tellers (3 queries)", counter_queries),
                      ("jaaroverzicht, raw SQL", raw_overview)):
        kept = summary_ms(timed(fn, n, warmup))
        summed = summary_ms(timed(lambda fn=fn: fn(derived=True), n, warmup))
        results.append({
            "page": f"{label}: afgeleid / opgeslagen", "url": "", "requests": n,
            "p50_ms": summed["p50_ms"], "p95_ms": summed["p95_ms"], "queries": "",
            "baseline_p50_ms": kept["p50_ms"], "baseline_p95_ms": kept["p95_ms"],
            "baseline_queries": "", "ratio": round(summed["p50_ms"] / kept["p50_ms"], 2)})
    return results


if __name__ == "__main__":
    main()
