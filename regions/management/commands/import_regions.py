from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import imports
from core.models import Gemeente
from regions.services import importeer


class Command(BaseCommand):
    help = "Lees CBS-regio's (kolommen code, naam, jaar) in voor een gemeente, alles of niets."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", required=True,
                            help="CBS-code van de gemeente, bv. GM0014")
        parser.add_argument("bestand", type=Path)

    def handle(self, *args, gemeente, bestand, **options):
        try:
            tenant = Gemeente.objects.get(cbs_code=gemeente.upper())
        except Gemeente.DoesNotExist:
            raise CommandError(f"Gemeente {gemeente} bestaat niet in Opgroeien.") from None
        if not bestand.is_file():
            raise CommandError(f"Bestand {bestand} niet gevonden.")
        try:
            result = importeer(None, tenant, bestand.read_bytes(), check_permission=False)
        except imports.ImportGeweigerd as exc:
            raise imports.command_error(exc) from None
        self.stdout.write(f"{result.aangemaakt} nieuw, {result.bijgewerkt} gewijzigd, "
                          f"{result.ongewijzigd} ongewijzigd.")
