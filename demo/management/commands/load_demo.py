"""Load the Groningen demo (and Assen, to make tenant isolation visible).

Each app that has demo data has a module `demo/<app>.py` with `load(gemeente, ctx)`; they run in the
order of DEMO_APPS and share `ctx` (a dict: gebieden, organisaties, ...). Idempotent: if the
demo gemeenten exist, nothing changes and the logins are printed again.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from core.models import Gemeente, Membership, Role, User

DEMO_PASSWORD = "demo-opgroeien-2026"
DEMO_APPS = ["regions", "network", "framework", "plans", "finance", "participation", "monitor",
             "toets", "kaart"]

GEMEENTEN = [
    # cbs_code, naam, slug, programmanaam, scope per scoped role (gebied or organisatie naam)
    ("GM0014", "Groningen", "groningen", "Positief Opgroeien",
     {"gebied": "SPT", "organisatie": "Kids First"}),
    ("GM0106", "Assen", "assen", "Oog voor jeugd",
     {"gebied": "Assen-Oost", "organisatie": "GGD Drenthe, jeugdgezondheidszorg"}),
]
# username suffix per role: <slug>-<suffix>, e.g. groningen-beleid.
ROLE_USERS = [
    ("beleid", Role.BELEIDSMEDEWERKER),
    ("coordinator", Role.GEBIEDSCOORDINATOR),
    ("stuurgroep", Role.STUURGROEPLID),
    ("partner", Role.PARTNER),
    ("jury", Role.JURYLID),
    ("raad", Role.RAADSLID),
]


def _users(gemeente, scope, ctx):
    for suffix, role in ROLE_USERS:
        user = User.objects.create_user(
            username=f"{gemeente.slug}-{suffix}", password=DEMO_PASSWORD,
            first_name=f"Demo {Role(role).label.lower()}", last_name=f"({gemeente.naam})")
        Membership.objects.create(
            user=user, gemeente=gemeente, role=role,
            gebied=ctx["gebieden"][scope["gebied"]] if role in (
                Role.GEBIEDSCOORDINATOR, Role.STUURGROEPLID) else None,
            organisatie=ctx["organisaties"][scope["organisatie"]]
            if role == Role.PARTNER else None)


class Command(BaseCommand):
    help = "Laad de demo van Groningen (Positief Opgroeien) en Assen (Oog voor jeugd)."

    def handle(self, *args, **options):
        if Gemeente.objects.filter(cbs_code="GM0014").exists():
            self.stdout.write("De demo is al geladen.")
        else:
            self.load()
            self.stdout.write("Demo geladen: Groningen en Assen.")
        self.print_logins()

    @transaction.atomic
    def load(self):
        for cbs_code, naam, slug, programmanaam, scope in GEMEENTEN:
            gemeente = Gemeente.objects.create(cbs_code=cbs_code, naam=naam, slug=slug,
                                               programmanaam=programmanaam)
            ctx = {}
            for app in DEMO_APPS[:2]:  # regions and network make what the users point at
                importlib.import_module(f"demo.{app}").load(gemeente, ctx)
            _users(gemeente, scope, ctx)
            for app in DEMO_APPS[2:]:
                importlib.import_module(f"demo.{app}").load(gemeente, ctx)

    def print_logins(self):
        self.stdout.write(f"\nInloggen kan met deze demo-accounts, wachtwoord: {DEMO_PASSWORD}")
        for m in (Membership.objects.select_related("user", "gemeente", "gebied", "organisatie")
                  .filter(user__username__contains="-").order_by("gemeente__naam", "user_id")):
            scope = m.gebied or m.organisatie
            self.stdout.write(f"  {m.user.username:<24} {m.gemeente.naam:<10} "
                              f"{m.get_role_display()}{f' ({scope})' if scope else ''}")
