"""Check that the votes in every election's ballot boxes equal what was spent: per code
channel the spent codes, by e-mail the voters marked as voted (selectors.controleer_stemmen).

    manage.py controleer_stemmen [--gemeente GM0014]

Exit code 0 when everything agrees; 1 with a Dutch list of the differences otherwise. It shows
no counts per candidate, so it may also run while voting is open.
"""

from django.core.management.base import BaseCommand, CommandError

from core.models import Gemeente
from participation.models import Verkiezing
from participation.selectors import controleer_stemmen


class Command(BaseCommand):
    help = "Controleer of de stemmen in de stembussen kloppen met de gebruikte stemcodes."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="CBS-code, bijvoorbeeld GM0014 (standaard: alle)")

    def handle(self, *args, gemeente=None, **options):
        verkiezingen = Verkiezing.objects.select_related("gemeente")
        if gemeente:
            scope = Gemeente.objects.filter(cbs_code=gemeente.upper()).first()
            if scope is None:
                raise CommandError(f"Onbekende gemeente: {gemeente}")
            verkiezingen = verkiezingen.filter(gemeente=scope)
        problems = [p for v in verkiezingen for p in controleer_stemmen(v)]
        if problems:
            self.stderr.write(f"{len(problems)} verschil(len) gevonden:")
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        self.stdout.write("Alle stemmen in de stembussen kloppen met de gebruikte codes.")
