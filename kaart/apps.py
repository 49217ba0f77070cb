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
                      "kaart.uitzondering", "kaart.kaartinstelling",
                      "kaart.postcodebuurt", "kaart.schoolvakantie",
                      "kaart.verwijsroute", "kaart.verwijsstap"):
            policy.register(label, policy.Rule(write=beleid))
        # An aanbieder with its freshness (the share of current aanbod): the redacteur sees
        # every one, a partner their own organisation (kaart.views_versheid, the API).
        policy.register("kaart.aanbieder", policy.Rule(
            view=frozenset(), write=beleid,
            view_scope={**beleid, Role.PARTNER: policy.ORGANISATIE}))
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

        # The search form's cached choice lists follow the regions, Klaverblad and doelen.
        from django.db.models.signals import post_delete, post_save

        from framework.models import Doel, Kader
        from kaart.models import Levensdomein
        from regions.models import Region

        for model in (Region, Kader, Doel, Levensdomein):
            for signal in (post_save, post_delete):
                signal.connect(selectors.vergeet_zoekkeuzes, sender=model,
                               dispatch_uid=f"kaart.zoekkeuzes.{model._meta.label}")
        # The public pages' cached gemeente and KaartInstelling follow both.
        from core.models import Gemeente
        from kaart.models import KaartInstelling

        for model in (Gemeente, KaartInstelling):
            for signal in (post_save, post_delete):
                signal.connect(selectors.vergeet_publieke_kaart, sender=model,
                               dispatch_uid=f"kaart.publiek.{model._meta.label}")

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
        from kaart import views_versheid
        from network import panelen

        panelen.register(panelen.Paneel(
            key="kaart.versheid", template="kaart/_organisatie_versheid.html",
            context=views_versheid.organisatie_paneel))
        coverage.register(coverage.CoverageSource(
            key="kaart", label=_("aanbod (actueel)"),
            counts=selectors.dekking_counts, url=selectors.dekking_url, beleid=False))
