"""Check that every stored money counter equals the sum over the rows it counts.

    manage.py controleer_financien [--gemeente GM0014]

Exit code 0 when all counters agree; 1 with a Dutch list of the differences otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from core.models import Gemeente
from finance.selectors import controleer_financien


class Command(BaseCommand):
    help = "Controleer of de tellers van plafonds en budgetten kloppen met de aanvragen."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="CBS-code, bijvoorbeeld GM0014 (standaard: alle)")

    def handle(self, *args, gemeente=None, **options):
        scope = None
        if gemeente:
            scope = Gemeente.objects.filter(cbs_code=gemeente.upper()).first()
            if scope is None:
                raise CommandError(f"Onbekende gemeente: {gemeente}")
        problems = controleer_financien(scope)
        if problems:
            self.stderr.write(f"{len(problems)} verschil(len) gevonden:")
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        self.stdout.write("Alle tellers kloppen met de aanvragen.")
