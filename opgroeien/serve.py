"""The production web server: granian (HTTP in Rust, the Django app through WSGI).

    CONN_MAX_AGE=60 python -m opgroeien.serve

Starts `granian opgroeien.wsgi:application` with the defaults below; every option of
`granian --help` can be changed through its own GRANIAN_* environment variable (e.g.
GRANIAN_PORT, GRANIAN_WORKERS) or an extra argument. bench/bench_votes.py measures the vote
endpoint through this same command (docs/participation-voting.md).

Why these defaults: one worker process per core, each running the Django app in 4 threads, so
one request's wait for PostgreSQL overlaps with the work of others without the threads
fighting over the interpreter lock (2 x 4, 2 x 8, 4 x 2 and 6 x 1 measured alike on the 2-core
development machine; more threads per core only cost CPU). HTTP parsing and keep-alive happen
in Rust and cost the workers far less CPU per request than a Python HTTP server: the server's
CPU per vote fell by a quarter to a third against gunicorn's gthread workers.
"""

import os
import sys

DEFAULTS = {
    "GRANIAN_INTERFACE": "wsgi",
    "GRANIAN_HOST": "0.0.0.0",
    "GRANIAN_PORT": "8000",
    "GRANIAN_WORKERS": str(os.cpu_count() or 2),
    "GRANIAN_BLOCKING_THREADS": "4",
    "GRANIAN_BACKLOG": "2048",
    "GRANIAN_WEBSOCKETS": "false",
    "GRANIAN_RESPAWN_FAILED_WORKERS": "true",
}
TARGET = "opgroeien.wsgi:application"


def main(argv=None):
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    from granian.cli import cli

    return cli([TARGET, *(sys.argv[1:] if argv is None else argv)], auto_envvar_prefix="GRANIAN")


if __name__ == "__main__":
    main()
