from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core import imports, policy
from core.crud import (
    GemeenteMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from regions import selectors, services
from regions.forms import GebiedForm, RegionImportForm
from regions.models import Gebied, Region


class GebiedListView(ScopedListView):
    model = Gebied
    selector = staticmethod(selectors.gebieden)


class GebiedDetailView(ScopedDetailView):
    model = Gebied
    selector = staticmethod(selectors.gebied_detail_queryset)


class GebiedFormView(ScopedFormView):
    model = Gebied
    form_class = GebiedForm
    selector = staticmethod(selectors.gebied_detail_queryset)

    def save(self, form):
        gebied = form.save(commit=False)
        return services.save_gebied(self.request.user, gebied, form.cleaned_data["regions"])


class GebiedDeleteView(ScopedDeleteView):
    model = Gebied
    selector = staticmethod(selectors.gebieden)


class RegionListView(ScopedListView):
    model = Region
    paginate_by = 200

    def get_queryset(self):
        self.jaren = selectors.indelingsjaren(self.gemeente)
        self.jaar = self.request.GET.get("jaar") or (self.jaren[0] if self.jaren else None)
        try:
            self.jaar = int(self.jaar) if self.jaar else None
        except ValueError:
            self.jaar = None
        return selectors.regions(self.request.user, self.gemeente, jaar=self.jaar)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(jaren=self.jaren, jaar=self.jaar)
        return ctx


class RegionDetailView(ScopedDetailView):
    model = Region
    selector = staticmethod(selectors.regions)


class RegionImportView(GemeenteMixin, generic.FormView):
    template_name = "regions/region_import.html"
    form_class = RegionImportForm

    def get_form(self, form_class=None):
        if not policy.can(self.request.user, policy.ADD, Region(gemeente=self.gemeente)):
            raise PermissionDenied
        return super().get_form(form_class)

    def form_valid(self, form):
        try:
            result = services.importeer(self.request.user, self.gemeente,
                                             form.cleaned_data["bestand"].read())
        except imports.ImportGeweigerd as exc:
            return self.render_to_response(self.get_context_data(form=form,
                                                                 problems=exc.problemen))
        messages.success(self.request, _(
            "Ingelezen: %(c)s nieuw, %(u)s gewijzigd, %(n)s ongewijzigd.") % {
                "c": result.aangemaakt, "u": result.bijgewerkt, "n": result.ongewijzigd})
        return HttpResponseRedirect(reverse("regions:region-list",
                                            kwargs={"gemeente": self.gemeente.slug}))
