"""Compute the monitor indicator "Aandeel actueel aanbod op de sociale kaart" now (the
scheduled job does the same each night): for one gemeente, or every gemeente with aanbod."""

from django.core.management.base import BaseCommand, CommandError

from core.models import Gemeente
from kaart import indicator

MELDINGEN = {"ingelezen": "cijfers geschreven", "ongewijzigd": "ongewijzigd",
             "geen regio's": "geen CBS-regio's: niets geschreven"}


class Command(BaseCommand):
    help = ("Bereken het aandeel actueel aanbod op de sociale kaart voor de monitor (de lopende "
            "maand): bereken_kaartindicator [gemeente]")

    def add_arguments(self, parser):
        parser.add_argument("gemeente", nargs="?",
                            help="korte naam (groningen) of CBS-code (GM0014); leeg: alle "
                                 "gemeenten met aanbod")

    def handle(self, gemeente=None, **options):
        if gemeente:
            g = Gemeente.objects.filter(slug=gemeente).first() or Gemeente.objects.filter(
                cbs_code=gemeente.upper()).first()
            if g is None:
                raise CommandError(f"Onbekende gemeente: {gemeente}")
            resultaat = indicator.bereken(g)
            uitkomsten = {g.slug: resultaat.status if resultaat else "geen regio's"}
        else:
            uitkomsten = indicator.bereken_alle()
        for slug, status in uitkomsten.items():
            self.stdout.write(f"{slug}: {MELDINGEN[status]}")
