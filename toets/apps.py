from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToetsConfig(AppConfig):
    name = "toets"
    verbose_name = _("Klaverblad-toets")

    def ready(self):
        from core import policy
        from core.models import Role
        from core.modules import Module, register

        # Beleid sees and tests every document of the gemeente; a partner tests and sees only
        # the plans of their own organisatie. Nobody else sees policy documents in progress.
        eigen = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE, Role.PARTNER: policy.ORGANISATIE}
        for model in ("beleidsdocument", "toetsing", "toetsopdracht", "oordeel", "bewijs"):
            policy.register(f"toets.{model}", policy.Rule(
                view=frozenset(), view_scope=eigen,
                write=policy.BELEID_ONLY if model in ("oordeel", "bewijs") else eigen))
        for model in ("lexicon", "hertoetsronde"):
            policy.register(f"toets.{model}", policy.Rule(
                view=frozenset({Role.BELEIDSMEDEWERKER}), write=policy.BELEID_ONLY))
        policy.register("toets.passage", policy.Rule(view=frozenset(), view_scope=eigen,
                                                     write={}))
        register(Module(
            title=_("Klaverblad-toets"),
            description=_("Leg een beleidsnota of plan naast het Klaverblad: per doel ziet u "
                          "of het is aangetoond, met de passages als bewijs."),
            url_name="toets:document-list",
            model_label="toets.Beleidsdocument",
            order=75,
        ))
