from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Netwerk")

    def ready(self):
        from core.modules import Module, register
        from network import selectors

        register(Module(
            title=_("Organisaties"),
            description=_("Partnerorganisaties: scholen, kinderopvang, JGZ, WIJ-teams, jeugdwerk "
                          "en meer, met hun contactpersonen."),
            url_name="network:organisatie-list",
            model_label="network.Organisatie",
            order=20,
            summary=selectors.organisaties_summary,
        ))
        register(Module(
            title=_("Stuurgroepen"),
            description=_("Per gebied de stuurgroep, met de rollen en hun taken."),
            url_name="network:stuurgroep-list",
            model_label="network.Stuurgroep",
            order=30,
            summary=selectors.stuurgroepen_summary,
        ))
