"""The one management command both register imports are (import_scholen, import_kinderopvang):
prints `aangemaakt N, bijgewerkt N, gesloten N, ongewijzigd N`; a refused file is a Dutch
CommandError (exit code 1) listing rows and columns."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import imports
from core.models import Gemeente
from kaart import registers


class RegisterCommand(BaseCommand):
    register = None

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="korte naam (groningen) of CBS-code (GM0014)")
        parser.add_argument("bestand")

    def handle(self, gemeente, bestand, **options):
        g = Gemeente.objects.filter(slug=gemeente).first() or Gemeente.objects.filter(
            cbs_code=gemeente.upper()).first()
        if g is None:
            raise CommandError(f"Onbekende gemeente: {gemeente}")
        path = Path(bestand)
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {bestand}")
        try:
            resultaat = registers.importeer_bestand(None, g, self.register, path.name,
                                                    path.read_bytes(), check_permission=False)
        except imports.ImportGeweigerd as exc:
            raise imports.command_error(exc) from None
        self.stdout.write(resultaat.regel())
