"""Every minute while an election runs: shuffle its ballots, so no ballot keeps the id of the
transaction that spent its code (see participation.services.meng_stemmen).

    * * * * * manage.py mix_ballots            # cron, in this process
    manage.py mix_ballots --enqueue            # hand it to the django-tasks worker
"""

from django.core.management.base import BaseCommand

from participation import tasks


class Command(BaseCommand):
    help = "Schud de stemmen van lopende verkiezingen door elkaar (stemgeheim)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Zet de taak in de wachtrij van de worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = tasks.mix_ballots.enqueue()
            self.stdout.write(f"{tasks.mix_ballots.name}: {result.id}")
            return
        self.stdout.write(f"Door elkaar geschud: {tasks.mix_ballots.call()} stemmen.")
