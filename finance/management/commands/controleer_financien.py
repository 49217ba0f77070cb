"""Check that every stored money counter equals the sum over the rows it counts.

    manage.py controleer_financien [--gemeente GM0014]

Exit code 0 when all counters agree; 1 with a Dutch list of the differences otherwise.
"""

from core.management.controle import ControleCommand
from finance.selectors import controleer_financien


class Command(ControleCommand):
    help = "Controleer of de tellers van plafonds en budgetten kloppen met de aanvragen."
    klopt = "Alle tellers kloppen met de aanvragen."

    def verschillen(self, gemeente):
        return controleer_financien(gemeente)
