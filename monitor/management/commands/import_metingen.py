"""Import a measurement file (CBS StatLine CSV or OData JSON, or the Opgroeien template) for
a gemeente. A refused file ends with the Dutch problems and exit code 1.

    manage.py import_metingen groningen kerncijfers.csv --bron CBS \
        --kolom "KinderenInLaagInkomen_1=armoede_kind:teller" --voorbeeld

Runs as the system (audited as 'systeem'); all or nothing, like the upload in the monitor.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from core import imports
from core.models import Gemeente
from monitor import services


class Command(BaseCommand):
    help = "Lees een bestand met cijfers in voor de monitor (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("gemeente", help="slug of CBS-code van de gemeente")
        parser.add_argument("bestand")
        parser.add_argument("--bron", default="", help="bijvoorbeeld CBS")
        parser.add_argument("--formaat", choices=["cbs", "cbs_json", "sjabloon"], default=None)
        parser.add_argument("--periode", default="",
                            help="de periode van een CBS-tabel zonder kolom Perioden, zoals "
                                 "de Kerncijfers wijken en buurten (bijvoorbeeld 2022)")
        parser.add_argument("--kolom", action="append", default=[],
                            help="KOLOM=indicatorcode:rol (rol: waarde, teller of noemer)")
        parser.add_argument("--voorbeeld", action="store_true",
                            help="alleen controleren, niets inlezen")

    def handle(self, *args, **options):
        gemeente = Gemeente.objects.filter(Q(slug=options["gemeente"])
                                           | Q(cbs_code=options["gemeente"].upper())).first()
        if gemeente is None:
            raise CommandError(f"Gemeente '{options['gemeente']}' bestaat niet.")
        kolommen = {}
        for item in options["kolom"]:
            kolom, sep, rest = item.rpartition("=")
            code, sep2, rol = rest.partition(":")
            if not (sep and sep2):
                raise CommandError(f"--kolom '{item}': schrijf KOLOM=indicatorcode:rol.")
            kolommen[kolom] = (code, rol)
        path = Path(options["bestand"])
        if not path.is_file():
            raise CommandError(f"Bestand {path} niet gevonden.")
        try:
            result = services.importeer(
                None, gemeente, path.read_bytes(), path.name, bron=options["bron"],
                formaat=options["formaat"], kolommen=kolommen or None,
                periode=options["periode"], alleen_voorbeeld=options["voorbeeld"],
                check_permission=False)
        except imports.ImportGeweigerd as exc:
            raise imports.command_error(exc) from None
        if result.status == imports.ONGEWIJZIGD:
            self.stdout.write(f"Dit bestand is al ingelezen ({result.batch}); niets veranderd.")
            return
        v = result.voorbeeld
        for item in v.samenvatting():
            self.stdout.write(f"{item['indicator'].code}: {item['aantal']} cijfers, periodes "
                              f"{', '.join(item['periodes'])} (geheim {item['geheim']}, "
                              f"afgerond {item['afgerond']})")
        for p in v.problemen:
            self.stdout.write(f"FOUT: {p}")
        if result.status == imports.VOORBEELD:
            self.stdout.write("Voorbeeld: er is niets ingelezen.")
            if v.problemen:
                # A preview of a file that would be refused ends like the refusal itself.
                raise CommandError(f"Dit bestand zou geweigerd worden: {len(v.problemen)} "
                                   f"fout(en), zie hierboven.")
        else:
            self.stdout.write(f"Ingelezen: {result.batch.rijen} cijfers"
                              + (f", vervangt {len(result.vervangen)} eerdere import(s)"
                                 if result.vervangen else "") + ".")
