from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KaartConfig(AppConfig):
    name = "kaart"
    verbose_name = _("Sociale kaart")

    def ready(self):
        from core import policy
        from core.models import Role
        from core.modules import Module, register
        from core.notifications import register_kind
        from framework import coverage
        from kaart import selectors
        from kaart.services import KINDS

        beleid = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE}
        for label in ("kaart.aanbod", "kaart.locatie", "kaart.openingstijd",
                      "kaart.uitzondering", "kaart.aanbieder", "kaart.kaartinstelling",
                      "kaart.postcodebuurt", "kaart.schoolvakantie",
                      "kaart.verwijsroute", "kaart.verwijsstap"):
            policy.register(label, policy.Rule(write=beleid))
        # The redacteur keeps every school's ladder; a provider (partner) adds, changes and
        # removes the activities of their own organisation (Ladderactiviteit.aanbieder).
        policy.register("kaart.ladderactiviteit", policy.Rule(
            write={**beleid, Role.PARTNER: policy.ORGANISATIE}))
        # A partner proposes changes to their own organisation's aanbod; the redacteur
        # (beleidsmedewerker) decides. Both read the requests of that aanbod.
        policy.register("kaart.wijzigingsverzoek", policy.Rule(
            view=frozenset({Role.BELEIDSMEDEWERKER, Role.PARTNER}),
            write=beleid,
            add={**beleid, Role.PARTNER: policy.ORGANISATIE},
            delete={},
        ))
        # Public reports: provider and redacteur answer them.
        policy.register("kaart.melding", policy.Rule(
            view=frozenset({Role.BELEIDSMEDEWERKER, Role.PARTNER}),
            write={**beleid, Role.PARTNER: policy.ORGANISATIE},
            add={}, delete={},
        ))

        for code, label in KINDS.items():
            register_kind(code, label)

        register(Module(
            title=_("Sociale kaart"),
            description=_("Wat er te doen en te krijgen is voor kinderen, jongeren en ouders: "
                          "aanbod per organisatie, locatie, levensdomein en leeftijd; hoe "
                          "actueel het is."),
            url_name="kaart:aanbod-list",
            model_label="kaart.Aanbod",
            order=45,
            summary=selectors.home_summary,
        ))
        coverage.register(coverage.CoverageSource(
            key="kaart", label=_("aanbod (actueel)"),
            counts=selectors.dekking_counts, url=selectors.dekking_url, beleid=False))
