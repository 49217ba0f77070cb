"""gunicorn settings for production. `gunicorn opgroeien.wsgi` started in this directory reads
this file; bench/bench_votes.py measures the vote endpoint with it (see
docs/participation-voting.md).

gthread workers: one process per core, each with threads that overlap their waits for
PostgreSQL, and keep-alive connections (a browser, or the load balancer, reuses them). Override
with the environment: WEB_CONCURRENCY (processes), GUNICORN_THREADS, GUNICORN_BIND, or any
option through GUNICORN_CMD_ARGS. Set CONN_MAX_AGE (e.g. 60) as well, so every thread keeps
its database connection instead of opening one per request.
"""

import os

wsgi_app = "opgroeien.wsgi"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
keepalive = 30
backlog = 2048
