"""The base of the check commands: each stored counter has a command that recomputes it from
the rows it counts (DESIGN §5), such as controleer_financien and controleer_stemmen.

    manage.py <command> [--gemeente GM0014]

Exit code 0 when everything agrees; 1 with a Dutch list of the differences otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from core.models import Gemeente


class ControleCommand(BaseCommand):
    """Subclasses give `help`, `klopt` (the line when all agrees) and `verschillen(gemeente)`:
    the Dutch differences, of one gemeente or (None) of all."""

    klopt = ""

    def verschillen(self, gemeente) -> list:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="CBS-code, bijvoorbeeld GM0014 (standaard: alle)")

    def handle(self, *args, gemeente=None, **options):
        scope = None
        if gemeente:
            scope = Gemeente.objects.filter(cbs_code=gemeente.upper()).first()
            if scope is None:
                raise CommandError(f"Onbekende gemeente: {gemeente}")
        problems = self.verschillen(scope)
        if problems:
            self.stderr.write(f"{len(problems)} verschil(len) gevonden:")
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        self.stdout.write(self.klopt)
