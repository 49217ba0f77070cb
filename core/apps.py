from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Basis")

    def ready(self):
        from django_tasks.signals import task_finished, task_started

        from core import scheduler
        from core.modules import Module, register

        register(Module(
            title=_("Gebruikers en rollen"),
            description=_("Wie mag wat in deze gemeente; historie van alle wijzigingen."),
            url_name="core:user-list",
            model_label="core.Membership",
            order=900,
        ))
        register(Module(
            title=_("Geplande taken"),
            description=_("Wat vanzelf draait (herinneringen, opruimen, e-mail) en of dat lukte."),
            url_name="core:job-list",
            model_label="core.GeplandeTaak",
            order=920,
        ))
        # The jobs page shows how each periodic job's last run ended.
        task_started.connect(scheduler.record_started, dispatch_uid="core.scheduler.started")
        task_finished.connect(scheduler.record_finished,
                              dispatch_uid="core.scheduler.finished")
