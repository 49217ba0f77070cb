"""The begroting of a wijkplanversie: the list, the lines, taking over the previous one."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import policy
from core import selectors as core_selectors
from core.crud import (
    ScopedFormView,
)
from core.money import format_euro
from finance import selectors, services
from finance.forms import (
    WijkplanregelDeleteForm,
    WijkplanregelForm,
)
from finance.models import (
    WijkplanBegrotingsregel,
)
from finance.views.base import BevestigenView, RoleMixin, StapView


class WijkplanversieListView(RoleMixin, generic.ListView):
    """Every wijkplanversie with its begroting totals: the way in to each begroting."""

    view_model = WijkplanBegrotingsregel
    template_name = "finance/wijkplanversie_list.html"
    context_object_name = "versies"

    def get_queryset(self):
        return selectors.wijkplanversies(self.request.user, self.gemeente)


def _versie(user, gemeente, pk):
    from plans.models import WijkplanVersie

    return get_object_or_404(WijkplanVersie.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "wijkplan__gebied", "bijgesteld_van"), pk=pk)


class VersieBegrotingView(RoleMixin, generic.TemplateView):
    view_model = WijkplanBegrotingsregel
    template_name = "finance/versie_begroting.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versie = _versie(self.request.user, self.gemeente, self.kwargs["pk"])
        probe = WijkplanBegrotingsregel(gemeente=self.gemeente, versie=versie)
        ctx.update(versie=versie, begroting=selectors.wijkplan_begroting(versie),
                   may_edit=versie.is_concept and policy.can(self.request.user, policy.ADD,
                                                             probe),
                   history=core_selectors.history_for(*versie.begrotingsregels.all()))
        return ctx


def _versie_vastgesteld(versie) -> str:
    """Lines of a vastgestelde version do not change: the page says so instead of a form."""
    if not versie.is_concept:
        return _("Deze versie van het wijkplan is vastgesteld; haar begroting verandert niet "
                 "meer. Stel het wijkplan bij om een nieuwe versie te begroten.")
    return ""


class WijkplanregelFormView(RoleMixin, ScopedFormView):
    model = view_model = WijkplanBegrotingsregel
    form_class = WijkplanregelForm
    selector = staticmethod(selectors.wijkplanregels)
    template_name = "finance/wijkplanregel_form.html"

    def new_instance(self):
        versie = _versie(self.request.user, self.gemeente, self.kwargs["versie_pk"])
        regel = WijkplanBegrotingsregel(gemeente=self.gemeente, versie=versie)
        if not policy.can(self.request.user, policy.ADD, regel):
            raise PermissionDenied
        return regel

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versie = ctx["form"].instance.versie
        ctx.update(versie=versie, blocked=_versie_vastgesteld(versie),
                   cancel_url=reverse("finance:versie-begroting", kwargs={
                       "gemeente": self.gemeente.slug, "pk": versie.pk}))
        return ctx

    def save(self, form):
        return services.save_wijkplanregel(self.request.user, form.save(commit=False),
                                           revisie=form.cleaned_data["revisie"])


class WijkplanregelDeleteView(BevestigenView):
    view_model = WijkplanBegrotingsregel
    form_class = WijkplanregelDeleteForm
    context_object_name = "regel"
    title = gettext_lazy("Begrotingsregel verwijderen")
    submit_label = gettext_lazy("Verwijderen")
    terug = gettext_lazy("Terug naar de begroting")

    def wat(self):
        regel = self.object
        return f"{regel.omschrijving}: {format_euro(regel.bedrag)} ({regel.get_bron_display()})"

    def load(self):
        regel = get_object_or_404(selectors.wijkplanregels(self.request.user, self.gemeente),
                                  pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.DELETE, regel):
            raise PermissionDenied
        return regel

    def get_initial(self):
        return {"revisie": self.object.versie.revisie}

    def blocked_reason(self):
        return _versie_vastgesteld(self.object.versie)

    def perform(self, form):
        services.delete_wijkplanregel(self.request.user, self.object,
                                      revisie=form.cleaned_data["revisie"])

    def success_text(self, result):
        return _("%(obj)s is verwijderd.") % {"obj": self.object}


class BegrotingOvernemenView(StapView):
    view_model = WijkplanBegrotingsregel
    form_class = WijkplanregelDeleteForm  # only the revisie
    template_name = "finance/begroting_overnemen.html"
    context_object_name = "versie"

    def load(self):
        versie = _versie(self.request.user, self.gemeente, self.kwargs["pk"])
        if not policy.can(self.request.user, policy.ADD, WijkplanBegrotingsregel(
                gemeente=self.gemeente, versie=versie)):
            raise PermissionDenied
        return versie

    def get_initial(self):
        return {"revisie": self.object.revisie}

    def blocked_reason(self):
        versie = self.object
        reason = _versie_vastgesteld(versie)
        if not reason and versie.bijgesteld_van_id is None:
            reason = _("Deze versie is geen bijstelling van een eerdere versie.")
        if not reason and versie.begrotingsregels.exists():
            reason = _("Deze versie heeft al een begroting.")
        return reason

    def perform(self, form):
        return services.begroting_overnemen(self.request.user, self.object,
                                            revisie=form.cleaned_data["revisie"])

    def success_text(self, result):
        return _("%(n)s regels overgenomen.") % {"n": result}

    def get_success_url(self):
        return reverse("finance:versie-begroting", kwargs={"gemeente": self.gemeente.slug,
                                                            "pk": self.object.pk})
