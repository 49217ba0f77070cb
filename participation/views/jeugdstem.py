"""Staff pages of youth voices (login, within one gemeente): submissions, their answer and
follow-up, what is overdue, and advice rounds. Thin: reads through selectors, writes through
services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import generic

from core import policy
from core.crud import (
    GemeenteMixin,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from participation import forms, selectors, services
from participation.models import (
    Adviesronde,
    Inzending,
    Kinderthema,
    Terugkoppeling,
    Vervolgactie,
)
from participation.views.common import RestrictedDetailMixin, require

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
        "nakijken": (_l("Openbare tekst nakijken"),
                     lambda qs, user, today: qs.filter(selectors.TE_BEOORDELEN)),
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
        ctx.setdefault("moderatie_form", forms.ModeratieForm(initial={
            "publiek_onderwerp": i.publiek_onderwerp or i.onderwerp,
            "publieke_tekst": i.publieke_tekst or i.tekst}))
        signalen = services.signalen(i)
        ctx.update(acties=i.vervolgacties.all(), terugkoppelingen=i.terugkoppelingen.all(),
                   today=timezone.localdate(), signalen=signalen,
                   tekst_gemarkeerd=markeer(i.onderwerp, i.tekst, signalen),
                   may_delete=policy.can(self.request.user, policy.DELETE, i))
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
            elif actie == "goedkeuren":
                form = forms.ModeratieForm(request.POST)
                extra["moderatie_form"] = form
                if form.is_valid():
                    services.keur_goed(request.user, i, **form.cleaned_data)
                    messages.success(request, _("De openbare tekst is goedgekeurd."))
                    return HttpResponseRedirect(i.get_absolute_url())
            elif actie in ("verbergen", "tonen"):
                services.verberg(request.user, i, verborgen=actie == "verbergen")
                messages.success(request, _("Verborgen op de openbare pagina's.")
                                 if actie == "verbergen" else
                                 _("Weer zichtbaar op de openbare pagina's."))
                return HttpResponseRedirect(i.get_absolute_url())
            elif actie == "spam":
                services.markeer_als_spam(request.user, i)
                messages.success(request, _("Als spam gemarkeerd en afgesloten, zonder "
                                            "antwoord."))
                return HttpResponseRedirect(i.get_absolute_url())
            else:
                messages.error(request, _("Onbekende handeling."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.render_to_response(self.get_context_data(**extra))


class InzendingDeleteView(ScopedDeleteView):
    """Delete a message with the child's original, its public text and its e-mails."""

    model = Inzending
    selector = staticmethod(selectors.inzendingen)
    success_url_name = "participation:inzending-list"

    def delete_object(self, user, obj):
        services.delete_inzending(user, obj)


def markeer(onderwerp, tekst, signalen):
    """The child's subject and text (joined as persoonsgegevens.signaleer joins them) as HTML,
    with every signal in a <mark> (escaped)."""
    text = "\n".join(t for t in (onderwerp, tekst) if t)
    parts, pos = [], 0
    for s in signalen:
        parts += [escape(text[pos:s.start]),
                  format_html('<mark title="{}">{}</mark>', s.label, text[s.start:s.end])]
        pos = s.end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(str(p) for p in parts).replace("\n", "<br>"))  # noqa: S308


class KinderthemasView(GemeenteMixin, generic.FormView):
    """The beleidsmedewerker writes each Klaverblad doel in children's words for the
    "Jouw stem" form."""

    form_class = forms.KinderthemasForm
    template_name = "participation/kinderthemas.html"

    def _check(self):
        require(self.request.user, policy.CHANGE, Kinderthema(gemeente=self.gemeente))

    def get_form_kwargs(self):
        self._check()
        return super().get_form_kwargs() | {"gemeente": self.gemeente}

    def form_valid(self, form):
        try:
            services.save_kinderthemas(self.request.user, self.gemeente, form.teksten())
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("De thema's voor kinderen zijn opgeslagen."))
        return HttpResponseRedirect(self.request.path)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"cancel_url": reverse(
            "participation:inzending-list", kwargs={"gemeente": self.gemeente.slug})}


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
        require(self.request.user, policy.VIEW, Inzending(gemeente=self.gemeente))

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
        require(request.user, policy.CHANGE, Inzending(gemeente=self.gemeente))
        n = services.escaleer_te_laat(self.gemeente, actor=request.user)
        messages.success(request, _("%(n)s inzendingen geëscaleerd naar de "
                                    "beleidsmedewerkers.") % {"n": n})
        return HttpResponseRedirect(request.path)


class AdviesrondeListView(ScopedListView):
    model = Adviesronde
    selector = staticmethod(selectors.adviesrondes)
    template_name = "participation/adviesronde_list.html"

    def get_queryset(self):
        require(self.request.user, policy.VIEW, Adviesronde(gemeente=self.gemeente))
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
