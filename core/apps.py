from django.apps import AppConfig
from django.urls import reverse
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
            title=_("Berichten en geplande taken"),
            description=_("Wat Opgroeien aan wie stuurde, wat niet aankwam, en wat vanzelf "
                          "draait (herinneringen, opruimen) en of dat lukte."),
            url_name="core:outbox",
            model_label="core.Bericht",
            order=920,
            summary=lambda user, gemeente: [
                (_("Geplande taken"), reverse("core:job-list",
                                              kwargs={"gemeente": gemeente.slug}))],
        ))
        # The jobs page shows how each periodic job's last run ended.
        task_started.connect(scheduler.record_started, dispatch_uid="core.scheduler.started")
        task_finished.connect(scheduler.record_finished,
                              dispatch_uid="core.scheduler.finished")
