"""The scheduler process: hands periodic jobs (core/scheduler.py) to the task worker.

    manage.py run_scheduler            # run until stopped (Ctrl+C / SIGTERM)
    manage.py run_scheduler --once     # one round, then exit (e.g. from cron)

Only one scheduler works at a time (a lease in the database); start it once per site.
"""

import signal
import socket
import threading
import uuid

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from core import scheduler


class Command(BaseCommand):
    help = "Zet geplande taken op hun tijd klaar voor de taakverwerker (db_worker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Eén ronde, daarna stoppen.")
        parser.add_argument("--interval", type=float, default=20.0,
                            help="Seconden tussen twee rondes (standaard 20).")

    def handle(self, *, once, interval, verbosity, **options):
        holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
        names = ", ".join(job.name for job in scheduler.jobs())
        self.stdout.write(f"Planner {holder}; taken: {names}")
        waiting = False
        try:
            while True:
                if not once:
                    close_old_connections()  # as a request would: drop a broken connection
                if scheduler.acquire_lease(holder):
                    if waiting:
                        self.stdout.write("De andere planner is gestopt; deze neemt het over.")
                        waiting = False
                    for name in scheduler.tick():
                        self.stdout.write(f"Klaargezet: {name}")
                elif not waiting:
                    current = scheduler.lease_holder()
                    self.stdout.write(
                        f"Een andere planner draait al ({current.holder if current else '?'});"
                        " deze doet niets en wacht.")
                    waiting = True
                if once or stop.wait(interval):
                    break
        finally:
            scheduler.release_lease(holder)
