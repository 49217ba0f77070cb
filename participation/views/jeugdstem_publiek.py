"""Public pages (no login) of youth voices, "Jouw stem": send an idea, question or advice and
follow it with a tracking code.

These pages never set request.gemeente (that marks a member's page); they pass the gemeente as
`publiek`. Accepted submissions are limited per address and per browser session, counted
before the write so the limit is exact (`participation.throttle.reserveer_inzending`),
tracking codes by counting unknown codes only (participation.throttle).

Shared computers: the tracking page shows a message only in the answer to the request that
carried its code. Nothing of it is kept in the session, the page is never cached, and "vergeet
dit bericht op deze computer" also asks the browser to drop its cache of this site.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.cache import never_cache

from core.models import Gemeente
from participation import forms, selectors, services, throttle
from participation.codes import pretty
from participation.models import Inzending
from participation.views.common import PublicMixin, te_vaak

SESSION_NIEUWE_CODE = "participation.nieuwe_volgcode"


class JeugdstemHomeView(PublicMixin, generic.TemplateView):
    template_name = "participation/publiek/jeugdstem.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rondes = selectors.publieke_adviesrondes(self.publiek)
        ctx.update(open_rondes=rondes.filter(open_tot__gte=today),
                   eerdere_rondes=rondes.filter(open_tot__lt=today)[:10],
                   beantwoord=selectors.beantwoorde_openbare(self.publiek))
        return ctx


class _InsturenMixin:
    """Submitting: refused with a friendly page when this address or this browser sent too
    many messages; the new tracking code is shown once. The submission takes its place in the
    rate limits before anything else and gives it back unless it was accepted (an invalid
    form does not count)."""

    def post(self, request, *args, **kwargs):
        plaatsen = throttle.reserveer_inzending(request)
        if plaatsen is None:
            return self.te_veel()
        self.ingestuurd = False
        try:
            return super().post(request, *args, **kwargs)
        finally:
            if not self.ingestuurd:
                plaatsen.geef_terug()

    def te_veel(self):
        return render(self.request, "participation/publiek/te_veel_berichten.html",
                      {"publiek": self.publiek}, status=429)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"gemeente": self.publiek,
                                            "advies": self.advies}

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            inzending, volgcode = services.dien_inzending_in(
                self.publiek, soort=d.get("soort", Inzending.Soort.ADVIES),
                onderwerp=d["onderwerp"], tekst=d["tekst"], gebied=d.get("gebied"),
                thema=d.get("thema"), email=d.get("email", ""), openbaar=d["openbaar"],
                adviesronde=self.ronde)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        self.ingestuurd = True
        self.request.session[SESSION_NIEUWE_CODE] = volgcode
        return HttpResponseRedirect(reverse("participation:publiek-ingestuurd",
                                            kwargs={"gemeente": self.publiek.slug}))


class InsturenView(_InsturenMixin, PublicMixin, generic.FormView):
    template_name = "participation/publiek/insturen.html"
    form_class = forms.InzendingForm
    advies = False
    ronde = None


@method_decorator(never_cache, name="dispatch")
class IngestuurdView(PublicMixin, generic.TemplateView):
    """Shows the tracking code once: it is taken out of the session as it is shown."""

    template_name = "participation/publiek/ingestuurd.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.request.session.pop(SESSION_NIEUWE_CODE, None)
        ctx["volgcode"] = pretty(code) if code else None
        return ctx


@method_decorator(never_cache, name="dispatch")
class VolgenView(PublicMixin, generic.FormView):
    """Follow a submission with its tracking code: the message is in the answer to the POST
    that carried the code, and nowhere else (see the module docstring). Unknown codes are
    counted per address."""

    template_name = "participation/publiek/volgen.html"
    form_class = forms.VolgForm
    scope = "volgen"

    def post(self, request, *args, **kwargs):
        if request.POST.get("actie") == "vergeet":
            response = HttpResponseRedirect(request.path)
            response["Clear-Site-Data"] = '"cache"'
            messages.success(request, _("Je bericht is weg van deze computer. Wil je het weer "
                                        "zien? Typ dan je volgcode."))
            return response
        if throttle.blocked(request, self.scope):
            return te_vaak(request, self.publiek)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        inzending = services.zoek_inzending(self.publiek, form.cleaned_data["code"])
        if inzending is None:
            throttle.record_failure(self.request, self.scope)
            form.add_error("code", _("Deze volgcode kennen we niet. Kijk goed of je hem goed "
                                     "hebt overgetypt."))
            return self.form_invalid(form)
        return self.render_to_response(self.get_context_data(
            form=self.form_class(), inzending=inzending, acties=inzending.vervolgacties.all(),
            terugkoppelingen=inzending.terugkoppelingen.all(), today=timezone.localdate()))


class AdviesrondeView(_InsturenMixin, PublicMixin, generic.FormView):
    template_name = "participation/publiek/adviesronde.html"
    form_class = forms.InzendingForm
    advies = True

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        self.ronde = get_object_or_404(selectors.publieke_adviesrondes(self.publiek),
                                       pk=kwargs["pk"])
        return super(PublicMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(ronde=self.ronde, open=self.ronde.is_open(),
                   adviezen=selectors.publieke_adviezen(self.ronde))
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.ronde.is_open():
            messages.error(request, _("Advies geven bij deze vraag kan niet meer."))
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)
