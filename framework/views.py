from django.urls import reverse
from django.views import generic

from core import policy
from core.crud import (
    GemeenteMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from framework import selectors, services
from framework.forms import DoelForm, KaderForm, ThemaForm
from framework.models import Doel, Kader, Thema


class KaderListView(ScopedListView):
    model = Kader
    selector = staticmethod(selectors.kaders)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["huidig"] = selectors.huidig_klaverblad(self.gemeente)
        return ctx


class KaderDetailView(ScopedDetailView):
    model = Kader
    selector = staticmethod(selectors.kader_detail_queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        doelen = list(self.object.doelen.all())
        themas = list(self.object.themas.all())
        groepen = [(t, [d for d in doelen if d.thema_id == t.pk]) for t in themas]
        zonder = [d for d in doelen if d.thema_id is None]
        if zonder:
            groepen.append((None, zonder))
        ctx.update(groepen=groepen, doelen=doelen, themas=themas,
                   may_add_doel=policy.can(self.request.user, policy.ADD,
                                           Doel(gemeente=self.gemeente, kader=self.object)))
        return ctx


class KaderFormView(ScopedFormView):
    model = Kader
    form_class = KaderForm
    selector = staticmethod(selectors.kaders)

    def save(self, form):
        return services.save_kader(self.request.user, form.save(commit=False))


class KaderDeleteView(ScopedDeleteView):
    model = Kader
    selector = staticmethod(selectors.kaders)


class ThemaFormView(ScopedFormView):
    model = Thema
    form_class = ThemaForm
    selector = staticmethod(selectors.themas)
    parent_field = "kader"
    parent_selector = staticmethod(selectors.kaders)

    def save(self, form):
        return services.save_thema(self.request.user, form.save(commit=False))


class ThemaDeleteView(ScopedDeleteView):
    model = Thema
    selector = staticmethod(selectors.themas)
    parent_field = "kader"


class DoelDetailView(ScopedDetailView):
    model = Doel
    selector = staticmethod(selectors.doelen)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gekoppeld"] = selectors.gekoppeld_aan(self.request.user, self.object)
        ctx["vertaald_naar"] = self.object.klaverblad_doelen()
        return ctx


class DoelFormView(ScopedFormView):
    model = Doel
    form_class = DoelForm
    selector = staticmethod(selectors.doelen)
    parent_field = "kader"
    parent_selector = staticmethod(selectors.kaders)

    def new_instance(self):
        doel = super().new_instance()
        doel.nummer = selectors.volgend_doelnummer(doel.kader)
        return doel

    def save(self, form):
        doel = form.save(commit=False)
        return services.save_doel(self.request.user, doel,
                                  klaverblad_doelen=form.cleaned_data.get("klaverblad_doelen"))


class DoelDeleteView(ScopedDeleteView):
    model = Doel
    selector = staticmethod(selectors.doelen)
    parent_field = "kader"


class DekkingView(GemeenteMixin, generic.TemplateView):
    """The Klaverblad matrix: doelen × gebieden, with the witte vlekken."""

    template_name = "framework/dekking.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kaders = list(selectors.klaverbladen(self.gemeente))
        gekozen = self.request.GET.get("kader", "")
        klaverblad = next((k for k in kaders if str(k.pk) == gekozen), None) \
            or selectors.huidig_klaverblad(self.gemeente)
        ctx.update(kaders=kaders, klaverblad=klaverblad,
                   matrix=selectors.dekking(self.request.user, self.gemeente, klaverblad),
                   kader_url=reverse("framework:kader-list",
                                     kwargs={"gemeente": self.gemeente.slug}))
        return ctx
