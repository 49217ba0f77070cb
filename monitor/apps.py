from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "monitor"
    verbose_name = _("Monitor")

    def ready(self):
        from core import policy
        from core.models import Role

        beleid = {Role.BELEIDSMEDEWERKER: policy.GEMEENTE}
        # Indicators, targets and settings are kept by the beleidsmedewerker; every member reads.
        for label in ("monitor.indicator", "monitor.streefwaarde", "monitor.monitorinstelling"):
            policy.register(label, policy.Rule(write=beleid))
        # Measurements and batches are written only by the import service (which checks ADD on
        # the ImportBatch); they are never edited one by one.
        policy.register("monitor.importbatch", policy.Rule(write=beleid, add=beleid,
                                                           delete=beleid))
        policy.register("monitor.meting", policy.Rule(write={}))
        # The rollup is derived data, recomputed by monitor.rollup; nobody writes it.
        policy.register("monitor.reekswaarde", policy.Rule(write={}))
        policy.register("monitor.regiowaarde", policy.Rule(write={}))  # a database view

        from monitor import receivers

        receivers.connect()

        from framework import coverage
        from monitor import selectors

        # Aanbod against need: the indicators of a doel that are off target in a gebied,
        # shown beside the sociale kaart's aanbod on the coverage page.
        coverage.register_need(coverage.NeedSource(
            key="monitor", label=_("indicatoren niet op streefwaarde"),
            counts=selectors.achter_per_doel_en_gebied, url=selectors.achter_url))

        from core.modules import Module, register

        register(Module(
            title=_("Monitor"),
            description=_("Gaat het beter met de kinderen? Cijfers per doel van het Klaverblad, "
                          "per gebied en per indicator."),
            url_name="monitor:klaverblad", model_label="monitor.indicator", order=60))
