"""Staff pages of the kinderburgemeester election (login, within one gemeente): the election,
the jury, voting codes and the result. Thin: reads through selectors, writes through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import generic

from core import exports, policy
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
    Criterium,
    JuryScore,
    Kanaal,
    Kandidaat,
    StemcodeReeks,
    Uitslag,
    Verkiezing,
)
from participation.pdf import stemcodes_pdf
from participation.views.common import RestrictedDetailMixin, file_ext, require, serve_upload

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
        require(self.request.user, policy.VIEW, Aanmelding(gemeente=self.gemeente))
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
        require(self.request.user, policy.ADD, Kandidaat(gemeente=self.gemeente))
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


def _aanmelding_for(request, gemeente_slug, pk):
    gemeente = core_selectors.gemeente_for(request.user, gemeente_slug)
    aanmelding = get_object_or_404(selectors.aanmeldingen(request.user, gemeente), pk=pk)
    if not policy.can(request.user, policy.VIEW, aanmelding):
        raise PermissionDenied
    return aanmelding


@login_required
def aanmelding_foto(request, gemeente, pk):
    a = _aanmelding_for(request, gemeente, pk)
    return serve_upload(a.foto, f"foto-{a.pk}{file_ext(a.foto)}")


@login_required
def aanmelding_vlog(request, gemeente, pk):
    a = _aanmelding_for(request, gemeente, pk)
    return serve_upload(a.vlog, f"vlog-{a.pk}{file_ext(a.vlog)}")


# Voting codes and result ---------------------------------------------------------------------

class StemcodesView(VerkiezingMixin, generic.TemplateView):
    """Batches of voting codes. Generating one answers with its PDF, once: the codes are not
    stored in plain text, so this sheet is the only place they exist."""

    template_name = "participation/stemcodes.html"

    def _check(self):
        require(self.request.user, policy.VIEW, StemcodeReeks(gemeente=self.gemeente))

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
                name = slugify(f"stemcodes {self.verkiezing.jaar} {reeks.omschrijving}")
                response = exports.file_response(f"{name}.pdf", pdf, "application/pdf")
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
        require(self.request.user, policy.CHANGE, reeks)
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
        require(request.user, policy.ADD, Uitslag(gemeente=self.gemeente))
        try:
            services.stel_uitslag_vast(request.user, v)
            messages.success(request, _("De uitslag is vastgesteld."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(request.path)
