"""Pages of the outbox and the scheduler: the user's own inbox and e-mail preferences, the
gemeente's outbox and the periodic jobs (for the beleidsmedewerker)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import notifications, policy, scheduler, selectors, services
from core.crud import GemeenteMixin
from core.models import Bericht, BerichtVoorkeur, GeplandeTaak


class InboxView(GemeenteMixin, generic.ListView):
    """The user's own messages; POST marks one (`bericht`) or all as read."""

    template_name = "core/inbox.html"
    context_object_name = "berichten"
    paginate_by = 50

    def get_queryset(self):
        return selectors.inbox(self.request.user, self.gemeente)

    def post(self, request, *args, **kwargs):
        raw = request.POST.get("bericht", "")
        ids = [int(raw)] if raw.isdigit() else None
        services.markeer_gelezen(request.user, self.gemeente, ids)
        return HttpResponseRedirect(reverse("core:inbox", kwargs={"gemeente": self.gemeente.slug}))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ongelezen_hier"] = selectors.unread_count(self.request.user, self.gemeente)
        return ctx


class VoorkeurenForm(forms.Form):
    def __init__(self, *args, kinds, current, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in kinds:
            self.fields[code] = forms.ChoiceField(
                label=label, choices=BerichtVoorkeur.Wijze.choices,
                initial=current.get(code, BerichtVoorkeur.Wijze.DIRECT))


class VoorkeurenView(GemeenteMixin, generic.FormView):
    """Per kind of message: e-mail at once, in the daily digest, or not at all."""

    template_name = "core/bericht_voorkeuren.html"

    def kinds(self):
        received = set(selectors.inbox(self.request.user, self.gemeente)
                       .values_list("kind", flat=True).distinct())
        codes = sorted(set(notifications.KINDS) | received)
        return [(code, notifications.kind_label(code)) for code in codes]

    def get_form(self, form_class=None):
        current = dict(BerichtVoorkeur.objects.filter(user=self.request.user)
                       .values_list("kind", "wijze"))
        return VoorkeurenForm(self.request.POST or None, kinds=self.kinds(), current=current)

    def form_valid(self, form):
        services.save_bericht_voorkeuren(self.request.user, form.cleaned_data)
        messages.success(self.request, _("Uw keuzes zijn bewaard."))
        return HttpResponseRedirect(self.request.path)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["heeft_email"] = bool(self.request.user.email)
        return ctx


class OutboxView(GemeenteMixin, generic.ListView):
    """What the gemeente sent to whom, and which deliveries failed (beleidsmedewerker)."""

    template_name = "core/outbox.html"
    context_object_name = "berichten"
    paginate_by = 100
    filters = [("", gettext_lazy("Alle")), (Bericht.Status.MISLUKT, gettext_lazy("Mislukt")),
               (Bericht.Status.WACHT, gettext_lazy("Wacht op verzending"))]

    def get_queryset(self):
        if not policy.can(self.request.user, policy.VIEW, Bericht(gemeente=self.gemeente)):
            raise PermissionDenied
        status = self.request.GET.get("status", "")
        self.status = status if status in dict(self.filters) else ""
        return selectors.outbox(self.gemeente, self.status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filters"] = self.filters
        ctx["status"] = self.status
        ctx["mislukt"] = selectors.outbox(self.gemeente, Bericht.Status.MISLUKT).count()
        return ctx


class JobListView(GemeenteMixin, generic.TemplateView):
    """When each periodic job last ran, how that ended, and when it runs next."""

    template_name = "core/job_list.html"

    def get_context_data(self, **kwargs):
        if not policy.can_any(self.request.user, policy.VIEW, GeplandeTaak, self.gemeente):
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = scheduler.job_statuses()
        ctx["lease"] = scheduler.lease_holder()
        return ctx
