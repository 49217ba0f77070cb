"""Public pages (no login) of youth voices, "Jouw stem": send an idea, question or advice and
follow it with a tracking code.

These pages never set request.gemeente (that marks a member's page); they pass the gemeente as
`publiek`. Forms are throttled by django-ratelimit per IP, tracking codes by counting failed
attempts only (participation.throttle).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django_ratelimit.decorators import ratelimit

from core.models import Gemeente
from participation import forms, selectors, services, throttle
from participation.codes import pretty
from participation.models import Inzending
from participation.views.common import PublicMixin, te_vaak

SESSION_NIEUWE_CODE = "participation.nieuwe_volgcode"
SESSION_VOLG = "participation.volg"


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
    def start_tracking(self, inzending, volgcode):
        self.request.session[SESSION_NIEUWE_CODE] = volgcode
        self.request.session[SESSION_VOLG] = inzending.pk
        return HttpResponseRedirect(reverse("participation:publiek-ingestuurd",
                                            kwargs={"gemeente": self.publiek.slug}))


@method_decorator(ratelimit(key="ip", rate="20/h", method="POST", block=True), name="post")
class InsturenView(_InsturenMixin, PublicMixin, generic.FormView):
    template_name = "participation/publiek/insturen.html"
    form_class = forms.InzendingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["gemeente"] = self.publiek
        return kwargs

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            inzending, volgcode = services.dien_inzending_in(
                self.publiek, soort=d["soort"], onderwerp=d["onderwerp"], tekst=d["tekst"],
                wijk=d.get("wijk"), email=d.get("email", ""), openbaar=d["openbaar"],
                doel=d.get("doel"))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return self.start_tracking(inzending, volgcode)


class IngestuurdView(PublicMixin, generic.TemplateView):
    """Shows the tracking code once: it is taken out of the session as it is shown."""

    template_name = "participation/publiek/ingestuurd.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.request.session.pop(SESSION_NIEUWE_CODE, None)
        ctx["volgcode"] = pretty(code) if code else None
        return ctx


class VolgenView(PublicMixin, generic.FormView):
    """Follow a submission with its tracking code. Wrong codes are counted per IP address."""

    template_name = "participation/publiek/volgen.html"
    form_class = forms.VolgForm
    scope = "volgen"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        pk = self.request.session.get(SESSION_VOLG)
        inzending = (Inzending.objects.filter(gemeente=self.publiek, pk=pk)
                     .select_related("wijk", "adviesronde").first() if pk else None)
        if inzending:
            ctx.update(inzending=inzending, acties=inzending.vervolgacties.all(),
                       terugkoppelingen=inzending.terugkoppelingen.all(),
                       today=timezone.localdate())
        return ctx

    def post(self, request, *args, **kwargs):
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
        self.request.session[SESSION_VOLG] = inzending.pk
        return HttpResponseRedirect(self.request.path)


@method_decorator(ratelimit(key="ip", rate="20/h", method="POST", block=True), name="post")
class AdviesrondeView(_InsturenMixin, PublicMixin, generic.FormView):
    template_name = "participation/publiek/adviesronde.html"
    form_class = forms.InzendingForm

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        self.ronde = get_object_or_404(selectors.publieke_adviesrondes(self.publiek),
                                       pk=kwargs["pk"])
        return super(PublicMixin, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(gemeente=self.publiek, advies=True)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(ronde=self.ronde, open=self.ronde.is_open(),
                   adviezen=self.ronde.adviezen.filter(beantwoord_op__isnull=False)
                   .order_by("beantwoord_op"))
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.ronde.is_open():
            messages.error(request, _("Advies geven bij deze vraag kan niet meer."))
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        d = form.cleaned_data
        try:
            inzending, volgcode = services.dien_inzending_in(
                self.publiek, soort=Inzending.Soort.ADVIES, onderwerp=d["onderwerp"],
                tekst=d["tekst"], wijk=d.get("wijk"), email=d.get("email", ""),
                openbaar=d["openbaar"], adviesronde=self.ronde, doel=d.get("doel"))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return self.start_tracking(inzending, volgcode)
