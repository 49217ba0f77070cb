"""manage.py toets <gemeente> <file> [--json]: hold a document against the gemeente's Klaverblad
and print per doel the status and the evidence. Stores nothing."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.models import Gemeente
from toets import analyse, services
from toets.models import Lexicon


class Command(BaseCommand):
    help = "Toets een beleidsdocument aan het Klaverblad van een gemeente (slaat niets op)."

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="slug of CBS-code, bijvoorbeeld groningen of GM0014")
        parser.add_argument("bestand", help="PDF, DOCX, ODT, HTML, Markdown of tekst")
        parser.add_argument("--json", action="store_true", help="uitvoer als JSON")

    def handle(self, gemeente, bestand, **options):
        g = Gemeente.objects.filter(slug=gemeente).first() or \
            Gemeente.objects.filter(cbs_code__iexact=gemeente).first()
        if g is None:
            raise CommandError(f"Gemeente '{gemeente}' bestaat niet.")
        pad = Path(bestand)
        if not pad.is_file():
            raise CommandError(f"Bestand '{bestand}' bestaat niet.")
        try:
            document = services.lees_bestand(pad.read_bytes(), pad.name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        lexicon = Lexicon.objects.filter(gemeente=g).order_by("-versie").first()
        inhoud = lexicon.inhoud if lexicon else services.standaard_inhoud(g)
        uitkomsten = analyse.analyseer(document.passages, analyse.compileer(inhoud))
        if options["json"]:
            uit = services.als_json(uitkomsten)
            uit["lexicon"] = lexicon.versie if lexicon else "standaard"
            self.stdout.write(json.dumps(uit, ensure_ascii=False, indent=2))
            return
        for nr, u in sorted(uitkomsten.items(), key=lambda kv: int(kv[0])):
            self.stdout.write(f"Doel {nr}: {u.status} — {u.reden}")
            for b in u.bewijs[:3]:
                self.stdout.write(f"    blz. {b.pagina}: {b.tekst[:160]}")
