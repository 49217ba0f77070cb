"""Run the real task worker (`manage.py db_worker --batch`) inside a test's transaction."""

import os
from unittest import mock

from django.core.management import call_command


def run_worker():
    """Work off every task that is due, then return. The worker closes "old" database
    connections between tasks (as a request would); inside a test that is the test's own
    connection, so that one step is left out."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                     "--interval", "0", verbosity=0, stdout=open(os.devnull, "w"))
