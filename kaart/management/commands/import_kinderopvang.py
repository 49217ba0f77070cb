from kaart.management.register_command import RegisterCommand


class Command(RegisterCommand):
    help = "LRK-export kinderopvang inlezen: import_kinderopvang <gemeente> <bestand>"
    register = "lrk"
