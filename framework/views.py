from django.db.models import Max
from django.shortcuts import get_object_or_404
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
    template_name = "framework/kader_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["huidig"] = selectors.huidig_klaverblad(self.gemeente)
        return ctx


class KaderDetailView(ScopedDetailView):
    model = Kader
    selector = staticmethod(selectors.kader_detail_queryset)
    template_name = "framework/kader_detail.html"

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
    success_url_name = "framework:kader-list"


class ThemaFormView(ScopedFormView):
    model = Thema
    form_class = ThemaForm
    selector = staticmethod(selectors.themas)

    def new_instance(self):
        kader = get_object_or_404(selectors.kaders(self.request.user, self.gemeente),
                                  pk=self.kwargs["kader_pk"])
        return Thema(gemeente=self.gemeente, kader=kader)

    def save(self, form):
        return services.save_thema(self.request.user, form.save(commit=False))


class ThemaDeleteView(ScopedDeleteView):
    model = Thema
    selector = staticmethod(selectors.themas)

    def get_success_url(self):
        return self.object.kader.get_absolute_url()


class DoelDetailView(ScopedDetailView):
    model = Doel
    selector = staticmethod(selectors.doelen)
    template_name = "framework/doel_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gekoppeld"] = selectors.gekoppeld_aan(self.request.user, self.object)
        ctx["vertaald_naar"] = self.object.klaverblad_doelen()
        return ctx


class DoelFormView(ScopedFormView):
    model = Doel
    form_class = DoelForm
    selector = staticmethod(selectors.doelen)

    def new_instance(self):
        kader = get_object_or_404(selectors.kaders(self.request.user, self.gemeente),
                                  pk=self.kwargs["kader_pk"])
        hoogste = kader.doelen.aggregate(n=Max("nummer"))["n"] or 0
        return Doel(gemeente=self.gemeente, kader=kader, nummer=hoogste + 1)

    def save(self, form):
        doel = form.save(commit=False)
        return services.save_doel(self.request.user, doel,
                                  klaverblad_doelen=form.cleaned_data.get("klaverblad_doelen"))

    def get_success_url(self):
        return self.object.kader.get_absolute_url()


class DoelDeleteView(ScopedDeleteView):
    model = Doel
    selector = staticmethod(selectors.doelen)

    def get_success_url(self):
        return self.object.kader.get_absolute_url()


class DekkingView(GemeenteMixin, generic.TemplateView):
    """The Klaverblad matrix: doelen × gebieden, with the witte vlekken."""

    template_name = "framework/dekking.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        kaders = list(Kader.objects.filter(gemeente=self.gemeente, soort=Kader.Soort.KLAVERBLAD)
                      .order_by("-geldig_van"))
        gekozen = self.request.GET.get("kader", "")
        klaverblad = next((k for k in kaders if str(k.pk) == gekozen), None) \
            or selectors.huidig_klaverblad(self.gemeente)
        ctx.update(kaders=kaders, klaverblad=klaverblad,
                   matrix=selectors.dekking(self.request.user, self.gemeente, klaverblad),
                   kader_url=reverse("framework:kader-list",
                                     kwargs={"gemeente": self.gemeente.slug}))
        return ctx
