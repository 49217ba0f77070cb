"""Pages of the activiteitenladder: per school (staff and public), its iCal feed and A4 PDF,
and the gaps over all schools."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from core import exports
from core.crud import GemeenteMixin
from core.models import Gemeente
from core.periods import SCHOOLJAAR, Periode
from kaart import ladder


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
        return ctx


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
