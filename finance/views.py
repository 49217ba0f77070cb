"""Thin views: read through finance.selectors, write through finance.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import policy
from core import selectors as core_selectors
from core.crud import (
    GemeenteMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from core.money import format_euro
from finance import export, selectors, services, uploads
from finance.forms import (
    AanvraagForm,
    BegrotingFormSet,
    BeoordelenForm,
    BijlageForm,
    ConfirmForm,
    GebiedsbudgetForm,
    IntrekkenForm,
    KlasseForm,
    NabetalenForm,
    ProgrammabudgetForm,
    RegelingForm,
    TermijnBetalenForm,
    TerugbetalenForm,
    VaststellenForm,
    VerantwoordenForm,
    VerlenenForm,
    WeigerenForm,
    WijkplanregelDeleteForm,
    WijkplanregelForm,
    WijzigenForm,
)
from finance.models import (
    Aanvraag,
    AanvraagBestand,
    Beschikking,
    Betaling,
    Eis,
    Gebiedsbudget,
    Programmabudget,
    Regeling,
    Terugbetaling,
    Verantwoording,
    Verantwoordingsklasse,
    WijkplanBegrotingsregel,
)
from network.models import Organisatie

S = Aanvraag.Status


class RoleMixin(GemeenteMixin):
    """Like GemeenteMixin, and 403 for a member whose roles may not see `view_model` at all
    (which objects of it they see is up to the selector: others answer 404)."""

    view_model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.gemeente = core_selectors.gemeente_for(request.user, kwargs["gemeente"])
        request.gemeente = self.gemeente
        if self.view_model and not selectors.may_view(request.user, self.view_model,
                                                      self.gemeente):
            raise PermissionDenied
        return super(GemeenteMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The sub-navigation shows only the links the user's roles may follow.
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.setdefault("may_see_budget", selectors.may_view(user, Programmabudget,
                                                            self.gemeente))
        ctx.setdefault("may_see_aanvragen", selectors.may_view(user, Aanvraag, self.gemeente))
        return ctx


def _jaar(request, gemeente):
    jaren = selectors.jaren(gemeente)
    value = request.GET.get("jaar", "")
    jaar = int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None
    if jaar is None:
        this_year = timezone.localdate().year
        jaar = this_year if this_year in jaren else jaren[0]
    return jaar, jaren


# --- overview and export ---------------------------------------------------------------


class OverzichtView(RoleMixin, generic.TemplateView):
    template_name = "finance/overzicht.html"
    view_model = Programmabudget

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        jaar, jaren = _jaar(self.request, self.gemeente)
        ctx.update(overzicht=selectors.jaaroverzicht(self.gemeente, jaar), jaar=jaar,
                   jaren=jaren, te_laat=selectors.te_laat(self.request.user,
                                                          self.gemeente).count())
        return ctx


class ExportView(RoleMixin, generic.View):
    view_model = Programmabudget

    def get(self, request, *args, **kwargs):
        jaar, _jaren = _jaar(request, self.gemeente)
        data = export.workbook(request.user, self.gemeente, jaar)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (
            f'attachment; filename="financien-{self.gemeente.slug}-{jaar}.xlsx"')
        return response


# --- budgets -------------------------------------------------------------------------------


class ProgrammabudgetListView(RoleMixin, ScopedListView):
    model = view_model = Programmabudget
    selector = staticmethod(selectors.programmabudgetten)
    template_name = "finance/programmabudget_list.html"


class ProgrammabudgetDetailView(RoleMixin, ScopedDetailView):
    model = view_model = Programmabudget
    selector = staticmethod(selectors.programmabudget_detail_queryset)
    template_name = "finance/programmabudget_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_add_gebied"] = policy.can_any(self.request.user, policy.ADD, Gebiedsbudget,
                                               self.gemeente)
        ctx["history"] = core_selectors.history_for(self.object,
                                                    *self.object.gebiedsbudgetten.all())
        return ctx


class ProgrammabudgetFormView(RoleMixin, ScopedFormView):
    model = view_model = Programmabudget
    form_class = ProgrammabudgetForm
    selector = staticmethod(selectors.programmabudgetten)

    def save(self, form):
        return services.save_programmabudget(self.request.user, form.save(commit=False))


class GebiedsbudgetFormView(RoleMixin, ScopedFormView):
    model = view_model = Gebiedsbudget
    form_class = GebiedsbudgetForm
    selector = staticmethod(selectors.gebiedsbudgetten)

    def new_instance(self):
        pb = get_object_or_404(selectors.programmabudgetten(self.request.user, self.gemeente),
                               pk=self.kwargs["programmabudget_pk"])
        return Gebiedsbudget(gemeente=self.gemeente, programmabudget=pb)

    def save(self, form):
        return services.save_gebiedsbudget(self.request.user, form.save(commit=False))


class GebiedsbudgetDeleteView(RoleMixin, ScopedDeleteView):
    model = view_model = Gebiedsbudget
    selector = staticmethod(selectors.gebiedsbudgetten)

    def delete_object(self, user, obj):
        services.delete_gebiedsbudget(user, obj)

    def get_success_url(self):
        return self.object.programmabudget.get_absolute_url()


# --- regelingen and tiers -------------------------------------------------------------------


class RegelingListView(RoleMixin, ScopedListView):
    model = view_model = Regeling
    selector = staticmethod(selectors.regelingen)
    template_name = "finance/regeling_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["may_see_aanvragen"] = selectors.may_view(user, Aanvraag, self.gemeente)
        ctx["may_see_budget"] = selectors.may_view(user, Programmabudget, self.gemeente)
        ctx["today"] = timezone.localdate()
        return ctx


class RegelingDetailView(RoleMixin, ScopedDetailView):
    model = view_model = Regeling
    selector = staticmethod(selectors.regeling_detail_queryset)
    template_name = "finance/regeling_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["may_apply"] = (policy.can_any(user, policy.ADD, Aanvraag, self.gemeente)
                            and self.object.is_gepubliceerd)
        ctx["may_publish"] = (not self.object.is_gepubliceerd
                              and policy.can(user, policy.CHANGE, self.object))
        ctx["open"] = self.object.open_op(timezone.localdate())
        ctx["klassen"] = services.klassen_van(self.gemeente)
        if selectors.may_view(user, Aanvraag, self.gemeente):
            ctx["aanvragen"] = selectors.aanvragen(user, self.gemeente).filter(
                regeling=self.object)[:200]
        return ctx


class RegelingFormView(RoleMixin, ScopedFormView):
    model = view_model = Regeling
    form_class = RegelingForm
    selector = staticmethod(selectors.regelingen)

    def save(self, form):
        return services.save_regeling(self.request.user, form.save(commit=False),
                                      doelen=form.cleaned_data["klaverblad_doelen"])


class KlasseListView(RoleMixin, ScopedListView):
    model = view_model = Verantwoordingsklasse
    selector = staticmethod(selectors.klassen)
    template_name = "finance/klasse_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["standaard"] = not self.object_list.exists()
        ctx["klassen"] = services.klassen_van(self.gemeente)
        return ctx


class KlasseFormView(RoleMixin, ScopedFormView):
    model = view_model = Verantwoordingsklasse
    form_class = KlasseForm
    selector = staticmethod(selectors.klassen)

    def get_success_url(self):
        return reverse("finance:klasse-list", kwargs={"gemeente": self.gemeente.slug})


class KlasseDeleteView(RoleMixin, ScopedDeleteView):
    model = view_model = Verantwoordingsklasse
    selector = staticmethod(selectors.klassen)
    success_url_name = "finance:klasse-list"


# --- aanvragen ---------------------------------------------------------------------------


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


def _organisaties_for(user, gemeente):
    """The organisaties the user may apply for (core.policy's rule for aanvragen: a
    beleidsmedewerker for any, or a residents' initiative; a partner only for its own)."""
    ids = policy.organisatie_ids(user, policy.ADD, Aanvraag, gemeente)
    qs = Organisatie.objects.filter(gemeente=gemeente)
    return (qs, True) if ids is None else (qs.filter(pk__in=ids), False)


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
        organisaties, beleid = _organisaties_for(self.request.user, self.gemeente)
        return Aanvraag(gemeente=self.gemeente, regeling=regeling,
                        organisatie=None if beleid else organisaties.first())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisaties"], kwargs["beleid"] = _organisaties_for(self.request.user,
                                                                     self.gemeente)
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


class StapView(RoleMixin, generic.FormView):
    """A page with a form about one object: publishing a regeling, a step of an aanvraag, a
    begroting line to remove. `load` finds the object (404 outside the user's scope, 403
    without the permission); `blocked_reason` says why the step cannot be taken now (the page
    shows it instead of the form); `perform(form)` runs the service, whose refusal is shown on
    the form with the object as stored."""

    context_object_name = ""
    blocked_on_post = False

    def load(self):
        raise NotImplementedError

    def blocked_reason(self) -> str:
        return ""

    def refuse_if_blocked(self):
        """Before `perform`, with `blocked_on_post`: refuse a post the page would not have
        offered (otherwise the service alone decides)."""
        reason = self.blocked_reason() if self.blocked_on_post else ""
        if reason:
            raise ValidationError(reason)

    def perform(self, form):
        raise NotImplementedError

    def success_text(self, result) -> str:
        return str(self.success_message)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.object = self.load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update({self.context_object_name: self.object, "blocked": self.blocked_reason(),
                    "cancel_url": self.get_success_url()})
        return ctx

    def form_valid(self, form):
        try:
            self.refuse_if_blocked()
            result = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            # The refused step was rolled back: show the object as it is stored, not as the
            # step had begun to change it in memory.
            self.object = self.load()
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(result))
        return HttpResponseRedirect(self.get_success_url())


class BevestigenView(StapView):
    """A StapView whose form is only a button: the page says what happens to what (`title`,
    `wat`), or why it cannot (`blocked_reason`), with a way back (`terug`)."""

    template_name = "finance/bevestigen.html"
    title = submit_label = terug = intro = ""

    def wat(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=self.title, wat=self.wat(), terug=self.terug, intro=self.intro,
                   submit_label=self.submit_label)
        return ctx


class AanvraagActionView(StapView):
    """One step of an aanvraag (indienen, beoordelen, verlenen, ...): a page with a form, or
    the reason why the step cannot be taken now — asked of the state machine in
    finance.services (`waarom_niet`). Subclasses set `stap`, `title`, `form_class` and
    `perform_stap(form, sleutel)`."""

    view_model = Aanvraag
    template_name = "finance/aanvraag_action.html"
    context_object_name = "aanvraag"
    blocked_on_post = True
    stap = ""
    title = ""
    intro = ""
    submit_label = gettext_lazy("Opslaan")
    success_message = gettext_lazy("Opgeslagen.")

    def load(self):
        self.aanvraag = get_object_or_404(
            selectors.aanvraag_detail_queryset(self.request.user, self.gemeente),
            pk=self.kwargs["pk"])
        if not self.may(self.aanvraag):
            raise PermissionDenied
        return self.aanvraag

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, Beschikking(
            gemeente=self.gemeente, aanvraag=aanvraag))

    def blocked_reason(self) -> str:
        return services.waarom_niet(self.aanvraag, self.stap)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "aanvraag": self.aanvraag}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=self.title, intro=self.intro, submit_label=self.submit_label,
                   begroting=services.begroting_per_jaar(self.aanvraag))
        return ctx

    def perform(self, form):
        return self.perform_stap(form, form.cleaned_data.get("sleutel", ""))


class IndienenView(AanvraagActionView):
    form_class = ConfirmForm
    stap = "indienen"
    title = gettext_lazy("Aanvraag indienen")
    intro = gettext_lazy("Na het indienen kunt u de aanvraag niet meer veranderen. De gemeente "
                         "beslist binnen de beslistermijn van de regeling.")
    submit_label = gettext_lazy("Indienen")
    success_message = gettext_lazy("De aanvraag is ingediend.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.CHANGE, aanvraag)

    def perform_stap(self, form, sleutel):
        services.indienen(self.request.user, self.aanvraag)


class BeoordelenView(AanvraagActionView):
    form_class = BeoordelenForm
    stap = "beoordelen"
    title = gettext_lazy("Aanvraag beoordelen")
    intro = gettext_lazy("Controleer eerst of de aanvraag volledig is. Beoordeel haar daarna "
                         "op elk punt van de checklist; een verlening kan pas als elk punt is "
                         "beoordeeld.")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # For the Klaverblad fit: the doelen of the aanvraag beside those of its regeling.
        regeling_doelen = {d.pk for d in self.aanvraag.regeling.klaverblad_doelen()}
        ctx["doelen"] = [(d, d.pk in regeling_doelen)
                         for d in self.aanvraag.klaverblad_doelen()]
        ctx["regeling_doelen"] = self.aanvraag.regeling.klaverblad_doelen()
        return ctx

    def perform_stap(self, form, sleutel):
        services.beoordelen(self.request.user, self.aanvraag,
                            volledig=form.cleaned_data["volledig"],
                            aanvulling=form.cleaned_data["aanvulling"],
                            punten=form.punten_data())


class _Ruimte:
    """While deciding on money, the page shows what is still free in the plafond and in the
    gebiedsbudget of each year."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ruimte"] = selectors.ruimte(self.aanvraag)
        return ctx


class VerlenenView(_Ruimte, AanvraagActionView):
    form_class = VerlenenForm
    stap = "verlenen"
    title = gettext_lazy("Subsidie verlenen")
    submit_label = gettext_lazy("Verlenen en beschikking maken")
    success_message = gettext_lazy("De subsidie is verleend; de beschikking is gemaakt.")

    def perform_stap(self, form, sleutel):
        services.verlenen(self.request.user, self.aanvraag, bedragen=form.bedragen(),
                          motivering=form.cleaned_data["motivering"],
                          voorschot_percentage=form.cleaned_data.get("voorschot_percentage"),
                          sleutel=sleutel)


class WeigerenView(AanvraagActionView):
    form_class = WeigerenForm
    stap = "weigeren"
    title = gettext_lazy("Aanvraag weigeren")
    submit_label = gettext_lazy("Weigeren en beschikking maken")
    success_message = gettext_lazy("De aanvraag is geweigerd; de beschikking is gemaakt.")

    def perform_stap(self, form, sleutel):
        services.weigeren(self.request.user, self.aanvraag,
                          redenen=form.cleaned_data["redenen"], sleutel=sleutel)


class WijzigenView(_Ruimte, AanvraagActionView):
    form_class = WijzigenForm
    stap = "wijzigen"
    title = gettext_lazy("Verlening wijzigen")
    intro = gettext_lazy("Een besloten aanvraag verandert alleen met een wijziging: die wordt "
                         "vastgelegd, met een nieuwe beschikking.")
    submit_label = gettext_lazy("Wijzigen en beschikking maken")
    success_message = gettext_lazy("De verlening is gewijzigd; de beschikking is gemaakt.")

    def perform_stap(self, form, sleutel):
        services.wijzigen(self.request.user, self.aanvraag, bedragen=form.bedragen(),
                          reden=form.cleaned_data["reden"], sleutel=sleutel)


class IntrekkenView(AanvraagActionView):
    form_class = IntrekkenForm
    stap = "intrekken"
    title = gettext_lazy("Subsidie intrekken")
    intro = gettext_lazy("De subsidie wordt € 0. Wat is toegekend, valt vrij in het plafond en "
                         "het gebiedsbudget; wat al is betaald, wordt teruggevorderd.")
    submit_label = gettext_lazy("Intrekken en beschikking maken")
    success_message = gettext_lazy("De subsidie is ingetrokken; de beschikking is gemaakt.")

    def perform_stap(self, form, sleutel):
        services.intrekken(self.request.user, self.aanvraag, reden=form.cleaned_data["reden"],
                           sleutel=sleutel)


class BetalenView(AanvraagActionView):
    stap = "betalen"
    title = gettext_lazy("Betaling vastleggen")
    success_message = gettext_lazy("De betaling is vastgelegd.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, Betaling(gemeente=self.gemeente,
                                                                  aanvraag=aanvraag))

    def nabetaling(self):
        return self.aanvraag.status == S.VASTGESTELD and self.aanvraag.eis != Eis.GEEN

    def get_form_class(self):
        return NabetalenForm if self.nabetaling() else TermijnBetalenForm

    def get_initial(self):
        initial = {"datum": timezone.localdate()}
        if self.nabetaling():
            rest = [(j.jaar, j.vastgesteld - j.betaald) for j in self.aanvraag.jaren.all()
                    if j.vastgesteld is not None and j.vastgesteld > j.betaald]
            if rest:
                initial.update(jaar=rest[0][0], bedrag=rest[0][1])
        return initial

    def perform_stap(self, form, sleutel):
        if self.nabetaling():
            services.nabetalen(self.request.user, self.aanvraag,
                               jaar=form.cleaned_data["jaar"], bedrag=form.cleaned_data["bedrag"],
                               datum=form.cleaned_data["datum"], sleutel=sleutel)
        else:
            services.betaal_termijn(self.request.user, form.cleaned_data["termijn"],
                                    datum=form.cleaned_data["datum"], sleutel=sleutel)


class TerugbetalenView(AanvraagActionView):
    form_class = TerugbetalenForm
    stap = "terugbetalen"
    title = gettext_lazy("Terugbetaling vastleggen")
    intro = gettext_lazy("Leg vast wat de aanvrager van de terugvordering heeft terugbetaald: "
                         "alles, of een deel.")
    success_message = gettext_lazy("De terugbetaling is vastgelegd.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, Terugbetaling(
            gemeente=self.gemeente, aanvraag=aanvraag))

    def get_initial(self):
        return {"datum": timezone.localdate(), "bedrag": self.aanvraag.nog_terug_te_betalen}

    def perform_stap(self, form, sleutel):
        services.terugbetalen(self.request.user, self.aanvraag,
                              bedrag=form.cleaned_data["bedrag"],
                              datum=form.cleaned_data["datum"], sleutel=sleutel)


class VerantwoordenView(AanvraagActionView):
    form_class = VerantwoordenForm
    stap = "verantwoorden"
    title = gettext_lazy("Verantwoording indienen")
    submit_label = gettext_lazy("Verantwoording indienen")
    success_message = gettext_lazy("De verantwoording is ingediend.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, Verantwoording(
            gemeente=self.gemeente, aanvraag_id=aanvraag.pk))

    def post(self, request, *args, **kwargs):
        # Refuse an oversized request before Django reads (and stores) the upload.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > uploads.max_bytes() * 4 + 1024 * 1024:
            self.object = self.load()
            form = self.get_form_class()(aanvraag=self.aanvraag)
            return self.render_to_response(self.get_context_data(
                form=form, upload_error=uploads.too_large_message()), status=413)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["eisen"] = services.eisen_voor(self.aanvraag.eis)
        return ctx

    def perform_stap(self, form, sleutel):
        services.verantwoorden(self.request.user, self.aanvraag,
                               verslag=form.cleaned_data["verslag"], besteed=form.besteed(),
                               bestanden=form.bestanden(),
                               overschrijding_reden=form.cleaned_data["overschrijding_reden"])


class VaststellenView(AanvraagActionView):
    form_class = VaststellenForm
    stap = "vaststellen"
    title = gettext_lazy("Subsidie vaststellen")
    intro = gettext_lazy("Stel per jaar de subsidie vast, hoogstens wat is verleend. Is er meer "
                         "betaald dan wordt vastgesteld, dan wordt het verschil teruggevorderd. "
                         "Wat minder wordt vastgesteld dan verleend, valt vrij in het plafond en "
                         "het gebiedsbudget.")
    submit_label = gettext_lazy("Vaststellen en beschikking maken")
    success_message = gettext_lazy("De subsidie is vastgesteld; de beschikking is gemaakt.")

    def perform_stap(self, form, sleutel):
        services.vaststellen(self.request.user, self.aanvraag, bedragen=form.bedragen(),
                             toelichting=form.cleaned_data["toelichting"], sleutel=sleutel)


class BijlageView(AanvraagActionView):
    """Attach the projectplan, the begroting or another document to a concept aanvraag."""

    form_class = BijlageForm
    stap = "bewerken"
    title = gettext_lazy("Bijlage toevoegen")
    intro = gettext_lazy("Voeg het projectplan, de begroting of een andere bijlage toe: PDF, "
                         "Word (DOCX) of Excel (XLSX).")
    submit_label = gettext_lazy("Toevoegen")
    success_message = gettext_lazy("De bijlage is toegevoegd.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, AanvraagBestand(
            gemeente=self.gemeente, aanvraag=aanvraag))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("aanvraag")
        return kwargs

    def perform_stap(self, form, sleutel):
        services.add_bijlage(self.request.user, self.aanvraag, soort=form.cleaned_data["soort"],
                             upload=form.cleaned_data["bestand"])


class RegelingPublicerenView(StapView):
    """Publish a concept regeling (partners see it from then on)."""

    view_model = Regeling
    form_class = ConfirmForm
    template_name = "finance/regeling_publiceren.html"
    context_object_name = "regeling"
    success_message = gettext_lazy("De regeling is gepubliceerd.")

    def load(self):
        regeling = get_object_or_404(selectors.regelingen(self.request.user, self.gemeente),
                                     pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.CHANGE, regeling):
            raise PermissionDenied
        return regeling

    def blocked_reason(self):
        return _("Deze regeling is al gepubliceerd.") if self.object.is_gepubliceerd else ""

    def perform(self, form):
        return services.publiceren(self.request.user, self.object)


class BijlageDeleteView(BevestigenView):
    """Remove a bijlage: the applicant while the aanvraag is a concept, a behandelaar until the
    decision (the state machine's step for this user, services.bijlage_stap)."""

    view_model = Aanvraag
    form_class = ConfirmForm
    context_object_name = "bijlage"
    blocked_on_post = True
    title = gettext_lazy("Bijlage verwijderen")
    submit_label = gettext_lazy("Verwijderen")
    terug = gettext_lazy("Terug naar de aanvraag")
    intro = gettext_lazy("Het bestand wordt verwijderd; dat kan niet ongedaan worden gemaakt.")

    def load(self):
        bijlage = get_object_or_404(selectors.bijlagen(self.request.user, self.gemeente)
                                    .select_related("aanvraag__gemeente"), pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.DELETE, bijlage):
            raise PermissionDenied
        return bijlage

    def wat(self):
        b = self.object
        return f"{b.aanvraag.nummer} {b.aanvraag.titel} · {b.get_soort_display()}: {b.naam}"

    def blocked_reason(self):
        aanvraag = self.object.aanvraag
        return services.waarom_niet(aanvraag, services.bijlage_stap(self.request.user, aanvraag))

    def perform(self, form):
        services.delete_bijlage(self.request.user, self.object)

    def success_text(self, result):
        return _("De bijlage %(naam)s is verwijderd.") % {"naam": self.object.naam}


# --- files -----------------------------------------------------------------------------------


class BeschikkingPdfView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        from finance import pdf

        beschikking = get_object_or_404(selectors.beschikkingen(request.user, self.gemeente),
                                        pk=kwargs["pk"])
        if not beschikking.pdf:
            beschikking = pdf.store_beschikking_pdf(beschikking.pk)
        return FileResponse(beschikking.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{beschikking.kenmerk}.pdf")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(queryset, pk, content_type):
    bestand = get_object_or_404(queryset, pk=pk)
    try:
        handle = bestand.bestand.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=content_type(bestand), as_attachment=True,
                        filename=bestand.naam)


class BijlageDownloadView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        return _download(selectors.bijlagen(request.user, self.gemeente), kwargs["pk"],
                         lambda b: CONTENT_TYPES[b.formaat])


class BestandView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        return _download(selectors.bestanden(request.user, self.gemeente), kwargs["pk"],
                         lambda b: "application/pdf")


# --- the begroting of a wijkplanversie ------------------------------------------------------


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
