"""Shared set-up for the benchmarks: a fresh database with the demo, figures, JSON results.

Every bench_*.py calls `setup_django()` first (before importing models). Without
DATABASE_URL the benchmark gets a new SQLite file in a temporary directory; with
DATABASE_URL (e.g. PostgreSQL) it creates a separate, fresh database `<name>_bench` next to
the configured one, as Django's test runner would, and drops it afterwards. The configured
database itself is never written to.
"""

import http.client
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def setup_django():
    """Configure Django on a fresh database holding the demo. Returns (description, cleanup)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opgroeien.settings")
    tmpdir = None
    if not os.environ.get("DATABASE_URL"):
        tmpdir = tempfile.mkdtemp(prefix="opgroeien-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"

    import django

    # WhiteNoise warns that STATIC_ROOT does not exist; the benchmarks serve no static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # As in a test run: no DEBUG overhead (query log, technical pages). The static files
    # storage was already chosen when the settings were read.
    settings.DEBUG = False
    old_name = None
    if tmpdir:
        call_command("migrate", verbosity=0, interactive=False)
        where = "temporary file"
    else:
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            f"{connection.settings_dict['NAME']}_bench")
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        where = connection.settings_dict["NAME"]
    call_command("load_demo", stdout=StringIO())
    with connection.cursor():
        version = ".".join(str(v) for v in connection.get_database_version())
    description = f"{connection.vendor} {version} ({where})"

    def cleanup():
        if tmpdir:
            connection.close()
            shutil.rmtree(tmpdir, ignore_errors=True)
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    return description, cleanup


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation, as numpy's default."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    return {"p50_ms": round(percentile(ms, 50), 3), "p95_ms": round(percentile(ms, 95), 3),
            "mean_ms": round(statistics.fmean(ms), 3)}


def write_results(name: str, database: str, results: list[dict], **extra) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        **extra,
        "results": results,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def print_table(title: str, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    """columns: [(key, header)]; numbers right-aligned."""
    cells = [[h for _, h in columns]] + [
        [f"{r[k]:.2f}" if isinstance(r[k], float) else str(r[k]) for k, _ in columns]
        for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    print(title)
    for n, row in enumerate(cells):
        padded = [c.ljust(w) if i == 0 else c.rjust(w)
                  for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("  " + "  ".join(padded))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def timed(fn, n: int, warmup: int) -> list[float]:
    """Call `fn` `warmup` times untimed, then `n` times; the seconds of each timed call."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def wait_for_server(port: int, path: str, tries: int = 150) -> None:
    """Poll a server on loopback until `path` answers 200 (every 0.2 s, `tries` times)."""
    for _ in range(tries):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")
