"""Check that the votes in every election's ballot boxes equal what was spent: per code
channel the spent codes, by e-mail the voters marked as voted (selectors.controleer_stemmen).

    manage.py controleer_stemmen [--gemeente GM0014]

Exit code 0 when everything agrees; 1 with a Dutch list of the differences otherwise. It shows
no counts per candidate, so it may also run while voting is open.
"""

from core.management.controle import ControleCommand
from participation.models import Verkiezing
from participation.selectors import controleer_stemmen


class Command(ControleCommand):
    help = "Controleer of de stemmen in de stembussen kloppen met de gebruikte stemcodes."
    klopt = "Alle stemmen in de stembussen kloppen met de gebruikte codes."

    def verschillen(self, gemeente):
        verkiezingen = Verkiezing.objects.select_related("gemeente")
        if gemeente is not None:
            verkiezingen = verkiezingen.filter(gemeente=gemeente)
        return [p for v in verkiezingen for p in controleer_stemmen(v)]
