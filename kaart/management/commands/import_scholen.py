from kaart.management.register_command import RegisterCommand


class Command(RegisterCommand):
    help = "DUO-lijst van vestigingen basisonderwijs inlezen: import_scholen <gemeente> <bestand>"
    register = "duo"
