"""Pages of the activiteitenladder: per school (staff and public), its iCal feed and A4 PDF,
the gaps over all schools, and the staff pages that keep it: activities and the holiday
calendar."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from core import exports, policy
from core.crud import GemeenteMixin, ScopedDeleteView, ScopedFormView, ScopedListView
from core.models import Gemeente
from core.periods import SCHOOLJAAR, Periode
from kaart import ladder
from kaart.forms import LadderactiviteitForm, SchoolvakantieForm
from kaart.models import KaartInstelling, Ladderactiviteit, Schoolvakantie


def schooljaar_uit(request) -> Periode:
    raw = request.GET.get("jaar", "")
    if raw:
        try:
            periode = Periode.parse(raw)
        except ValueError:
            raise Http404 from None
        if periode.soort != SCHOOLJAAR:
            raise Http404
        return periode
    return ladder.huidig_schooljaar()


class LadderMixin:
    def ladder_context(self, gemeente, pk):
        school = get_object_or_404(ladder.scholen(gemeente).select_related("gemeente"), pk=pk)
        jaar = schooljaar_uit(self.request)
        return {"school": school, "schooljaar": jaar, "rooster": ladder.rooster(school, jaar),
                "vakanties": ladder.vakanties(gemeente, jaar),
                "vorig": jaar.previous(), "volgend": jaar.next()}


class LadderView(LadderMixin, GemeenteMixin, generic.TemplateView):
    template_name = "kaart/ladder.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.ladder_context(self.gemeente, kwargs["pk"]))
        user = self.request.user
        for dag in ctx["rooster"]:
            for a in dag["activiteiten"]:
                a.may_change = policy.can(user, policy.CHANGE, a)
                a.may_delete = policy.can(user, policy.DELETE, a)
        ctx["beheer"] = True
        ctx["may_add"] = policy.can_any(user, policy.ADD, Ladderactiviteit, self.gemeente)
        ctx["may_vakanties"] = policy.can_any(user, policy.ADD, Schoolvakantie, self.gemeente)
        return ctx


# Staff pages that keep the ladder: activities (redacteur; a partner their own) and the
# gemeente's holiday calendar (redacteur).

def _scholen(user, gemeente):
    return ladder.scholen(gemeente)


def _activiteiten(user, gemeente):
    return Ladderactiviteit.objects.filter(gemeente=gemeente).select_related(
        "gemeente", "school", "aanbieder")


class LadderactiviteitFormView(ScopedFormView):
    """New (under the school's URL, for the school year in ?jaar) or changed activity."""

    model = Ladderactiviteit
    form_class = LadderactiviteitForm
    selector = staticmethod(_activiteiten)
    parent_field = "school"
    parent_selector = staticmethod(_scholen)

    def new_instance(self):
        instance = super().new_instance()
        instance.schooljaar = schooljaar_uit(self.request)
        return instance

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is None:
            ctx["cancel_url"] = reverse("kaart:ladder", kwargs={
                "gemeente": self.gemeente.slug, "pk": self.kwargs["school_pk"]}) + (
                f"?jaar={schooljaar_uit(self.request).code}")
        return ctx


class LadderactiviteitDeleteView(ScopedDeleteView):
    model = Ladderactiviteit
    selector = staticmethod(_activiteiten)

    def get_success_url(self):
        return self.object.get_absolute_url()


def _vakanties(user, gemeente):
    return Schoolvakantie.objects.filter(gemeente=gemeente).select_related("gemeente")


class SchoolvakantieListView(ScopedListView):
    """The gemeente's holiday calendar of one school year; the region of the gemeente
    (KaartInstelling.vakantieregio) first, the other DUO regions below."""

    model = Schoolvakantie
    selector = staticmethod(_vakanties)
    template_name = "kaart/schoolvakantie_list.html"
    paginate_by = None

    def get_queryset(self):
        self.schooljaar = schooljaar_uit(self.request)
        return super().get_queryset().filter(schooljaar=self.schooljaar).order_by("regio", "van")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        eigen = KaartInstelling.voor(self.gemeente).vakantieregio
        regio_s = sorted(KaartInstelling.Vakantieregio.choices, key=lambda c: c[0] != eigen)
        ctx.update(schooljaar=self.schooljaar, vorig=self.schooljaar.previous(),
                   volgend=self.schooljaar.next(), eigen_regio=eigen,
                   regios=[{"code": code, "label": label, "eigen": code == eigen,
                            "vakanties": [v for v in ctx["object_list"] if v.regio == code]}
                           for code, label in regio_s])
        return ctx


class SchoolvakantieFormView(ScopedFormView):
    model = Schoolvakantie
    form_class = SchoolvakantieForm
    selector = staticmethod(_vakanties)

    def new_instance(self):
        return Schoolvakantie(gemeente=self.gemeente, schooljaar=schooljaar_uit(self.request),
                              regio=KaartInstelling.voor(self.gemeente).vakantieregio)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object is None:
            ctx["cancel_url"] = reverse("kaart:schoolvakantie-list", kwargs={
                "gemeente": self.gemeente.slug}) + f"?jaar={schooljaar_uit(self.request).code}"
        return ctx


class SchoolvakantieDeleteView(ScopedDeleteView):
    model = Schoolvakantie
    selector = staticmethod(_vakanties)

    def get_success_url(self):
        return self.object.get_absolute_url()


class GatenView(GemeenteMixin, generic.TemplateView):
    template_name = "kaart/ladder_gaten.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        jaar = schooljaar_uit(self.request)
        ctx.update(schooljaar=jaar, gaten=ladder.gaten(self.gemeente, jaar))
        return ctx


class PubliekLadderView(LadderMixin, generic.TemplateView):
    template_name = "kaart/publiek/ladder.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.pop("gemeente", None)  # the URL slug; `gemeente` in templates means membership
        ctx["publiek"] = publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        ctx.update(self.ladder_context(publiek, kwargs["pk"]))
        return ctx


class _Bestand(LadderMixin, generic.View):
    def get(self, request, gemeente, pk):
        publiek = get_object_or_404(Gemeente, slug=gemeente)
        ctx = self.ladder_context(publiek, pk)
        page = request.build_absolute_uri(reverse(
            "kaart:publiek-ladder", kwargs={"gemeente": publiek.slug, "pk": pk}))
        return self.respond(ctx["school"], ctx["schooljaar"], page)


class IcalView(_Bestand):
    def respond(self, school, jaar, page):
        return exports.file_response(f"ladder-{school.pk}.ics", ladder.ical(school, jaar, url=page),
                                     "text/calendar; charset=utf-8", inline=True)


class PdfView(_Bestand):
    def respond(self, school, jaar, page):
        return exports.file_response(f"ladder-{school.pk}.pdf",
                                     ladder.pdf(school, jaar, base_url=page), "application/pdf",
                                     inline=True)
