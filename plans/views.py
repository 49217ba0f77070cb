
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import generic

from core import exports, imports, policy
from core.crud import (
    GemeenteMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from framework import selectors as framework_selectors
from monitor import selectors as monitor_selectors
from monitor import weergave
from monitor.models import Status as MonitorStatus
from plans import compare, rules, selectors, services, transfer
from plans.forms import (
    AanbiedenForm,
    ActiviteitForm,
    BijstellenForm,
    ImportForm,
    PijlerForm,
    RapportageForm,
    TerugsturenForm,
    VaststellenForm,
    VersieForm,
    WijkplanForm,
)
from plans.models import Activiteit, Pijler, VoortgangRapportage, Wijkplan, WijkplanVersie
from regions import selectors as regions_selectors

S = WijkplanVersie.Status


# Wijkplan -------------------------------------------------------------------------------------

class WijkplanListView(ScopedListView):
    model = Wijkplan
    selector = staticmethod(selectors.wijkplannen)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["te_rapporteren"] = selectors.te_rapporteren(self.request.user, self.gemeente)
        return ctx


class WijkplanDetailView(ScopedDetailView):
    model = Wijkplan
    selector = staticmethod(selectors.wijkplan_detail_queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versies = list(self.object.versies.all())
        ctx["versies"] = versies
        ctx["huidige"] = next((v for v in versies if v.status == S.VASTGESTELD), None)
        ctx["concept"] = next((v for v in versies if v.status in (S.CONCEPT, S.AANGEBODEN)),
                              None)
        return ctx


class WijkplanFormView(ScopedFormView):
    model = Wijkplan
    form_class = WijkplanForm
    selector = staticmethod(selectors.wijkplannen)

    def save(self, form):
        wijkplan = form.save(commit=False)
        if wijkplan._state.adding:
            services.create_wijkplan(self.request.user, wijkplan)
            return wijkplan
        return services.save_wijkplan(self.request.user, wijkplan)


class WijkplanDeleteView(ScopedDeleteView):
    model = Wijkplan
    selector = staticmethod(selectors.wijkplannen)

    def delete_object(self, user, obj):
        services.delete_wijkplan(user, obj)


class VoortgangView(ScopedDetailView):
    """The stuurgroep page: per pijler what is late, what lacks a report, and a timeline."""

    model = Wijkplan
    selector = staticmethod(selectors.wijkplannen)
    template_name = "plans/voortgang.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["overzicht"] = selectors.voortgang(self.request.user, self.object)
        return ctx


# Versie ---------------------------------------------------------------------------------------

class VersieDetailView(ScopedDetailView):
    model = WijkplanVersie
    selector = staticmethod(selectors.versie_detail_queryset)
    template_name = "plans/versie_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versie = self.object
        user = self.request.user
        acts = list(versie.activiteiten.all())
        ctx["pijlers"] = [(p, [a for a in acts if a.pijler_id == p.pk])
                          for p in versie.pijlers.all()]
        ctx["rollen"] = compare.rollen_van(versie)
        ctx["may_edit"] = versie.is_concept and ctx["may_change"]
        ctx["may_delete"] = versie.is_concept and ctx["may_delete"]
        for stap in services.STAPPEN:
            ctx[f"may_{stap}"] = services.mag(user, versie, stap)
        ctx["may_add_onderdeel"] = ctx["may_edit"] and policy.can(
            user, policy.ADD, Pijler(gemeente=versie.gemeente, versie=versie))
        ctx["vergelijk_met"] = versie.bijgesteld_van
        ctx["andere_versies"] = selectors.andere_versies(versie)
        return ctx


class ConceptMixin:
    """Edits of a concept: a vastgestelde version sends the user back with the reason."""

    def versie_of(self, obj):
        return obj if isinstance(obj, WijkplanVersie) else obj.versie

    def refuse_if_fixed(self, versie):
        if not versie.is_concept:
            messages.error(self.request, _(
                "Deze versie van het wijkplan is vastgesteld en kan niet meer veranderen. Kies "
                "'Bijstellen' om een nieuwe conceptversie te maken."))
            return HttpResponseRedirect(versie.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        self.dispatch_object()
        refused = self.refuse_if_fixed(self.versie_of(self.object or self.new_instance()))
        return refused or self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.dispatch_object()
        refused = self.refuse_if_fixed(self.versie_of(self.object or self.new_instance()))
        return refused or super().post(request, *args, **kwargs)


class VersieFormView(ConceptMixin, ScopedFormView):
    model = WijkplanVersie
    form_class = VersieForm
    selector = staticmethod(selectors.versies)

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            raise Http404
        return super().get_object(queryset)

    def save(self, form):
        return services.save_versie(self.request.user, form.save(commit=False),
                                    revisie=form.cleaned_data["revisie"])


class VersieDeleteView(ScopedDeleteView):
    model = WijkplanVersie
    selector = staticmethod(selectors.versies)
    parent_field = "wijkplan"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not obj.is_concept:
            raise PermissionDenied
        return obj

    def delete_object(self, user, obj):
        services.delete_concept(user, obj)

    def deleted_message(self, obj):
        return _("De conceptversie is verwijderd.")


class VersieActionView(GemeenteMixin, generic.FormView):
    """Base for the steps of a version and the import: a confirmation page with a form."""

    def get_versie(self):
        versie = get_object_or_404(selectors.versie_detail_queryset(self.request.user,
                                                                    self.gemeente),
                                   pk=self.kwargs["pk"])
        self.check(versie)
        return versie

    def check(self, versie):
        if not services.mag(self.request.user, versie, self.stap):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.versie = self.get_versie()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.versie = self.get_versie()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["versie"] = self.versie
        return ctx


class StapView(VersieActionView):
    """One step of a version (services.STAPPEN), taken on the version as the user saw it."""

    form_class = VaststellenForm
    done_message = ""

    def get_initial(self):
        return {"revisie": self.versie.revisie}

    def take(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            versie = self.take(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, self.done_message)
        return HttpResponseRedirect(versie.get_absolute_url())


class AanbiedenView(StapView):
    stap = services.AANBIEDEN
    template_name = "plans/aanbieden.html"
    form_class = AanbiedenForm
    done_message = _lazy("De versie is aangeboden aan de stuurgroep.")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["n_activiteiten"] = len(self.versie.activiteiten.all())
        ctx["n_pijlers"] = len(self.versie.pijlers.all())
        return ctx

    def take(self, form):
        return services.aanbieden(self.request.user, self.versie,
                                  revisie=form.cleaned_data["revisie"],
                                  bericht=form.cleaned_data["bericht"])


class TerugsturenView(StapView):
    stap = services.TERUGSTUREN
    template_name = "plans/terugsturen.html"
    form_class = TerugsturenForm
    done_message = _lazy("De versie is teruggestuurd naar de coördinator.")

    def take(self, form):
        return services.terugsturen(self.request.user, self.versie,
                                    revisie=form.cleaned_data["revisie"],
                                    redenen=form.cleaned_data["redenen"])


class VaststellenView(StapView):
    stap = services.VASTSTELLEN
    template_name = "plans/vaststellen.html"
    done_message = _lazy("De versie is vastgesteld.")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["als"] = rules.vaststeller_rol(self.request.user, self.versie)
        ctx["vorige"] = selectors.vastgestelde_versie(self.versie.wijkplan)
        ctx["n_activiteiten"] = len(self.versie.activiteiten.all())
        ctx["n_pijlers"] = len(self.versie.pijlers.all())
        return ctx

    def take(self, form):
        return services.vaststellen(self.request.user, self.versie,
                                    revisie=form.cleaned_data["revisie"])


class BijstellenView(VersieActionView):
    stap = services.BIJSTELLEN
    template_name = "plans/bijstellen.html"
    form_class = BijstellenForm

    def get_initial(self):
        return {"jaar": min(self.versie.jaar + 1, self.versie.wijkplan.jaar_tot)}

    def form_valid(self, form):
        try:
            nieuw = services.bijstellen(self.request.user, self.versie,
                                        jaar=form.cleaned_data["jaar"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Er is een nieuwe conceptversie gemaakt. Pas die aan "
                                         "en bied die daarna aan de stuurgroep aan."))
        return HttpResponseRedirect(nieuw.get_absolute_url())


class VergelijkView(ScopedDetailView):
    model = WijkplanVersie
    selector = staticmethod(selectors.versies)
    template_name = "plans/vergelijk.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versie = self.object
        andere = list(selectors.andere_versies(versie))
        met = self.request.GET.get("met", "")
        oud = next((v for v in andere if str(v.pk) == met), None) or versie.bijgesteld_van or \
            next((v for v in andere if v.nummer < versie.nummer), None)
        ctx["andere"] = andere
        if oud is not None:
            # Always show old → new.
            if oud.nummer > versie.nummer:
                oud, nieuw = versie, oud
            else:
                nieuw = versie
            oud = selectors.versie_met_inhoud(oud.pk)
            nieuw = selectors.versie_met_inhoud(nieuw.pk)
            ctx.update(oud=oud, nieuw=nieuw, verschil=compare.vergelijk(oud, nieuw))
        return ctx


class VersiePdfView(ScopedDetailView):
    model = WijkplanVersie
    selector = staticmethod(selectors.versies)

    def get(self, request, *args, **kwargs):
        versie = selectors.versie_met_inhoud(self.get_object().pk)
        pdf = transfer.versie_pdf(versie, base_url=request.build_absolute_uri("/"))
        naam = slugify(f"{versie.wijkplan.naam}-{versie.jaar}-versie-{versie.nummer}")
        return exports.file_response(f"{naam}.pdf", pdf, "application/pdf")


class VersieXlsxView(ScopedDetailView):
    model = WijkplanVersie
    selector = staticmethod(selectors.versies)

    def get(self, request, *args, **kwargs):
        versie = selectors.versie_met_inhoud(self.get_object().pk)
        naam = slugify(f"activiteiten-{versie.wijkplan.naam}-{versie.jaar}-v{versie.nummer}")
        return exports.file_response(f"{naam}.xlsx", transfer.activiteiten_xlsx(versie),
                                     exports.XLSX_CONTENT_TYPE)


class ImportSjabloonView(GemeenteMixin, generic.View):
    def get(self, request, *args, **kwargs):
        if request.GET.get("formaat") == "csv":
            return exports.file_response("sjabloon-activiteiten.csv", transfer.sjabloon_csv(),
                                         exports.CSV_CONTENT_TYPE)
        return exports.file_response("sjabloon-activiteiten.xlsx", transfer.sjabloon_xlsx(),
                                     exports.XLSX_CONTENT_TYPE)


class VersieImportView(VersieActionView):
    template_name = "plans/versie_import.html"
    form_class = ImportForm

    def check(self, versie):
        if not versie.is_concept or not policy.can(
                self.request.user, policy.ADD, Activiteit(gemeente=versie.gemeente,
                                                          versie=versie)):
            raise PermissionDenied

    def get_initial(self):
        return {"revisie": self.versie.revisie}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kolommen"] = transfer.KOLOMMEN
        return ctx

    def form_valid(self, form):
        bestand = form.cleaned_data["bestand"]
        try:
            result = transfer.importeer(self.request.user, self.versie, bestand.name,
                                        bestand.read(), revisie=form.cleaned_data["revisie"])
        except imports.ImportGeweigerd as exc:
            return self.render_to_response(self.get_context_data(form=form,
                                                                 problemen=exc.problemen))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _(
            "Ingelezen: %(n)s nieuw, %(g)s gewijzigd, %(o)s ongewijzigd.") % {
                "n": result.aangemaakt, "g": result.bijgewerkt, "o": result.ongewijzigd})
        return HttpResponseRedirect(self.versie.get_absolute_url())


# Pijlers and activiteiten ---------------------------------------------------------------------

class OnderdeelFormView(ConceptMixin, ScopedFormView):
    """Create (versie_pk in URL) or edit a pijler/activiteit of a concept."""

    parent_field = "versie"
    parent_selector = staticmethod(selectors.versies)

    def dispatch_object(self):
        self.object = self.get_object()
        if self.object is None and not policy.can(self.request.user, policy.ADD,
                                                  self.new_instance()):
            raise PermissionDenied

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        versie = self.object.versie if self.object else self.new_instance().versie
        ctx["cancel_url"] = versie.get_absolute_url()
        return ctx


class PijlerFormView(OnderdeelFormView):
    model = Pijler
    form_class = PijlerForm
    selector = staticmethod(selectors.pijlers)

    def save(self, form):
        return services.save_pijler(self.request.user, form.save(commit=False),
                                    revisie=form.cleaned_data["revisie"],
                                    doelen=form.cleaned_data["klaverblad_doelen"])


class ActiviteitFormView(OnderdeelFormView):
    model = Activiteit
    form_class = ActiviteitForm
    selector = staticmethod(selectors.activiteiten)

    def new_instance(self):
        activiteit = super().new_instance()
        pijler = self.request.GET.get("pijler", "")
        if pijler.isdigit():
            activiteit.pijler = activiteit.versie.pijlers.filter(pk=int(pijler)).first()
        return activiteit

    def save(self, form):
        return services.save_activiteit(
            self.request.user, form.save(commit=False), revisie=form.cleaned_data["revisie"],
            m2m={"partners": form.cleaned_data["partners"],
                 "locaties": form.cleaned_data["locaties"],
                 "streefwaarden": form.cleaned_data["streefwaarden"]},
            doelen=form.cleaned_data["klaverblad_doelen"])


class OnderdeelDeleteView(ScopedDeleteView):
    template_name = "plans/confirm_delete.html"
    parent_field = "versie"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not obj.versie.is_concept:
            raise PermissionDenied
        return obj

    def delete_object(self, user, obj):
        self.delete(obj, self.request.POST.get("revisie"))

    def back_url(self, obj):
        return obj.versie.get_absolute_url()


class PijlerDeleteView(OnderdeelDeleteView):
    model = Pijler
    selector = staticmethod(selectors.pijlers)

    def delete(self, obj, revisie):
        services.delete_pijler(self.request.user, obj, revisie=revisie)


class ActiviteitDeleteView(OnderdeelDeleteView):
    model = Activiteit
    selector = staticmethod(selectors.activiteiten)

    def delete(self, obj, revisie):
        services.delete_activiteit(self.request.user, obj, revisie=revisie)


class ActiviteitListView(ScopedListView):
    """Activiteiten of the vastgestelde versions; ?doel= and ?gebied= (links from the matrix)."""

    model = Activiteit

    def get_queryset(self):
        doel, gebied = self.request.GET.get("doel", ""), self.request.GET.get("gebied", "")
        self.doel = framework_selectors.doelen(self.request.user, self.gemeente).filter(
            pk=doel).first() if doel.isdigit() else None
        self.gebied = regions_selectors.gebieden(self.request.user, self.gemeente).filter(
            pk=gebied).first() if gebied.isdigit() else None
        return selectors.huidige_activiteiten(
            self.request.user, self.gemeente, doel_id=self.doel.pk if self.doel else None,
            gebied_id=self.gebied.pk if self.gebied else None)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(doel=self.doel, gebied=self.gebied, may_add=False)
        return ctx


class ActiviteitDetailView(ScopedDetailView):
    model = Activiteit
    selector = staticmethod(selectors.activiteiten)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        act = self.object
        ctx["may_change"] = ctx["may_change"] and act.versie.is_concept
        ctx["may_delete"] = ctx["may_delete"] and act.versie.is_concept
        ctx["rapportages"] = list(selectors.rapportages_over(act))
        ctx["may_rapporteren"] = (act.versie.status == S.VASTGESTELD and policy.can(
            self.request.user, policy.ADD,
            VoortgangRapportage(gemeente=act.gemeente, activiteit=act)))
        for r in ctx["rapportages"]:
            r.may_change = r.activiteit.versie.status == S.VASTGESTELD and policy.can(
                self.request.user, policy.CHANGE, r)
        minimum_n = monitor_selectors.instelling(act.gemeente).minimum_n
        ctx["resultaten"] = te_behalen_resultaten(self.request.user, act, minimum_n)
        ctx["minimum_n"] = minimum_n
        ctx["heeft_onderdrukt"] = any(r["cel"].status == MonitorStatus.ONDERDRUKT
                                      for r in ctx["resultaten"])
        return ctx


def te_behalen_resultaten(user, activiteit, minimum_n) -> list[dict]:
    """The targets `activiteit` works on, as the monitor shows them: the figure (suppressed
    ones as text) and whether the target is reached, with monitor's own selectors and
    display helpers."""
    gemeente = activiteit.gemeente
    return [{**r,
             "tekst": weergave.met_eenheid(r["indicator"], r["streefwaarde"].waarde),
             "cel": weergave.cel(r["indicator"], r["punt"], minimum_n),
             "streef": weergave.voortgang_weergave(r["indicator"], r["streefwaarde"],
                                                   r["status"])}
            for r in monitor_selectors.streef_voortgang(
                user, gemeente, selectors.streefwaarden_van(activiteit))]


# Voortgang ------------------------------------------------------------------------------------

class RapportageFormView(ScopedFormView):
    model = VoortgangRapportage
    form_class = RapportageForm
    selector = staticmethod(selectors.rapportages)
    template_name = "plans/rapportage_form.html"
    parent_field = "activiteit"
    parent_selector = staticmethod(selectors.activiteiten)

    def new_instance(self):
        rapportage = super().new_instance()
        rapportage.periode = selectors.huidig_kwartaal(rapportage.activiteit.versie.wijkplan)
        return rapportage

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None:
            initial["periode"] = self.new_instance().periode.code
        return initial

    def dispatch_object(self):
        self.object = self.get_object()
        instance = self.object or self.new_instance()
        if self.object is None and not policy.can(self.request.user, policy.ADD, instance):
            raise PermissionDenied
        if instance.activiteit.versie.status != S.VASTGESTELD:
            raise PermissionDenied

    def save(self, form):
        return services.rapporteren(self.request.user, form.save(commit=False))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        act = (self.object or self.new_instance()).activiteit
        ctx["activiteit"] = act
        ctx["cancel_url"] = act.get_absolute_url()
        return ctx

