"""The public sociale kaart (no login): search, an aanbod, "Klopt er iets niet?", and the
provider's one-click check link from the reminder message.

Like participation's public pages, these never set request.gemeente; the gemeente is passed as
`publiek`. The report form is rate-limited per IP address."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django_ratelimit.decorators import ratelimit

from core.models import Gemeente
from kaart import selectors, services
from kaart.forms import MeldingForm, WijzigingForm, ZoekForm
from kaart.models import KaartInstelling
from kaart.views import zoekvraag


class PublicMixin:
    def dispatch(self, request, *args, **kwargs):
        found = selectors.publieke_kaart(kwargs["gemeente"])
        if found is None:
            raise Http404
        self.publiek, self.instelling = found
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.pop("gemeente", None)
        ctx["publiek"] = self.publiek
        return ctx

    def get_aanbod(self):
        return get_object_or_404(selectors.met_details(
            selectors.publiek_aanbod(self.publiek, self.instelling)), pk=self.kwargs["pk"])


class ZoekenView(PublicMixin, generic.ListView):
    template_name = "kaart/publiek/zoeken.html"
    paginate_by = 20
    paginator_class = selectors.EenQueryPaginator

    def get_queryset(self):
        self.form = ZoekForm(self.request.GET or None, gemeente=self.publiek)
        self.vraag = zoekvraag(self.form)
        return selectors.met_kaartje(selectors.zoek(
            selectors.publiek_aanbod(self.publiek, self.instelling), self.publiek, self.vraag))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        selectors.met_versheid(ctx["object_list"], self.instelling)
        ctx.update(form=self.form, vraag=self.vraag,
                   gezocht=bool(self.request.GET))
        return ctx


class AanbodView(PublicMixin, generic.TemplateView):
    template_name = "kaart/publiek/aanbod.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        aanbod = self.get_aanbod()
        selectors.met_versheid([aanbod], self.instelling)
        ctx.update(aanbod=aanbod, form=MeldingForm())
        return ctx


@method_decorator(ratelimit(key="ip", rate="10/h", method="POST", block=True), name="post")
class MeldenView(PublicMixin, generic.FormView):
    """'Klopt er iets niet?' on every aanbod."""

    template_name = "kaart/publiek/melden.html"
    form_class = MeldingForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(aanbod=self.aanbod, **kwargs)

    def get(self, request, *args, **kwargs):
        self.aanbod = self.get_aanbod()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.aanbod = self.get_aanbod()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.meld_fout(self.aanbod, tekst=form.cleaned_data["tekst"],
                               email=form.cleaned_data["email"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Bedankt voor uw melding. De aanbieder en de gemeente "
                                         "kijken ernaar."))
        return HttpResponseRedirect(self.aanbod.get_public_url())


class ControleLinkMixin(PublicMixin):
    """A page reached by a signed link: an invalid, used or expired link is a 404 page that
    says why (and changes nothing)."""

    doel = None

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        try:
            self.aanbod = services.lees_controlelink(self.publiek, kwargs["token"], self.doel)
        except ValidationError as exc:
            return render(request, "kaart/publiek/link_ongeldig.html",
                          {"publiek": self.publiek, "reden": exc.messages[0]}, status=404)
        self.instelling = KaartInstelling.voor(self.publiek)
        return super(PublicMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(aanbod=self.aanbod, **kwargs)


class KloptNogView(ControleLinkMixin, generic.TemplateView):
    """One click in the message opens this page; one button confirms (a GET never changes
    anything, so mail scanners that open links cannot check an aanbod by accident)."""

    template_name = "kaart/publiek/klopt_nog.html"
    doel = services.KLOPT

    def post(self, request, *args, **kwargs):
        try:
            services.klopt_nog_via_link(self.publiek, kwargs["token"])
        except ValidationError as exc:
            return render(request, "kaart/publiek/link_ongeldig.html",
                          {"publiek": self.publiek, "reden": exc.messages[0]}, status=404)
        return render(request, "kaart/publiek/klopt_nog_klaar.html",
                      {"publiek": self.publiek, "aanbod": self.aanbod})


class WijzigenLinkView(ControleLinkMixin, generic.FormView):
    """The provider proposes changes without logging in; the redacteur decides as usual."""

    template_name = "kaart/publiek/wijzigen.html"
    form_class = WijzigingForm
    doel = services.WIJZIGEN

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.aanbod}

    def form_valid(self, form):
        try:
            services.dien_wijziging_in(None, self.aanbod, form.voorstel(), via_link=True)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return render(self.request, "kaart/publiek/wijzigen_klaar.html",
                      {"publiek": self.publiek, "aanbod": self.aanbod})



class VerwijsroutesView(PublicMixin, generic.TemplateView):
    """'Waar kan ik terecht?': per need the agreed route (no personal data asked or kept)."""

    template_name = "kaart/publiek/verwijsroutes.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["routes"] = selectors.verwijsroutes(self.publiek)
        return ctx
