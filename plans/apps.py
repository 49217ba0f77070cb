from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Wijkplannen")

    def ready(self):
        from django.urls import reverse

        import plans.attention  # noqa: F401  (registers its attention items, core/attention.py)
        from core import policy
        from core.models import Role
        from core.modules import Module, register
        from core.notifications import register_kind
        from framework import coverage
        from monitor import koppelingen
        from plans import selectors

        beleid = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE}
        plan_schrijvers = {**beleid, Role.GEBIEDSCOORDINATOR: policy.GEBIED}
        policy.register("plans.wijkplan", policy.Rule(write=plan_schrijvers, delete=beleid))
        for label in ("plans.wijkplanversie", "plans.pijler", "plans.activiteit"):
            policy.register(label, policy.Rule(write=plan_schrijvers))
        # Trekkers (partner users of the trekker organisatie) and the coördinator report.
        policy.register("plans.voortgangrapportage", policy.Rule(
            write={**plan_schrijvers, Role.PARTNER: policy.ORGANISATIE},
            delete=plan_schrijvers))

        def url(gemeente, doel_id, gebied_id):
            base = reverse("plans:activiteit-list", kwargs={"gemeente": gemeente.slug})
            return f"{base}?doel={doel_id}&gebied={gebied_id}"

        coverage.register(coverage.CoverageSource(
            key="activiteiten", label=str(_("activiteiten")), counts=selectors.dekking_counts,
            url=url))

        # Wijkplan activiteiten work on monitor targets (Activiteit.streefwaarden): the
        # indicator page lists them through this registry, so monitor never imports plans.
        koppelingen.register(koppelingen.StreefwaardeBron(
            key="activiteiten", label=_("activiteiten van wijkplannen"),
            verwijzingen=selectors.streefwaarde_activiteiten))

        register_kind("plans.versie_aangeboden",
                      _("Een wijkplanversie is aangeboden om vast te stellen"))
        register_kind("plans.versie_teruggestuurd",
                      _("Een wijkplanversie is teruggestuurd naar de coördinator"))
        register_kind("plans.versie_vastgesteld", _("Een wijkplanversie is vastgesteld"))

        register(Module(
            title=_("Wijkplannen"),
            description=_("Per gebied het wijkplan met pijlers en activiteiten, de jaarlijkse "
                          "bijstelling, de vaststelling door de stuurgroep en de voortgang."),
            url_name="plans:wijkplan-list",
            model_label="plans.Wijkplan",
            order=15,
            summary=selectors.home_summary,
        ))
