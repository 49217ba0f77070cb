"""The steps of an aanvraag, each a page that asks the state machine (finance.services.
waarom_niet) whether it may be taken now and why not."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import policy
from finance import selectors, services, uploads
from finance.forms import (
    BeoordelenForm,
    ConfirmForm,
    IntrekkenForm,
    NabetalenForm,
    TermijnBetalenForm,
    TerugbetalenForm,
    VaststellenForm,
    VerantwoordenForm,
    VerlenenForm,
    WeigerenForm,
    WijzigenForm,
)
from finance.models import (
    Aanvraag,
    Beschikking,
    Betaling,
    Terugbetaling,
    Verantwoording,
)
from finance.views.base import StapView


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
        return services.is_nabetaling(self.aanvraag)

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
