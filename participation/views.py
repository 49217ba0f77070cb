"""Staff pages (login, within one gemeente): the election, the jury, voting codes, the result,
and the handling of youth voices. Thin: reads through selectors, writes through services."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
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
from participation import forms, selectors, services
from participation.models import (
    Aanmelding,
    Adviesronde,
    Criterium,
    Instelling,
    Inzending,
    JuryScore,
    Kanaal,
    Kandidaat,
    StemcodeReeks,
    Terugkoppeling,
    Uitslag,
    Verkiezing,
    Vervolgactie,
)
from participation.pdf import stemcodes_pdf


def _require(user, action, obj):
    if not policy.can(user, action, obj):
        raise PermissionDenied


# Elections -----------------------------------------------------------------------------------

class VerkiezingListView(ScopedListView):
    model = Verkiezing
    selector = staticmethod(selectors.verkiezingen)
    template_name = "participation/verkiezing_list.html"


class VerkiezingFormView(ScopedFormView):
    model = Verkiezing
    form_class = forms.VerkiezingForm
    selector = staticmethod(selectors.verkiezingen)


class VerkiezingDeleteView(ScopedDeleteView):
    """Only an election without applications and votes can be deleted (PROTECT)."""

    model = Verkiezing
    selector = staticmethod(selectors.verkiezingen)
    success_url_name = "participation:verkiezing-list"


class RestrictedDetailMixin:
    """For models not every role may view: a member without the right gets 403 (the page
    exists for their gemeente), a non-member 404 (from the selector)."""

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        _require(self.request.user, policy.VIEW, obj)
        return obj


class VerkiezingMixin(GemeenteMixin):
    """Pages about one election (pk in the URL)."""

    def get_verkiezing(self):
        if not hasattr(self, "verkiezing"):
            self.verkiezing = get_object_or_404(
                selectors.verkiezingen(self.request.user, self.gemeente), pk=self.kwargs["pk"])
        return self.verkiezing


class VerkiezingDetailView(ScopedDetailView):
    model = Verkiezing
    selector = staticmethod(selectors.verkiezingen)
    template_name = "participation/verkiezing_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v, user = self.object, self.request.user
        ctx.update(
            fase=v.fase(), fasen=v.fasen(), criteria=v.criteria.all(),
            kandidaten=selectors.kandidaten(v), opkomst=selectors.opkomst(v),
            may_read_aanmeldingen=policy.can(user, policy.VIEW, Aanmelding(
                gemeente=self.gemeente)),
            n_aanmeldingen=v.aanmeldingen.count(),
            may_codes=policy.can(user, policy.VIEW, StemcodeReeks(gemeente=self.gemeente)),
            may_add_criterium=policy.can(user, policy.ADD, Criterium(gemeente=self.gemeente,
                                                                     verkiezing=v)),
        )
        return ctx


class CriteriumFormView(ScopedFormView):
    model = Criterium
    form_class = forms.CriteriumForm

    @staticmethod
    def selector(user, gemeente):
        return Criterium.objects.filter(gemeente=gemeente).select_related("verkiezing__gemeente")

    def new_instance(self):
        verkiezing = get_object_or_404(selectors.verkiezingen(self.request.user, self.gemeente),
                                       pk=self.kwargs["verkiezing_pk"])
        return Criterium(gemeente=self.gemeente, verkiezing=verkiezing,
                         volgorde=verkiezing.criteria.count() + 1)

    def get_success_url(self):
        return self.object.verkiezing.get_absolute_url()


class CriteriumDeleteView(ScopedDeleteView):
    model = Criterium
    selector = CriteriumFormView.selector

    def get_success_url(self):
        return self.object.verkiezing.get_absolute_url()


# Jury ----------------------------------------------------------------------------------------

class RankingView(VerkiezingMixin, generic.TemplateView):
    """All applications with their average jury score, best first."""

    template_name = "participation/ranking.html"

    def get_context_data(self, **kwargs):
        _require(self.request.user, policy.VIEW, Aanmelding(gemeente=self.gemeente))
        ctx = super().get_context_data(**kwargs)
        v = self.get_verkiezing()
        ctx.update(verkiezing=v, ranking=selectors.ranking(v), criteria=v.criteria.all(),
                   kandidaten=selectors.kandidaten(v),
                   may_shortlist=policy.can(self.request.user, policy.ADD,
                                            Kandidaat(gemeente=self.gemeente)))
        return ctx


class ShortlistView(VerkiezingMixin, generic.FormView):
    """The beleidsmedewerker confirms the jury's five candidates."""

    template_name = "participation/shortlist.html"
    form_class = forms.ShortlistForm

    def _check(self):
        _require(self.request.user, policy.ADD, Kandidaat(gemeente=self.gemeente))
        self.ranking = selectors.ranking(self.get_verkiezing())

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ranking"] = self.ranking
        return kwargs

    def get_initial(self):
        top = [a.pk for a in self.ranking if a.status == Aanmelding.Status.INGEDIEND][:5]
        return {"aanmeldingen": top}

    def form_valid(self, form):
        try:
            services.bevestig_kandidaten(self.request.user, self.verkiezing,
                                         list(form.cleaned_data["aanmeldingen"]))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De 5 kandidaten zijn bevestigd."))
        return HttpResponseRedirect(self.verkiezing.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(verkiezing=self.verkiezing, ranking=self.ranking,
                   kandidaten=selectors.kandidaten(self.verkiezing),
                   cancel_url=reverse("participation:ranking", kwargs={
                       "gemeente": self.gemeente.slug, "pk": self.verkiezing.pk}),
                   submit_label=_("Deze 5 kandidaten bevestigen"))
        return ctx


class AanmeldingDetailView(RestrictedDetailMixin, ScopedDetailView):
    model = Aanmelding
    selector = staticmethod(selectors.aanmeldingen)
    template_name = "participation/aanmelding_detail.html"

    def may_score(self):
        return policy.can(self.request.user, policy.ADD, JuryScore(gemeente=self.gemeente))

    def score_form(self, data=None):
        a = self.object
        return forms.JuryScoreForm(data, criteria=a.verkiezing.criteria.all(),
                                   initial_scores=selectors.scores_van(self.request.user, a))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        a, user = self.object, self.request.user
        is_beleid = policy.can(user, policy.CHANGE, a)
        scores = a.scores.select_related("criterium", "jurylid")
        ctx.update(
            criteria=a.verkiezing.criteria.all(),
            # A juror sees only their own scores (no anchoring); the beleidsmedewerker all.
            scores=scores if is_beleid else scores.filter(jurylid=user),
            may_score=self.may_score() and a.status == Aanmelding.Status.INGEDIEND,
            history=ctx["history"] if is_beleid else [],
        )
        if ctx["may_score"]:
            ctx.setdefault("score_form", self.score_form())
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.may_score():
            raise PermissionDenied
        form = self.score_form(request.POST)
        if form.is_valid():
            try:
                services.geef_scores(request.user, self.object, form.scores())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Je scores zijn opgeslagen."))
                return HttpResponseRedirect(reverse("participation:ranking", kwargs={
                    "gemeente": self.gemeente.slug, "pk": self.object.verkiezing_id}))
        return self.render_to_response(self.get_context_data(score_form=form))


def _serve(field, filename):
    """Stream a private upload. Never cached by shared caches; no sniffing."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _aanmelding_for(request, gemeente_slug, pk):
    gemeente = core_selectors.gemeente_for(request.user, gemeente_slug)
    aanmelding = get_object_or_404(selectors.aanmeldingen(request.user, gemeente), pk=pk)
    if not policy.can(request.user, policy.VIEW, aanmelding):
        raise PermissionDenied
    return aanmelding


@login_required
def aanmelding_foto(request, gemeente, pk):
    a = _aanmelding_for(request, gemeente, pk)
    return _serve(a.foto, f"foto-{a.pk}{_ext(a.foto)}")


@login_required
def aanmelding_vlog(request, gemeente, pk):
    a = _aanmelding_for(request, gemeente, pk)
    return _serve(a.vlog, f"vlog-{a.pk}{_ext(a.vlog)}")


def _ext(field):
    name = field.name or ""
    return name[name.rfind("."):] if "." in name else ""


# Voting codes and result ---------------------------------------------------------------------

class StemcodesView(VerkiezingMixin, generic.TemplateView):
    """Batches of voting codes. Generating one answers with its PDF, once: the codes are not
    stored in plain text, so this sheet is the only place they exist."""

    template_name = "participation/stemcodes.html"

    def _check(self):
        _require(self.request.user, policy.VIEW, StemcodeReeks(gemeente=self.gemeente))

    def form(self, data=None):
        instance = StemcodeReeks(gemeente=self.gemeente, verkiezing=self.get_verkiezing())
        return forms.StemcodeReeksForm(data, instance=instance, gemeente=self.gemeente,
                                       user=self.request.user)

    def get_context_data(self, **kwargs):
        self._check()
        ctx = super().get_context_data(**kwargs)
        v = self.get_verkiezing()
        ctx.update(verkiezing=v, reeksen=selectors.codereeksen(v),
                   may_add=policy.can(self.request.user, policy.ADD,
                                      StemcodeReeks(gemeente=self.gemeente)),
                   submit_label=_("Codes maken en PDF downloaden"))
        ctx.setdefault("form", self.form())
        return ctx

    def post(self, request, *args, **kwargs):
        self._check()
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reeks, plain = services.maak_stemcodes(
                    request.user, self.get_verkiezing(), kanaal=data["kanaal"],
                    school=data.get("school"), omschrijving=data["omschrijving"],
                    aantal=data["aantal"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                vote_url = request.build_absolute_uri(reverse(
                    "participation:publiek-stemmen",
                    kwargs={"gemeente": self.gemeente.slug, "jaar": self.verkiezing.jaar}))
                pdf = stemcodes_pdf(reeks, plain, vote_url)
                response = HttpResponse(pdf, content_type="application/pdf")
                name = slugify(f"stemcodes {self.verkiezing.jaar} {reeks.omschrijving}")
                response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(form=form))


class ReeksIntrekkenView(GemeenteMixin, generic.DetailView):
    template_name = "participation/reeks_intrekken.html"
    context_object_name = "reeks"

    def get_object(self, queryset=None):
        reeks = get_object_or_404(StemcodeReeks.objects.filter(gemeente=self.gemeente)
                                  .select_related("verkiezing__gemeente", "school"),
                                  pk=self.kwargs["pk"])
        _require(self.request.user, policy.CHANGE, reeks)
        return reeks

    def post(self, request, *args, **kwargs):
        reeks = self.get_object()
        try:
            services.trek_reeks_in(request.user, reeks)
            messages.success(request, _("De reeks is ingetrokken. De codes die nog niet gebruikt "
                                        "waren, werken niet meer."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(reeks.get_absolute_url())


class UitslagView(VerkiezingMixin, generic.TemplateView):
    """Turnout always; counts per candidate and channel only after the window closed."""

    template_name = "participation/uitslag.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        v = self.get_verkiezing()
        ctx.update(verkiezing=v, opkomst=selectors.opkomst(v), gesloten=v.stemmen_gesloten(),
                   uitslag=Uitslag.objects.filter(verkiezing=v).select_related(
                       "kinderburgemeester__aanmelding__school",
                       "loco__aanmelding__school").first(),
                   kanalen=Kanaal.choices,
                   may_vaststellen=policy.can(self.request.user, policy.ADD,
                                              Uitslag(gemeente=self.gemeente)))
        if ctx["gesloten"]:
            ctx["telling"] = selectors.telling(v)
        return ctx

    def post(self, request, *args, **kwargs):
        v = self.get_verkiezing()
        _require(request.user, policy.ADD, Uitslag(gemeente=self.gemeente))
        try:
            services.stel_uitslag_vast(request.user, v)
            messages.success(request, _("De uitslag is vastgesteld."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(request.path)


# Youth voices --------------------------------------------------------------------------------

class InzendingListView(ScopedListView):
    model = Inzending
    selector = staticmethod(selectors.inzendingen)
    template_name = "participation/inzending_list.html"
    FILTERS = {
        "open": (_l("Open"), lambda qs, user, today: qs.filter(gesloten_op__isnull=True)),
        "zonder-antwoord": (_l("Zonder antwoord"),
                            lambda qs, user, today: qs.filter(beantwoord_op__isnull=True,
                                                              gesloten_op__isnull=True)),
        "mijn": (_l("Van mij"), lambda qs, user, today: qs.filter(behandelaar=user,
                                                             gesloten_op__isnull=True)),
        "te-laat": (_l("Te laat"), lambda qs, user, today: qs.filter(
            beantwoord_op__isnull=True, gesloten_op__isnull=True, deadline__lt=today)),
        "gesloten": (_l("Afgesloten"),
                     lambda qs, user, today: qs.filter(gesloten_op__isnull=False)),
    }

    def get_queryset(self):
        if not policy.can(self.request.user, policy.VIEW, Inzending(gemeente=self.gemeente)):
            raise PermissionDenied
        self.filter = self.request.GET.get("filter", "open")
        if self.filter not in self.FILTERS:
            self.filter = "open"
        qs = super().get_queryset()
        return self.FILTERS[self.filter][1](qs, self.request.user, timezone.localdate())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(filter=self.filter, today=timezone.localdate(),
                   filters=[(k, label) for k, (label, _fn) in self.FILTERS.items()])
        return ctx


class InzendingDetailView(RestrictedDetailMixin, ScopedDetailView):
    model = Inzending
    selector = staticmethod(selectors.inzendingen)
    template_name = "participation/inzending_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        i = self.object
        ctx.setdefault("toewijzen_form", forms.ToewijzenForm(
            initial={"behandelaar": i.behandelaar_id}, gemeente=self.gemeente))
        ctx.setdefault("antwoord_form", forms.AntwoordForm(initial={"antwoord": i.antwoord}))
        ctx.update(acties=i.vervolgacties.all(), terugkoppelingen=i.terugkoppelingen.all(),
                   today=timezone.localdate())
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = i = self.get_object()
        if not policy.can(request.user, policy.CHANGE, i):
            raise PermissionDenied
        actie, extra = request.POST.get("actie"), {}
        try:
            if actie == "toewijzen":
                form = forms.ToewijzenForm(request.POST, gemeente=self.gemeente)
                extra["toewijzen_form"] = form
                if form.is_valid():
                    services.wijs_toe(request.user, i, form.cleaned_data["behandelaar"])
                    messages.success(request, _("Toegewezen."))
                    return HttpResponseRedirect(i.get_absolute_url())
            elif actie == "beantwoorden":
                form = forms.AntwoordForm(request.POST)
                extra["antwoord_form"] = form
                if form.is_valid():
                    services.beantwoord(request.user, i, form.cleaned_data["antwoord"])
                    messages.success(request, _("Het antwoord is gepubliceerd."))
                    return HttpResponseRedirect(i.get_absolute_url())
            elif actie == "afsluiten":
                services.sluit_af(request.user, i)
                messages.success(request, _("Afgesloten."))
                return HttpResponseRedirect(i.get_absolute_url())
            else:
                messages.error(request, _("Onbekende handeling."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.render_to_response(self.get_context_data(**extra))


class _InzendingChildFormView(ScopedFormView):
    """Create (inzending_pk in the URL) or edit (pk) a row that belongs to an Inzending."""

    def new_instance(self):
        inzending = get_object_or_404(selectors.inzendingen(self.request.user, self.gemeente),
                                      pk=self.kwargs["inzending_pk"])
        return self.model(gemeente=self.gemeente, inzending=inzending)

    def get_success_url(self):
        return self.object.inzending.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cancel_url"] = (self.object or self.get_form().instance).inzending \
            .get_absolute_url()
        return ctx


class VervolgactieFormView(_InzendingChildFormView):
    model = Vervolgactie
    form_class = forms.VervolgactieForm
    selector = staticmethod(selectors.vervolgacties)

    def save(self, form):
        return services.save_vervolgactie(self.request.user, form.save(commit=False))


class TerugkoppelingFormView(_InzendingChildFormView):
    model = Terugkoppeling
    form_class = forms.TerugkoppelingForm
    selector = staticmethod(selectors.terugkoppelingen)

    def save(self, form):
        return services.voeg_terugkoppeling_toe(self.request.user, form.save(commit=False))


class TeLaatView(GemeenteMixin, generic.TemplateView):
    """Everything past its deadline: unanswered submissions and follow-up actions."""

    template_name = "participation/te_laat.html"

    def _check(self):
        _require(self.request.user, policy.VIEW, Inzending(gemeente=self.gemeente))

    def get_context_data(self, **kwargs):
        self._check()
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx.update(inzendingen=selectors.te_laat_inzendingen(self.gemeente, today)
                   .select_related("behandelaar", "gemeente"),
                   acties=selectors.te_laat_acties(self.gemeente, today), today=today,
                   may_escalate=policy.can(self.request.user, policy.CHANGE,
                                           Inzending(gemeente=self.gemeente)))
        return ctx

    def post(self, request, *args, **kwargs):
        self._check()
        _require(request.user, policy.CHANGE, Inzending(gemeente=self.gemeente))
        n = services.escaleer_te_laat(self.gemeente, actor=request.user)
        messages.success(request, _("%(n)s inzendingen geëscaleerd naar de "
                                    "beleidsmedewerkers.") % {"n": n})
        return HttpResponseRedirect(request.path)


class AdviesrondeListView(ScopedListView):
    model = Adviesronde
    selector = staticmethod(selectors.adviesrondes)
    template_name = "participation/adviesronde_list.html"

    def get_queryset(self):
        _require(self.request.user, policy.VIEW, Adviesronde(gemeente=self.gemeente))
        return super().get_queryset()


class AdviesrondeDetailView(RestrictedDetailMixin, ScopedDetailView):
    model = Adviesronde
    selector = staticmethod(selectors.adviesrondes)
    template_name = "participation/adviesronde_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["adviezen"] = self.object.adviezen.select_related("behandelaar", "gemeente")
        ctx["today"] = timezone.localdate()
        return ctx


class AdviesrondeFormView(ScopedFormView):
    model = Adviesronde
    form_class = forms.AdviesrondeForm
    selector = staticmethod(selectors.adviesrondes)


class InstellingView(GemeenteMixin, generic.UpdateView):
    """The gemeente's answer deadline and retention period."""

    model = Instelling
    form_class = forms.InstellingForm
    template_name = "core/form.html"

    def get_object(self, queryset=None):
        instelling = selectors.instelling_for(self.gemeente)
        action = policy.CHANGE if instelling.pk else policy.ADD
        _require(self.request.user, action, instelling)
        return instelling

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(gemeente=self.gemeente, user=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            self.object = services.bewaar_instelling(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Opgeslagen."))
        return HttpResponseRedirect(reverse("participation:inzending-list",
                                            kwargs={"gemeente": self.gemeente.slug}))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_name"] = Instelling._meta.verbose_name
        ctx["cancel_url"] = reverse("participation:inzending-list",
                                    kwargs={"gemeente": self.gemeente.slug})
        return ctx
