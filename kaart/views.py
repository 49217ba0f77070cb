"""Staff pages of the sociale kaart: the professional search and aanbod view, the redacteur's
editing, change requests and reports, and the provider's own proposals and checks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
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
from kaart import registers, selectors, services
from kaart.forms import (
    AanbodForm,
    AntwoordForm,
    LocatieForm,
    OpeningstijdenForm,
    RedenForm,
    RegisterImportForm,
    UitzonderingForm,
    WijzigingForm,
    ZoekForm,
)
from kaart.models import (
    Aanbod,
    KaartInstelling,
    Locatie,
    Melding,
    Registerinschrijving,
    Uitzondering,
    Wijzigingsverzoek,
)
from network.models import Organisatie
from regions.models import Gebied


def zoekvraag(form) -> selectors.Zoekvraag:
    if not form.is_valid():
        return selectors.Zoekvraag()
    data = form.cleaned_data
    leeftijd = data.get("leeftijd")
    vraag = selectors.Zoekvraag(
        tekst=data.get("q") or "", leeftijd_maanden=None if leeftijd is None else leeftijd * 12,
        buurten=form.buurten(), levensdomein_id=form.levensdomein_id(),
        doel_id=data.get("doel"), gratis=bool(data.get("gratis")),
        nu_open=bool(data.get("open")))
    if data.get("postcode") and data.get("afstand"):
        vraag.punt = selectors.punt_bij_postcode(form.gemeente, data["postcode"])
        vraag.afstand_km = data["afstand"]
        vraag.postcode_onbekend = vraag.punt is None
    return vraag


class AanbodListView(ScopedListView):
    """The professional search: also stale aanbod (marked) and the gebied filter of the
    Klaverblad coverage page."""

    model = Aanbod
    template_name = "kaart/aanbod_list.html"
    paginate_by = 25
    paginator_class = selectors.EenQueryPaginator

    def get_queryset(self):
        self.form = ZoekForm(self.request.GET or None, gemeente=self.gemeente)
        self.vraag = zoekvraag(self.form)
        gebied_id = self.request.GET.get("gebied", "")
        if gebied_id.isdigit():
            self.gebied = get_object_or_404(Gebied, gemeente=self.gemeente, pk=gebied_id)
            self.vraag.gebied = self.gebied
        qs = selectors.zoek(selectors.professioneel_aanbod(self.gemeente), self.gemeente,
                            self.vraag)
        return selectors.met_kaartje(qs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        instelling = KaartInstelling.voor(self.gemeente)
        selectors.met_versheid(ctx["object_list"], instelling)
        ctx.update(form=self.form, vraag=self.vraag, gebied=getattr(self, "gebied", None),
                   telling=selectors.versheid_telling(
                       Aanbod.objects.filter(gemeente=self.gemeente), instelling),
                   professioneel=True,
                   may_import=policy.can(self.request.user, policy.ADD,
                                         Organisatie(gemeente=self.gemeente)))
        return ctx


class AanbodDetailView(ScopedDetailView):
    model = Aanbod
    template_name = "kaart/aanbod_detail.html"

    def get_queryset(self):
        return selectors.aanbod_detail_queryset(self.gemeente)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, aanbod = self.request.user, self.object
        selectors.met_versheid([aanbod], KaartInstelling.voor(self.gemeente))
        ctx["may_propose"] = policy.can(user, policy.ADD, Wijzigingsverzoek(
            gemeente=self.gemeente, aanbod=aanbod))
        ctx["may_check"] = ctx["may_change"] or ctx["may_propose"]
        ctx["verzoeken"] = selectors.wijzigingsverzoeken(user, self.gemeente).filter(
            aanbod=aanbod)
        ctx["meldingen"] = selectors.meldingen(user, self.gemeente).filter(aanbod=aanbod)
        ctx["professioneel"] = True
        ctx["openingstijden_locaties"] = {
            loc.pk for loc in aanbod.locaties.all()
            if services.mag_openingstijden_voorstellen(user, loc)}
        return ctx


class AanbodFormView(ScopedFormView):
    model = Aanbod
    form_class = AanbodForm
    template_name = "core/form.html"

    def get_queryset(self):
        return selectors.basis_queryset(self.gemeente)

    def save(self, form):
        aanbod = form.save(commit=False)
        return services.save_aanbod(
            self.request.user, aanbod, levensdomeinen=list(form.cleaned_data["levensdomeinen"]),
            locaties=list(form.cleaned_data["locaties"]), doelen=list(form.cleaned_data["doelen"]))


class AanbodMixin(GemeenteMixin):
    def get_aanbod(self):
        return get_object_or_404(selectors.basis_queryset(self.gemeente), pk=self.kwargs["pk"])


class WijzigenView(AanbodMixin, generic.FormView):
    """A partner proposes a change of their organisation's aanbod."""

    template_name = "kaart/wijzigen.html"
    form_class = WijzigingForm

    def get_form_kwargs(self):
        self.aanbod = self.get_aanbod()
        if not policy.can(self.request.user, policy.ADD, Wijzigingsverzoek(
                gemeente=self.gemeente, aanbod=self.aanbod)):
            raise PermissionDenied
        return {**super().get_form_kwargs(), "instance": self.aanbod}

    def form_valid(self, form):
        try:
            verzoek = services.dien_wijziging_in(self.request.user, self.aanbod,
                                                 form.voorstel())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if verzoek is None:
            messages.success(self.request, _("Uw wijziging staat meteen op de kaart."))
            return HttpResponseRedirect(self.aanbod.get_absolute_url())
        messages.success(self.request, _("Uw voorstel is verstuurd naar de redacteur."))
        return HttpResponseRedirect(verzoek.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["aanbod"] = self.aanbod
        return ctx


class ControlerenView(AanbodMixin, generic.TemplateView):
    """'Klopt nog': the explicit check that sets laatst gecontroleerd."""

    template_name = "kaart/controleren.html"

    def get(self, request, *args, **kwargs):
        self.aanbod = self.get_aanbod()
        self.check_allowed()
        return super().get(request, *args, **kwargs)

    def check_allowed(self):
        user = self.request.user
        if not (policy.can(user, policy.CHANGE, self.aanbod) or policy.can(
                user, policy.ADD, Wijzigingsverzoek(gemeente=self.gemeente,
                                                    aanbod=self.aanbod))):
            raise PermissionDenied

    def post(self, request, *args, **kwargs):
        self.aanbod = self.get_aanbod()
        self.check_allowed()
        services.controleer(request.user, self.aanbod)
        messages.success(request, _("Bedankt. Het aanbod is gecontroleerd."))
        return HttpResponseRedirect(self.aanbod.get_absolute_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(aanbod=self.aanbod, **kwargs)


class WijzigingListView(ScopedListView):
    model = Wijzigingsverzoek
    template_name = "kaart/wijziging_list.html"

    def get_queryset(self):
        if not policy.can_any(self.request.user, policy.VIEW, Wijzigingsverzoek, self.gemeente):
            raise PermissionDenied
        return selectors.wijzigingsverzoeken(self.request.user, self.gemeente)


class WijzigingDetailView(ScopedDetailView):
    model = Wijzigingsverzoek
    template_name = "kaart/wijziging_detail.html"

    def get_queryset(self):
        if not policy.can_any(self.request.user, policy.VIEW, Wijzigingsverzoek, self.gemeente):
            raise PermissionDenied
        return selectors.wijzigingsverzoeken(self.request.user, self.gemeente)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["diff"] = services.diff(self.object)
        ctx["reden_form"] = RedenForm()
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            if "goedkeuren" in request.POST:
                services.keur_wijziging_goed(request.user, self.object)
                messages.success(request, _("De wijziging is goedgekeurd en staat op de kaart."))
            else:
                form = RedenForm(request.POST)
                services.stuur_wijziging_terug(
                    request.user, self.object,
                    form.cleaned_data["reden"] if form.is_valid() else "")
                messages.success(request, _("Het verzoek is teruggestuurd."))
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
        return HttpResponseRedirect(self.object.get_absolute_url())


class MeldingListView(WijzigingListView):
    model = Melding
    template_name = "kaart/melding_list.html"

    def get_queryset(self):
        if not policy.can_any(self.request.user, policy.VIEW, Melding, self.gemeente):
            raise PermissionDenied
        return selectors.meldingen(self.request.user, self.gemeente)


class MeldingDetailView(ScopedDetailView):
    model = Melding
    template_name = "kaart/melding_detail.html"

    def get_queryset(self):
        if not policy.can_any(self.request.user, policy.VIEW, Melding, self.gemeente):
            raise PermissionDenied
        return selectors.meldingen(self.request.user, self.gemeente)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", AntwoordForm())
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = AntwoordForm(request.POST)
        if form.is_valid():
            try:
                services.beantwoord_melding(request.user, self.object,
                                            form.cleaned_data["antwoord"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Het antwoord is opgeslagen."))
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class LocatieDetailView(ScopedDetailView):
    model = Locatie
    template_name = "kaart/locatie_detail.html"

    def get_queryset(self):
        return selectors.locaties(self.request.user, self.gemeente)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_openingstijden"] = services.mag_openingstijden_voorstellen(
            self.request.user, self.object)
        return ctx


class LocatieFormView(ScopedFormView):
    model = Locatie
    form_class = LocatieForm

    def get_queryset(self):
        return selectors.locaties(self.request.user, self.gemeente)

    def save(self, form):
        return services.save_locatie(self.request.user, form.save(commit=False))


class OpeningstijdenMixin(GemeenteMixin):
    """Pages of a locatie's opening hours. Days with other hours: for whoever
    services.mag_openingstijden_wijzigen allows (the redacteur; a partner of the organisatie
    when opening hours may go live at once)."""

    def get_locatie(self, pk, mag=services.mag_openingstijden_wijzigen):
        locatie = get_object_or_404(selectors.locaties(self.request.user, self.gemeente), pk=pk)
        if not mag(self.request.user, locatie):
            raise PermissionDenied
        return locatie


class OpeningstijdenView(OpeningstijdenMixin, generic.FormView):
    """The weekly hours of a locatie (one form, replaced at once, or proposed to the redacteur
    by a partner when they may not go live at once) and its days with other hours."""

    template_name = "kaart/openingstijden.html"
    form_class = OpeningstijdenForm

    def get_form_kwargs(self):
        self.locatie = self.get_locatie(self.kwargs["pk"], services.mag_openingstijden_voorstellen)
        return {**super().get_form_kwargs(), "locatie": self.locatie}

    def form_valid(self, form):
        try:
            verzoek = services.wijzig_openingstijden(self.request.user, self.locatie,
                                                     form.tijden())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if verzoek is not None:
            messages.success(self.request, _("Uw voorstel is verstuurd naar de redacteur."))
            return HttpResponseRedirect(verzoek.get_absolute_url())
        messages.success(self.request, _("De openingstijden zijn opgeslagen."))
        return HttpResponseRedirect(self.request.path)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)  # builds the form: self.locatie is known
        ctx.update(locatie=self.locatie, uitzonderingen=self.locatie.uitzonderingen.all(),
                   direct=services.mag_openingstijden_wijzigen(self.request.user, self.locatie))
        return ctx


class UitzonderingFormView(OpeningstijdenMixin, ScopedFormView):
    """A day with other opening hours (closed, or other times): new under its locatie's URL,
    changed under its own."""

    model = Uitzondering
    form_class = UitzonderingForm
    parent_field = "locatie"

    def get_queryset(self):
        return selectors.uitzonderingen(self.gemeente)

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.get_locatie(obj.locatie_id)
        self.object_label = str(obj)
        return obj

    def dispatch_object(self):
        self.object = self.get_object()
        if self.object is None:
            self.locatie = self.get_locatie(self.kwargs["locatie_pk"])

    def new_instance(self):
        return Uitzondering(gemeente=self.gemeente, locatie=self.locatie)

    def save(self, form):
        return services.save_uitzondering(self.request.user, form.save(commit=False))

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is None:
            ctx["cancel_url"] = reverse("kaart:locatie-openingstijden", kwargs={
                "gemeente": self.gemeente.slug, "pk": self.locatie.pk})
        return ctx


class UitzonderingDeleteView(OpeningstijdenMixin, ScopedDeleteView):
    model = Uitzondering

    def get_queryset(self):
        return selectors.uitzonderingen(self.gemeente)

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.get_locatie(obj.locatie_id)
        return obj

    def delete_object(self, user, obj):
        services.delete_uitzondering(user, obj)

    def get_success_url(self):
        return self.object.get_absolute_url()


class RegisterImportView(GemeenteMixin, generic.TemplateView):
    """Upload a DUO or LRK file → preview (what is new, changed, closed; refused rows with row
    and column) → confirm → all-or-nothing import through kaart.registers. Between preview and
    confirm the file waits in storage (core.imports.stage) behind a token for this user,
    gemeente and register. The same file again changes nothing."""

    template_name = "kaart/register_import.html"
    register = Registerinschrijving.Register.DUO

    def check_allowed(self):
        if not policy.can(self.request.user, policy.ADD, Organisatie(gemeente=self.gemeente)):
            raise PermissionDenied

    @property
    def soort(self):
        return f"kaart.register.{self.register}"

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return self.render_to_response(self.get_context_data(form=RegisterImportForm()))

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        if "token" in request.POST:
            return self.bevestig(request)
        form = RegisterImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        bestand = form.cleaned_data["bestand"]
        data = bestand.read()
        try:
            plan, codering = registers.voorbeeld(self.gemeente, self.register, bestand.name,
                                                 data)
        except imports.ImportGeweigerd as exc:
            return self.render_to_response(self.get_context_data(
                form=RegisterImportForm(), geweigerd=exc.problemen, bestandsnaam=bestand.name))
        token = None
        if plan.wijzigingen():
            token = imports.stage(data, kind=self.soort, gemeente=self.gemeente,
                                  user=request.user, name=bestand.name)
        return self.render_to_response(self.get_context_data(
            form=RegisterImportForm(), plan=plan, resultaat=plan.resultaat(), codering=codering,
            token=token, bestandsnaam=bestand.name, wijzigingen=plan.wijzigingen()[:200]))

    def bevestig(self, request):
        token = request.POST["token"]
        staged = imports.get_staged(token, kind=self.soort, gemeente=self.gemeente,
                                    user=request.user)
        if staged is None:
            messages.error(request, _("Dit voorbeeld is verlopen of al ingelezen. Kies het "
                                      "bestand opnieuw."))
            return HttpResponseRedirect(request.path)
        try:
            resultaat = registers.importeer_bestand(request.user, self.gemeente, self.register,
                                                    staged.name, staged.data)
        except imports.ImportGeweigerd as exc:
            return self.render_to_response(self.get_context_data(
                form=RegisterImportForm(), geweigerd=exc.problemen, bestandsnaam=staged.name))
        except IntegrityError:  # the same file confirmed twice at the same moment
            messages.info(request, _("Dit bestand wordt al ingelezen."))
            return HttpResponseRedirect(request.path)
        finally:
            imports.delete_staged(token)
        messages.success(request, _("Ingelezen uit %(bestand)s: %(n)s nieuw, %(b)s bijgewerkt, "
                                    "%(g)s gesloten, %(o)s ongewijzigd.") % {
            "bestand": staged.name, "n": resultaat.aangemaakt, "b": resultaat.bijgewerkt,
            "g": resultaat.gesloten, "o": resultaat.ongewijzigd})
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["register"] = self.register
        ctx["register_label"] = Registerinschrijving.Register(self.register).label
        ctx["is_duo"] = self.register == Registerinschrijving.Register.DUO
        ctx["aantal"] = Registerinschrijving.objects.filter(
            gemeente=self.gemeente, register=self.register, gesloten=False).count()
        return ctx
