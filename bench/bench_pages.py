"""Server time of three pages of the demo, against fetching the same data with raw SQL.

For each page: N requests through Django's test Client (after a warm-up), logged in as
groningen-beleid; the p50/p95 time of the whole request (middleware, view, ORM, template) and
the number of SQL queries. The baseline, measured in the same run on the same database: the
queries that page needs, written by hand with `connection.cursor()`, fetched and not rendered.
`ratio = page_p50 / baseline_p50` is what the framework, the ORM and the templates cost on top
of the data access itself.

    .venv/bin/python bench/bench_pages.py [--n 200] [--warmup 20]
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, setup_django, summary_ms, timed, write_results  # noqa: E402

NAME = "bench_pages"

SESSION = ("SELECT session_key, session_data, expire_date FROM django_session "
           "WHERE session_key = %s AND expire_date > %s")
USER = ("SELECT id, password, last_login, is_superuser, username, first_name, last_name, "
        "email, is_staff, is_active, date_joined FROM core_user WHERE id = %s")
MEMBERSHIPS = (
    "SELECT m.id, m.role, g.id, g.cbs_code, g.naam, g.slug, g.programmanaam, gb.naam, o.naam "
    "FROM core_membership m JOIN core_gemeente g ON g.id = m.gemeente_id "
    "LEFT JOIN regions_gebied gb ON gb.id = m.gebied_id "
    "LEFT JOIN network_organisatie o ON o.id = m.organisatie_id "
    "WHERE m.user_id = %s ORDER BY g.naam")
HOME = [
    "SELECT id, naam FROM regions_gebied WHERE gemeente_id = %s ORDER BY naam",
    "SELECT id, naam FROM network_organisatie WHERE gemeente_id = %s ORDER BY naam LIMIT 9",
    "SELECT COUNT(*) FROM network_organisatie WHERE gemeente_id = %s",
    "SELECT id, naam FROM network_stuurgroep WHERE gemeente_id = %s ORDER BY naam",
]
GEBIED = ("SELECT id, naam, afkorting, beschrijving, jaar FROM regions_gebied "
          "WHERE id = %s AND gemeente_id = %s")
GEBIED_REGIONS = (
    "SELECT r.id, r.soort, r.code, r.naam, p.naam FROM regions_region r "
    "JOIN regions_gebied_regions gr ON gr.region_id = r.id "
    "LEFT JOIN regions_region p ON p.id = r.parent_id WHERE gr.gebied_id = %s ORDER BY r.code")
STUURGROEP = (
    "SELECT s.id, s.naam, s.werkwijze, g.id, g.naam FROM network_stuurgroep s "
    "JOIN regions_gebied g ON g.id = s.gebied_id WHERE s.id = %s AND s.gemeente_id = %s")
ROLLEN = (
    "SELECT r.id, r.rol, r.titel, r.taken, o.id, o.naam, p.id, p.naam "
    "FROM network_stuurgroeprol r LEFT JOIN network_organisatie o ON o.id = r.organisatie_id "
    "LEFT JOIN network_persoon p ON p.id = r.persoon_id WHERE r.stuurgroep_id = %s "
    "ORDER BY r.volgorde, r.id")
HISTORY = (
    "SELECT a.id, a.actor_naam, a.at, a.action, a.before, a.after, ct.model "
    "FROM core_auditentry a JOIN django_content_type ct ON ct.id = a.content_type_id "
    "WHERE ct.app_label = %s AND ct.model = %s AND a.object_id IN ({ids}) "
    "ORDER BY a.at DESC, a.id DESC LIMIT 50")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests first")
    args = parser.parse_args(argv)

    database, cleanup = setup_django()
    try:
        results = run(args.n, args.warmup)
    finally:
        cleanup()
    print_table(
        f"Pages, {args.n} requests each after {args.warmup} warm-up ({database})",
        [("page", "page"), ("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"), ("queries", "queries"),
         ("baseline_p50_ms", "raw SQL p50 ms"), ("baseline_queries", "raw SQL queries"),
         ("ratio", "ratio")],
        results)
    path = write_results(NAME, database, results, n=args.n, warmup=args.warmup)
    print(f"  written to {path}")
    return results


def run(n: int, warmup: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.models import Gemeente, User
    from network.models import Stuurgroep
    from regions.models import Gebied

    gemeente = Gemeente.objects.get(slug="groningen")
    user = User.objects.get(username="groningen-beleid")
    gebied = Gebied.objects.get(gemeente=gemeente, afkorting="SPT")
    stuurgroep = Stuurgroep.objects.get(gebied=gebied)
    client = Client()
    client.force_login(user)
    session_key = client.cookies["sessionid"].value

    def fetch(cursor, sql, params):
        cursor.execute(sql, params)
        return cursor.fetchall()

    def common(cursor):
        fetch(cursor, SESSION, [session_key, timezone.now()])
        fetch(cursor, USER, [user.pk])
        return fetch(cursor, MEMBERSHIPS, [user.pk])

    def raw_home():
        with connection.cursor() as cursor:
            common(cursor)
            for sql in HOME:
                fetch(cursor, sql, [gemeente.pk])

    def raw_gebied():
        with connection.cursor() as cursor:
            common(cursor)
            fetch(cursor, GEBIED, [gebied.pk, gemeente.pk])
            fetch(cursor, GEBIED_REGIONS, [gebied.pk])
            fetch(cursor, HISTORY.format(ids="%s"), ["regions", "gebied", str(gebied.pk)])

    def raw_stuurgroep():
        with connection.cursor() as cursor:
            common(cursor)
            fetch(cursor, STUURGROEP, [stuurgroep.pk, gemeente.pk])
            rollen = fetch(cursor, ROLLEN, [stuurgroep.pk])
            fetch(cursor, HISTORY.format(ids="%s"), ["network", "stuurgroep", str(stuurgroep.pk)])
            ids = [str(r[0]) for r in rollen]
            fetch(cursor, HISTORY.format(ids=", ".join(["%s"] * len(ids))),
                  ["network", "stuurgroeprol", *ids])

    pages = [
        ("gemeente home", "/groningen/", raw_home),
        ("gebied SPT", f"/groningen/gebieden/{gebied.pk}/", raw_gebied),
        ("stuurgroep SPT", f"/groningen/stuurgroepen/{stuurgroep.pk}/", raw_stuurgroep),
    ]
    results = []
    for label, url, raw in pages:
        def page(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        page_times = timed(page, n, warmup)
        raw_times = timed(raw, n, warmup)
        with CaptureQueriesContext(connection) as page_queries:
            page()
        with CaptureQueriesContext(connection) as raw_queries:
            raw()
        page_stats, raw_stats = summary_ms(page_times), summary_ms(raw_times)
        results.append({
            "page": label, "url": url,
            "p50_ms": page_stats["p50_ms"], "p95_ms": page_stats["p95_ms"],
            "queries": len(page_queries.captured_queries),
            "baseline_p50_ms": raw_stats["p50_ms"], "baseline_p95_ms": raw_stats["p95_ms"],
            "baseline_queries": len(raw_queries.captured_queries),
            "ratio": round(page_stats["p50_ms"] / raw_stats["p50_ms"], 1),
        })
    return results


if __name__ == "__main__":
    main()
