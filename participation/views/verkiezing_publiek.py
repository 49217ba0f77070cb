"""Public pages (no login) of the kinderburgemeester election, for children, parents and
residents: the election, applying, the candidates, voting and the result.

These pages never set request.gemeente (that marks a member's page); they pass the gemeente as
`publiek`. Everything guessable is throttled: forms by django-ratelimit per IP, codes by
counting failed attempts only (participation.throttle).
"""

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
from participation.models import Verkiezing
from participation.uploads import vlog_max_bytes
from participation.views.common import PublicMixin, file_ext, serve_upload, te_vaak


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
            # Say it plainly: nothing was sent, so nobody will look at it.
            return self.render_to_response(self.get_context_data(
                te_laat=timezone.localdate() > self.verkiezing.aanmelding_eind))
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
                groep=data["groep"], school=data["school"],
                andere_school=data["andere_school"], motivatie=data["motivatie"],
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
    return serve_upload(k.aanmelding.foto, f"kandidaat-{k.nummer}{file_ext(k.aanmelding.foto)}")


def kandidaat_vlog(request, gemeente, pk):
    k = _publieke_kandidaat(gemeente, pk)
    return serve_upload(k.aanmelding.vlog, f"kandidaat-{k.nummer}{file_ext(k.aanmelding.vlog)}")


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
        form = self.ballot_form(request.POST)
        if step == "terug" or not form.is_valid():
            if step == "terug":
                form = self.ballot_form(initial=request.POST.dict())
            return self.render_to_response(self.get_context_data(form=form))
        try:
            self.check(form.cleaned_data)
        except ValidationError as exc:
            if exc.code == services.Melding.ONBEKEND and _te_vaak_onbekend(request, self.scope):
                return te_vaak(request, self.publiek)
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
        services.controleer_kandidaat(self.verkiezing, data["kandidaat"])


_stemmen_view = StemmenView.as_view()


# Refusals after which trying again on the ballot can help (a typo, another code).
_OPNIEUW = {services.Melding.ONBEKEND, services.Melding.INGETROKKEN, services.Melding.KANDIDAAT}


def _te_vaak_onbekend(request, scope):
    """Count an unknown code of this address; True when the address had already typed as many
    unknown codes as allowed (participation.throttle). Only unknown codes are throttled: a
    valid code is tried and counts first, so a class is never refused because of other
    pupils' typos."""
    blocked = throttle.blocked(request, scope)
    throttle.record_failure(request, scope)
    return blocked


def _bevestig(request, gemeente, jaar):
    """A confirmed vote, the hot path of an election: one lookup in a per-process cache
    (`selectors.stembureau`) and one SQL statement (`services.breng_stem_uit`, which runs
    participation.stembus), answered with a redirect to the thank-you page (POST/redirect/GET)
    -- or, when it did not count, with a small page that says why, from what that statement
    read (nothing changed). CSRF is checked by the middleware before this runs. Only an unknown
    code is throttled, after the statement said so: a valid unused code always counts
    (docs/participation-voting.md, "Guessing a code")."""
    code, kandidaat = request.POST.get("code", ""), request.POST.get("kandidaat")
    for fresh in (False, True):
        stembureau = selectors.stembureau(gemeente, jaar, fresh=fresh)
        if stembureau is None:
            raise Http404
        try:
            fout = services.breng_stem_uit(stembureau.pk, stembureau.pepper, gemeente, jaar,
                                           code, kandidaat)
            break
        except Verkiezing.DoesNotExist:  # the election was replaced: look it up again, once
            continue
    else:
        raise Http404
    if fout is None:
        return HttpResponseRedirect(stembureau.bedankt_url)
    if fout.code == services.Melding.ONBEKEND and _te_vaak_onbekend(request, StemmenView.scope):
        return te_vaak(request, get_object_or_404(Gemeente, slug=gemeente))
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
        services.controleer_kandidaat(self.verkiezing, data["kandidaat"])


class BedanktView(PublicVerkiezingMixin, generic.TemplateView):
    template_name = "participation/publiek/bedankt.html"


class UitslagView(PublicVerkiezingMixin, generic.TemplateView):
    """Turnout (channels below the gemeente's minimum merged); the result only once it is
    established and from the announced date on: then "<naam> is de nieuwe kinderburgemeester"."""

    template_name = "participation/publiek/uitslag.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.verkiezing
        uitslag = selectors.uitslag_van(v)
        openbaar = selectors.uitslag_openbaar(v, uitslag)
        ctx.update(opkomst=selectors.publieke_opkomst(v), gesloten=v.stemmen_gesloten(),
                   verborgen=not openbaar, uitslag=uitslag if openbaar else None)
        if openbaar:
            ctx["telling"] = telling = selectors.publieke_telling(v)
            ctx["kanalen"] = telling["kanalen"]
            ctx["winnaars"] = [(uitslag.kinderburgemeester, _("kinderburgemeester")),
                               (uitslag.loco, _("loco-kinderburgemeester"))]
        return ctx
