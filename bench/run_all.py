"""Run every benchmark (bench/bench_*.py) in turn, each in its own process with its own fresh
database, and say where the results are. Each prints its figures and writes
bench/results/<name>.json.

    .venv/bin/python bench/run_all.py              # all of them
    .venv/bin/python bench/run_all.py bench_pages  # only these
"""

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or None
    scripts = sorted(BENCH.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem in names]
        missing = set(names) - {s.stem for s in scripts}
        if missing:
            print(f"unknown benchmark(s): {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
    failed = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=BENCH.parent)
        print(f"== {script.stem}: {'ok' if code == 0 else f'FAILED ({code})'} "
              f"in {time.perf_counter() - start:.0f} s\n", flush=True)
        if code:
            failed.append(script.stem)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"results: {BENCH / 'results'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
