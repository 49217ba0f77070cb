"""Hourly job: purge children's personal data past retention and escalate overdue youth voices.

    manage.py purge_participation_data            # run now, in this process
    manage.py purge_participation_data --enqueue  # hand it to the django-tasks worker
"""

from django.core.management.base import BaseCommand

from participation import tasks


class Command(BaseCommand):
    help = ("Wis persoonsgegevens van kinderen na de bewaartermijn en escaleer inzendingen "
            "zonder antwoord na de termijn.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Zet de taken in de wachtrij van de worker.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            for t in (tasks.purge_participation_data, tasks.escalate_overdue):
                result = t.enqueue()
                self.stdout.write(f"{t.name}: {result.id}")
            return
        counts = tasks.purge_participation_data.call()
        escalated = tasks.escalate_overdue.call()
        self.stdout.write(
            "Gewist: {aanmeldingen} aanmeldingen, {vlogs} vlogs, {fotos} foto's, "
            "{emailkiezers} e-mailkiezers, {inzending_emails} e-mailadressen bij inzendingen, "
            "{inzending_teksten} teksten van kinderen geanonimiseerd."
            .format(**counts))
        self.stdout.write(f"Geëscaleerd: {escalated} inzendingen zonder antwoord.")
