"""Aanvragen: the lists, the detail page, the concept form and removing a concept."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from core import policy
from core import selectors as core_selectors
from core.crud import (
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from finance import selectors, services
from finance.forms import (
    AanvraagForm,
    BegrotingFormSet,
)
from finance.models import (
    Aanvraag,
    AanvraagBestand,
    Beschikking,
    Regeling,
    Verantwoording,
)
from finance.views.base import RoleMixin, S


class AanvraagListView(RoleMixin, ScopedListView):
    model = view_model = Aanvraag
    selector = staticmethod(selectors.aanvragen)
    template_name = "finance/aanvraag_list.html"
    te_laat = False

    def get_queryset(self):
        if self.te_laat:
            return selectors.te_laat(self.request.user, self.gemeente)
        qs = super().get_queryset()
        status = self.request.GET.get("status")
        if status in S.values:
            qs = qs.filter(status=status)
        regeling = self.request.GET.get("regeling", "")
        if regeling.isdigit():
            qs = qs.filter(regeling_id=int(regeling))
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(te_laat=self.te_laat, statussen=S.choices,
                   status=self.request.GET.get("status", ""),
                   regelingen=Regeling.objects.filter(gemeente=self.gemeente).only(
                       "pk"),
                   regeling=self.request.GET.get("regeling", ""),
                   today=timezone.localdate())
        return ctx


class TerugvorderingListView(RoleMixin, generic.TemplateView):
    """Money to be paid back: open terugvorderingen, the overdue ones first and marked."""

    view_model = Aanvraag
    template_name = "finance/terugvordering_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = selectors.terugvorderingen(self.request.user, self.gemeente)
        ctx.update(rows=rows, n_te_laat=sum(1 for a in rows if a.te_laat_terug))
        return ctx


class AanvraagDetailView(RoleMixin, ScopedDetailView):
    model = view_model = Aanvraag
    selector = staticmethod(selectors.aanvraag_detail_queryset)
    template_name = "finance/aanvraag_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a, user = self.object, self.request.user
        behandelaar = policy.can(user, policy.ADD, Beschikking(gemeente=self.gemeente,
                                                               aanvraag=a))
        stappen = services.mogelijke_stappen(a)
        ctx.update(
            begroting=services.begroting_per_jaar(a),
            tabellen=selectors.aanvraag_tabellen(a),
            ontbreekt=services.ontbreekt(a) if a.status == S.CONCEPT else [],
            may_change=ctx["may_change"] and "bewerken" in stappen,
            may_delete=ctx["may_delete"] and "verwijderen" in stappen,
            behandelaar=behandelaar,
            stappen=stappen if behandelaar else set(),
            # aanvraag_id, not aanvraag=: an unsaved one-to-one must not land in a's cache.
            may_verantwoorden=policy.can(user, policy.ADD, Verantwoording(
                gemeente=self.gemeente, aanvraag_id=a.pk)) and "verantwoorden" in stappen,
            eisen=services.eisen_voor(a.eis) if a.eis else None,
            te_laat=a.te_laat(),
            verantwoorden_voor=services.verantwoorden_voor(a) if a.toegekend else None,
            may_add_bijlage=policy.can(user, policy.ADD, AanvraagBestand(
                gemeente=self.gemeente, aanvraag=a)) and "bewerken" in stappen,
            may_delete_bijlage=policy.can(user, policy.DELETE, AanvraagBestand(
                gemeente=self.gemeente, aanvraag=a)) and not services.waarom_niet(
                a, services.bijlage_stap(user, a)),
            history=core_selectors.history_for(a, *a.beschikkingen.all(),
                                               *a.betalingen.all()),
        )
        return ctx


class AanvraagFormView(RoleMixin, ScopedFormView):
    """New aanvraag under a regeling (URL has regeling_pk), or change a concept (pk)."""

    model = view_model = Aanvraag
    form_class = AanvraagForm
    selector = staticmethod(selectors.aanvragen)
    template_name = "finance/aanvraag_form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        reason = services.waarom_niet(obj, "bewerken") if obj is not None else ""
        if reason:
            messages.error(self.request, reason)
            raise _Redirect(obj.get_absolute_url())
        return obj

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Redirect as redirect:
            return HttpResponseRedirect(redirect.url)

    def new_instance(self):
        regeling = get_object_or_404(selectors.regelingen(self.request.user, self.gemeente),
                                     pk=self.kwargs["regeling_pk"])
        organisaties, beleid = selectors.aanvraag_organisaties(self.request.user, self.gemeente)
        return Aanvraag(gemeente=self.gemeente, regeling=regeling,
                        organisatie=None if beleid else organisaties.first())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisaties"], kwargs["beleid"] = selectors.aanvraag_organisaties(
            self.request.user, self.gemeente)
        return kwargs

    def get_formset(self, form):
        instance = form.instance
        initial = [{"jaar": r.jaar, "soort": r.soort, "omschrijving": r.omschrijving,
                    "bedrag": r.bedrag} for r in instance.begrotingsregels.all()] if (
            instance.pk) else []
        data = self.request.POST if self.request.method == "POST" else None
        return BegrotingFormSet(data, initial=initial, prefix="begroting",
                                form_kwargs={"jaren": instance.regeling.jaren})

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        ctx["formset"] = kwargs.get("formset") or self.get_formset(form)
        ctx["regeling"] = form.instance.regeling
        return ctx

    def post(self, request, *args, **kwargs):
        self.dispatch_object()
        form = self.get_form()
        formset = self.get_formset(form)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        try:
            self.object = services.save_aanvraag(
                request.user, form.save(commit=False), jaren=form.jaren_data(),
                regels=formset.regels(), doelen=form.cleaned_data["klaverblad_doelen"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form, formset=formset))
        messages.success(request, _("Opgeslagen. Dien de aanvraag in als ze klaar is."))
        return HttpResponseRedirect(self.object.get_absolute_url())


class _Redirect(Exception):
    def __init__(self, url):
        self.url = url


class AanvraagDeleteView(RoleMixin, ScopedDeleteView):
    model = view_model = Aanvraag
    selector = staticmethod(selectors.aanvragen)
    success_url_name = "finance:aanvraag-list"

    def delete_object(self, user, obj):
        services.delete_aanvraag(user, obj)
