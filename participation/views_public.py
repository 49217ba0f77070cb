"""Public pages (no login) for children, parents and residents: the kinderburgemeester election
(apply, candidates, vote, result) and "Jouw stem" (send an idea, question or advice and follow
it with a tracking code).

These pages never set request.gemeente (that marks a member's page); they pass the gemeente as
`publiek`. Everything guessable is throttled: forms by django-ratelimit per IP, codes by
counting failed attempts only (participation.throttle).
"""

from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django_ratelimit.decorators import ratelimit

from core.models import Gemeente
from participation import forms, selectors, services, throttle
from participation.models import Inzending, Kanaal, Uitslag, Verkiezing
from participation.uploads import vlog_max_bytes
from participation.views import _ext, _serve

SESSION_NIEUWE_CODE = "participation.nieuwe_volgcode"
SESSION_VOLG = "participation.volg"


class PublicMixin:
    """Resolves the gemeente from the URL for anyone (404 if unknown)."""

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.pop("gemeente", None)  # the URL slug; `gemeente` in templates means membership
        ctx["publiek"] = self.publiek
        return ctx


class PublicVerkiezingMixin(PublicMixin):
    def dispatch(self, request, *args, **kwargs):
        self.verkiezing = get_object_or_404(
            Verkiezing.objects.select_related("gemeente"), gemeente__slug=kwargs["gemeente"],
            jaar=kwargs["jaar"])
        self.publiek = self.verkiezing.gemeente
        return super(PublicMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(verkiezing=self.verkiezing, fase=self.verkiezing.fase())
        return ctx


# Kinderburgemeester ---------------------------------------------------------------------------

class HomeView(PublicMixin, generic.TemplateView):
    template_name = "participation/publiek/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["verkiezing"] = huidige = selectors.huidige_verkiezing(self.publiek)
        ctx["fase"] = huidige.fase() if huidige else None
        ctx["eerdere"] = selectors.publieke_verkiezingen(self.publiek).exclude(
            pk=getattr(huidige, "pk", None))
        return ctx


class VerkiezingView(PublicVerkiezingMixin, generic.TemplateView):
    template_name = "participation/publiek/verkiezing.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["kandidaten"] = selectors.kandidaten(self.verkiezing)
        ctx["fasen"] = self.verkiezing.fasen()
        ctx["criteria"] = self.verkiezing.criteria.all()
        return ctx


@method_decorator(ratelimit(key="ip", rate="20/h", method="POST", block=True), name="post")
class AanmeldenView(PublicVerkiezingMixin, generic.FormView):
    template_name = "participation/publiek/aanmelden.html"
    form_class = forms.AanmeldForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["gemeente"] = self.publiek
        return kwargs

    def post(self, request, *args, **kwargs):
        if not self.verkiezing.aanmelding_open():
            return self.get(request, *args, **kwargs)
        # A body far beyond the vlog limit is refused before it is read.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > vlog_max_bytes() + 20 * 1024 * 1024:
            melding = _("Je bestanden zijn samen te groot. Je vlog mag niet groter zijn dan "
                        "%(max)s.") % {"max": filesizeformat(vlog_max_bytes())}
            form = self.get_form_class()(gemeente=self.publiek)  # the body stays unread
            return self.render_to_response(self.get_context_data(melding=melding, form=form),
                                           status=413)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.dien_aanmelding_in(
                self.verkiezing, voornaam=data["voornaam"], achternaam=data["achternaam"],
                groep=data["groep"], school=data["school"], motivatie=data["motivatie"],
                vlog=data["vlog"], foto=data.get("foto"), ouder_naam=data["ouder_naam"],
                ouder_email=data["ouder_email"], ouder_toestemming=data["ouder_toestemming"],
                toestemming_publiek=data["toestemming_publiek"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("participation:publiek-aanmelden-klaar", kwargs={
            "gemeente": self.publiek.slug, "jaar": self.verkiezing.jaar}))


class AanmeldenKlaarView(PublicVerkiezingMixin, generic.TemplateView):
    template_name = "participation/publiek/aanmelden_klaar.html"


class KandidaatView(PublicMixin, generic.DetailView):
    """A candidate's public page: only with the parent's consent (else 404)."""

    template_name = "participation/publiek/kandidaat.html"
    context_object_name = "kandidaat"

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.publieke_kandidaten(self.publiek),
                                 pk=self.kwargs["pk"])


def _publieke_kandidaat(gemeente_slug, pk):
    gemeente = get_object_or_404(Gemeente, slug=gemeente_slug)
    return get_object_or_404(selectors.publieke_kandidaten(gemeente), pk=pk)


def kandidaat_foto(request, gemeente, pk):
    k = _publieke_kandidaat(gemeente, pk)
    return _serve(k.aanmelding.foto, f"kandidaat-{k.nummer}{_ext(k.aanmelding.foto)}")


def kandidaat_vlog(request, gemeente, pk):
    k = _publieke_kandidaat(gemeente, pk)
    return _serve(k.aanmelding.vlog, f"kandidaat-{k.nummer}{_ext(k.aanmelding.vlog)}")


def _te_vaak(request, publiek):
    return render(request, "participation/publiek/te_vaak.html", {"publiek": publiek},
                  status=429)


class _BallotMixin:
    """One step (choose) plus a confirmation screen. `step` in the POST says which; this
    handles choosing ("kies") and going back ("terug"); each view confirms ("bevestig") itself."""

    confirm_template = "participation/publiek/bevestigen.html"
    scope = "stemmen"

    def ballot_form(self, data=None, initial=None):
        return forms.StemForm(data, initial=initial, kandidaten=self.kandidaten,
                              with_code=self.with_code)

    def handle_ballot(self, request):
        step = request.POST.get("step")
        if self.with_code and throttle.blocked(request, self.scope):
            return _te_vaak(request, self.publiek)
        form = self.ballot_form(request.POST)
        if step == "terug" or not form.is_valid():
            if step == "terug":
                form = self.ballot_form(initial=request.POST.dict())
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.check(form.cleaned_data)
        except ValidationError as exc:
            if exc.code == services.Melding.ONBEKEND:
                throttle.record_failure(request, self.scope)
            field = "code" if self.with_code and exc.code in (
                services.Melding.ONBEKEND, services.Melding.GEBRUIKT,
                services.Melding.INGETROKKEN) else None
            form.add_error(field, exc)
            return self.render_to_response(self.get_context_data(form=form))
        kandidaat = next(k for k in self.kandidaten if str(k.pk) == form.cleaned_data[
            "kandidaat"])
        ctx = self.get_context_data(form=form, kandidaat=kandidaat,
                                    code=form.cleaned_data.get("code", ""))
        return render(request, self.confirm_template, ctx)


class StemmenView(_BallotMixin, PublicVerkiezingMixin, generic.TemplateView):
    """The ballot and its confirmation screen. The confirmed vote itself (step "bevestig") is
    handled by `stemmen` below, without this view."""

    template_name = "participation/publiek/stemmen.html"
    with_code = True

    @property
    def kandidaten(self):
        if not hasattr(self, "_kandidaten"):
            self._kandidaten = list(selectors.kandidaten(self.verkiezing))
        return self._kandidaten

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.verkiezing
        if "form" not in ctx:  # (built only when needed: a refused vote brings its own)
            ctx["form"] = self.ballot_form(initial={"code": self.request.GET.get("code", "")})
        ctx.update(open=v.stemmen_open(), gesloten=v.stemmen_gesloten(),
                   kandidaten=self.kandidaten, step_url=self.request.path)
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.verkiezing.stemmen_open():
            return self.get(request, *args, **kwargs)
        return self.handle_ballot(request)

    def check(self, data):
        services.controleer_code(self.verkiezing, data["code"])
        services.check_kandidaat(self.verkiezing, data["kandidaat"])


_stemmen_view = StemmenView.as_view()


class _Stembus(NamedTuple):
    """What a confirmed vote needs to know of its election, besides what it typed."""
    pk: int
    pepper: str
    bedankt_url: str


# (gemeente slug, jaar) -> _Stembus: facts that never change for an election, kept per process
# so a confirmed vote needs no query to find its election. A stale entry cannot let a wrong vote
# through: `services.spend_code` checks the id, slug, year, window, channel, code and candidate
# in the database itself, and says when the election is not there. Only existing ones are kept.
_STEMMEN_CACHE: dict[tuple[str, int], _Stembus] = {}

# Refusals after which trying again on the ballot can help (a typo, another code).
_OPNIEUW = {services.Melding.ONBEKEND, services.Melding.INGETROKKEN, services.Melding.KANDIDAAT}


def _stembus(gemeente, jaar, fresh=False):
    key = (gemeente, jaar)
    if fresh:
        _STEMMEN_CACHE.pop(key, None)
    stembus = _STEMMEN_CACHE.get(key)
    if stembus is None:
        row = (Verkiezing.objects.filter(gemeente__slug=gemeente, jaar=jaar)
               .values_list("pk", "pepper").first())
        if row is None:
            raise Http404
        stembus = _STEMMEN_CACHE[key] = _Stembus(*row, reverse(
            "participation:publiek-bedankt", kwargs={"gemeente": gemeente, "jaar": jaar}))
    return stembus


def _bevestig(request, gemeente, jaar):
    """A confirmed vote, the hot path of an election: one lookup in a per-process cache, the
    throttle (no round trip, see participation.throttle) and one SQL statement
    (`services.spend_code`), answered with a redirect to the thank-you page (POST/redirect/GET)
    -- or, when it did not count, with a small page that says why, from what that statement
    read (nothing changed). CSRF is checked by the middleware before this runs."""
    if throttle.blocked(request, StemmenView.scope):
        return _te_vaak(request, get_object_or_404(Gemeente, slug=gemeente))
    code, kandidaat = request.POST.get("code", ""), request.POST.get("kandidaat")
    for fresh in (False, True):
        stembus = _stembus(gemeente, jaar, fresh=fresh)
        try:
            fout = services.spend_code(stembus.pk, stembus.pepper, gemeente, jaar, code,
                                       kandidaat)
            break
        except Verkiezing.DoesNotExist:  # the election was replaced: look it up again, once
            continue
    else:
        raise Http404
    if fout is None:
        return HttpResponseRedirect(stembus.bedankt_url)
    if fout.code == services.Melding.ONBEKEND:
        throttle.record_failure(request, StemmenView.scope)
    return render(request, "participation/publiek/stem_geweigerd.html", {
        "publiek": get_object_or_404(Gemeente, slug=gemeente), "jaar": jaar,
        "melding": fout.messages[0], "opnieuw": fout.code in _OPNIEUW,
        "voorbij": fout.code == services.Melding.VOORBIJ})


def stemmen(request, gemeente, jaar):
    """The public vote page: the ballot and the confirmation screen (StemmenView), and the
    confirmed vote (POST step=bevestig, `_bevestig`)."""
    if request.method == "POST" and request.POST.get("step") == "bevestig":
        return _bevestig(request, gemeente, jaar)
    return _stemmen_view(request, gemeente=gemeente, jaar=jaar)


@method_decorator(ratelimit(key="ip", rate="10/m", method="POST", block=True), name="post")
@method_decorator(ratelimit(key="post:email", rate="3/h", method="POST", block=True),
                  name="post")
class StemlinkView(PublicVerkiezingMixin, generic.FormView):
    template_name = "participation/publiek/stemlink.html"
    form_class = forms.StemlinkForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(open=self.verkiezing.stemmen_open())
        return ctx

    def form_valid(self, form):
        def link_for(token):
            return self.request.build_absolute_uri(reverse(
                "participation:publiek-stemmen-link",
                kwargs={"gemeente": self.publiek.slug, "token": token}))

        try:
            services.vraag_stemlink_aan(self.verkiezing, form.cleaned_data["email"], link_for)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return render(self.request, "participation/publiek/stemlink_verstuurd.html",
                      self.get_context_data(form=form))


class StemmenMetLinkView(_BallotMixin, PublicMixin, generic.TemplateView):
    template_name = "participation/publiek/stemmen.html"
    with_code = False
    scope = "stemlink"

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        try:
            self.kiezer = services.kiezer_voor_link(kwargs["token"])
        except ValidationError as exc:
            return render(request, "participation/publiek/link_ongeldig.html",
                          {"publiek": self.publiek, "melding": exc.messages[0]}, status=404)
        if self.kiezer.verkiezing.gemeente_id != self.publiek.pk:
            raise Http404
        self.verkiezing = self.kiezer.verkiezing
        self.kandidaten = list(selectors.kandidaten(self.verkiezing))
        return super(PublicMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.verkiezing
        ctx.setdefault("form", self.ballot_form())
        ctx.update(verkiezing=v, open=v.stemmen_open(), gesloten=v.stemmen_gesloten(),
                   kandidaten=self.kandidaten, step_url=self.request.path, via_link=True)
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.verkiezing.stemmen_open():
            return self.get(request, *args, **kwargs)
        if request.POST.get("step") != "bevestig":
            return self.handle_ballot(request)
        try:
            services.stem_met_link(self.kwargs["token"], request.POST.get("kandidaat"))
        except ValidationError as exc:
            form = self.ballot_form(request.POST)
            form.is_valid()
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(form=form))
        return HttpResponseRedirect(reverse("participation:publiek-bedankt", kwargs={
            "gemeente": self.publiek.slug, "jaar": self.verkiezing.jaar}))

    def check(self, data):
        services.controleer_venster(self.verkiezing)
        services.check_kandidaat(self.verkiezing, data["kandidaat"])


class BedanktView(PublicVerkiezingMixin, generic.TemplateView):
    template_name = "participation/publiek/bedankt.html"


class UitslagView(PublicVerkiezingMixin, generic.TemplateView):
    template_name = "participation/publiek/uitslag.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.verkiezing
        ctx.update(opkomst=selectors.opkomst(v), gesloten=v.stemmen_gesloten(),
                   kanalen=Kanaal.choices,
                   uitslag=Uitslag.objects.filter(verkiezing=v).select_related(
                       "kinderburgemeester__aanmelding__school",
                       "loco__aanmelding__school").first())
        if ctx["gesloten"]:
            ctx["telling"] = selectors.telling(v)
        return ctx


# Jouw stem ------------------------------------------------------------------------------------

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
        from participation.codes import pretty

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
            return _te_vaak(request, self.publiek)
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

