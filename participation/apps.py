from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Jeugdparticipatie")

    def ready(self):
        import participation.attention  # noqa: F401  (registers its attention items, core/attention.py)
        from core import policy
        from core.models import Role
        from core.modules import Module, register
        from core.notifications import register_kind
        from participation import selectors

        beleid = frozenset({Role.BELEIDSMEDEWERKER})
        beleid_only = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE}
        nobody = frozenset()
        rules = {
            "participation.instelling": policy.Rule(view=beleid, write=beleid_only),
            "participation.verkiezing": policy.Rule(write=beleid_only),
            "participation.criterium": policy.Rule(write=beleid_only),
            # Applications come in through the public form (a service without an account);
            # they hold children's personal data: only the beleidsmedewerker and the jury read.
            "participation.aanmelding": policy.Rule(
                view=beleid | {Role.JURYLID}, write=beleid_only, add={}),
            # A juror scores (the service also checks it is their own score).
            "participation.juryscore": policy.Rule(
                view=beleid | {Role.JURYLID}, write={Role.JURYLID: policy.GEMEENTE}),
            "participation.kandidaat": policy.Rule(write=beleid_only),
            "participation.stemcodereeks": policy.Rule(view=beleid, write=beleid_only),
            # Codes, e-mail voters and ballots are never read or written through the policy:
            # only the voting services touch them, and the tally is a selector with its own
            # rule (hidden until the voting window closes).
            "participation.stemcode": policy.Rule(view=nobody, write={}),
            "participation.emailkiezer": policy.Rule(view=nobody, write={}),
            "participation.stem": policy.Rule(view=nobody, write={}),
            "participation.uitslag": policy.Rule(write=beleid_only),
            "participation.adviesronde": policy.Rule(view=beleid, write=beleid_only),
            "participation.inzending": policy.Rule(view=beleid, write=beleid_only, add={}),
            "participation.vervolgactie": policy.Rule(view=beleid, write=beleid_only),
            "participation.terugkoppeling": policy.Rule(view=beleid, write=beleid_only),
            "participation.kinderthema": policy.Rule(view=beleid, write=beleid_only),
        }
        for label, rule in rules.items():
            policy.register(label, rule)
        # Messages to parents of applicants (e-mail only: they have no account).
        register_kind("participation.aanmelding_ontvangen", _("Aanmelding kinderburgemeester"))
        register_kind("participation.kandidaat_gekozen", _("Gekozen als kandidaat"))
        register_kind("participation.niet_gekozen", _("Niet gekozen als kandidaat"))
        # Messages to a child who gave an e-mail address with an idea, question or advice.
        register_kind("participation.inzending_volgcode", _("Volgcode van een bericht"))
        register_kind("participation.inzending_antwoord", _("Antwoord op een bericht"))
        register_kind("participation.inzending_terugkoppeling", _("Nieuws over een bericht"))

        register(Module(
            title=_("Kinderburgemeester"),
            description=_("De verkiezing van de kinderburgemeester: aanmelden, jury, stemmen en "
                          "de uitslag."),
            url_name="participation:verkiezing-list",
            model_label="participation.Verkiezing",
            order=60,
            summary=selectors.home_summary_verkiezingen,
        ))
        register(Module(
            title=_("Jouw stem"),
            description=_("Ideeën, vragen en adviezen van kinderen en jongeren. Elk krijgt op "
                          "tijd een antwoord."),
            url_name="participation:inzending-list",
            model_label="participation.Inzending",
            order=61,
            summary=selectors.home_summary_inzendingen,
        ))
