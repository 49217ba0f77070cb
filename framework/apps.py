from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = _("Klaverblad en kaders")

    def ready(self):
        from core import policy
        from core.models import Role
        from core.modules import Module, register
        from framework import selectors

        beleid = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE}
        for label in ("framework.kader", "framework.thema", "framework.doel"):
            policy.register(label, policy.Rule(write=beleid))
        # Tags are written only by framework.services.set_doelen, which checks CHANGE on the
        # tagged object itself.
        policy.register("framework.doelkoppeling", policy.Rule(write={}))

        register(Module(
            title=_("Klaverblad"),
            description=_("De doelen van het jeugdbeleid: missie, visie, thema's en doelen, "
                          "andere kaders vertaald naar het Klaverblad, en welke doelen in welk "
                          "gebied aandacht krijgen."),
            url_name="framework:kader-list",
            model_label="framework.Kader",
            order=10,
            summary=selectors.home_summary,
        ))
