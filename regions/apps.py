from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regio's en gebieden")

    def ready(self):
        from core.modules import Module, register
        from regions import selectors

        register(Module(
            title=_("Gebieden"),
            description=_("De gebieden waarin het programma werkt, en de CBS-wijken en -buurten."),
            url_name="regions:gebied-list",
            model_label="regions.Gebied",
            order=10,
            summary=selectors.home_summary,
        ))
