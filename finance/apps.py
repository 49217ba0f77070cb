from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Financiën en subsidies")

    def ready(self):
        import finance.attention  # noqa: F401  (registers its attention items, core/attention.py)
        from core import policy
        from core.models import Role
        from core.modules import Module, register
        from core.notifications import register_kind
        from finance import selectors
        from finance.bijlagen import begroting_pdf
        from plans import bijlagen

        R = Role
        beleid = {R.BELEIDSMEDEWERKER: policy.GEMEENTE}
        budget_viewers = frozenset({R.BELEIDSMEDEWERKER, R.GEBIEDSCOORDINATOR, R.STUURGROEPLID,
                                    R.RAADSLID})
        # Who may see aanvragen at all; which ones is narrowed by finance.selectors: a partner
        # sees its own organisatie's, a coördinator or stuurgroeplid its gebied's.
        aanvraag_viewers = frozenset({R.BELEIDSMEDEWERKER, R.GEBIEDSCOORDINATOR,
                                      R.STUURGROEPLID, R.PARTNER, R.RAADSLID})
        applicant = {R.BELEIDSMEDEWERKER: policy.GEMEENTE, R.PARTNER: policy.ORGANISATIE}

        policy.register("finance.programmabudget", policy.Rule(view=budget_viewers,
                                                               write=beleid))
        policy.register("finance.gebiedsbudget", policy.Rule(view=budget_viewers, write=beleid))
        policy.register("finance.verantwoordingsklasse", policy.Rule(write=beleid))
        policy.register("finance.regeling", policy.Rule(write=beleid))
        policy.register("finance.aanvraag", policy.Rule(view=aanvraag_viewers, write=applicant))
        for part in ("aanvraagjaar", "begrotingsregel", "aanvraagbestand"):
            policy.register(f"finance.{part}", policy.Rule(view=aanvraag_viewers,
                                                           write=applicant))
        # Deciding (a beschikking), scheduling and paying are the beleidsmedewerker's.
        for part in ("beschikking", "termijn", "betaling", "wijziging", "terugbetaling"):
            policy.register(f"finance.{part}", policy.Rule(view=aanvraag_viewers, write=beleid))
        # Idempotency keys of money steps: plumbing, written only by finance.services.
        policy.register("finance.handeling", policy.Rule(
            view=frozenset({R.BELEIDSMEDEWERKER}), write={}))
        # The begroting of a wijkplanversie is written by whoever writes the plan.
        policy.register("finance.wijkplanbegrotingsregel", policy.Rule(write={
            R.BELEIDSMEDEWERKER: policy.GEMEENTE, R.GEBIEDSCOORDINATOR: policy.GEBIED}))
        for part in ("verantwoording", "verantwoordingbestand"):
            policy.register(f"finance.{part}", policy.Rule(view=aanvraag_viewers,
                                                           write=applicant))

        bijlagen.register(bijlagen.Bijlage(key="begroting", order=10, render=begroting_pdf))
        register_kind("finance.overschrijding", _("Meer uitgegeven dan de subsidie"))

        register(Module(
            title=_("Budgetten en subsidies"),
            nav_title=_("Financiën"),
            description=_("Programmabudget, gebiedsbudgetten, subsidieregelingen, aanvragen, "
                          "beschikkingen en verantwoording."),
            url_name="finance:regeling-list",
            model_label="finance.Regeling",
            order=60,
            summary=selectors.home_summary,
        ))
