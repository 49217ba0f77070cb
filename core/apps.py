from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Basis")

    def ready(self):
        from core.modules import Module, register

        register(Module(
            title=_("Gebruikers en rollen"),
            description=_("Wie mag wat in deze gemeente; historie van alle wijzigingen."),
            url_name="core:user-list",
            model_label="core.Membership",
            order=900,
        ))
