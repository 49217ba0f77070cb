"""Files of an aanvraag: adding and removing bijlagen, downloading them, the verantwoording's
uploads and the beschikking letter."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core import policy
from finance import selectors, services
from finance.forms import (
    BijlageForm,
    ConfirmForm,
)
from finance.models import (
    Aanvraag,
    AanvraagBestand,
)
from finance.views.base import BevestigenView, RoleMixin
from finance.views.stappen import AanvraagActionView


class BijlageView(AanvraagActionView):
    """Attach the projectplan, the begroting or another document to a concept aanvraag."""

    form_class = BijlageForm
    stap = "bewerken"
    title = gettext_lazy("Bijlage toevoegen")
    intro = gettext_lazy("Voeg het projectplan, de begroting of een andere bijlage toe: PDF, "
                         "Word (DOCX) of Excel (XLSX).")
    submit_label = gettext_lazy("Toevoegen")
    success_message = gettext_lazy("De bijlage is toegevoegd.")

    def may(self, aanvraag):
        return policy.can(self.request.user, policy.ADD, AanvraagBestand(
            gemeente=self.gemeente, aanvraag=aanvraag))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("aanvraag")
        return kwargs

    def perform_stap(self, form, sleutel):
        services.add_bijlage(self.request.user, self.aanvraag, soort=form.cleaned_data["soort"],
                             upload=form.cleaned_data["bestand"])


class BijlageDeleteView(BevestigenView):
    """Remove a bijlage: the applicant while the aanvraag is a concept, a behandelaar until the
    decision (the state machine's step for this user, services.bijlage_stap)."""

    view_model = Aanvraag
    form_class = ConfirmForm
    context_object_name = "bijlage"
    blocked_on_post = True
    title = gettext_lazy("Bijlage verwijderen")
    submit_label = gettext_lazy("Verwijderen")
    terug = gettext_lazy("Terug naar de aanvraag")
    intro = gettext_lazy("Het bestand wordt verwijderd; dat kan niet ongedaan worden gemaakt.")

    def load(self):
        bijlage = get_object_or_404(selectors.bijlagen(self.request.user, self.gemeente)
                                    .select_related("aanvraag__gemeente"), pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.DELETE, bijlage):
            raise PermissionDenied
        return bijlage

    def wat(self):
        b = self.object
        return f"{b.aanvraag.nummer} {b.aanvraag.titel} · {b.get_soort_display()}: {b.naam}"

    def blocked_reason(self):
        aanvraag = self.object.aanvraag
        return services.waarom_niet(aanvraag, services.bijlage_stap(self.request.user, aanvraag))

    def perform(self, form):
        services.delete_bijlage(self.request.user, self.object)

    def success_text(self, result):
        return _("De bijlage %(naam)s is verwijderd.") % {"naam": self.object.naam}


class BeschikkingPdfView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        from finance import pdf

        beschikking = get_object_or_404(selectors.beschikkingen(request.user, self.gemeente),
                                        pk=kwargs["pk"])
        if not beschikking.pdf:
            beschikking = pdf.store_beschikking_pdf(beschikking.pk)
        return FileResponse(beschikking.pdf.open("rb"), content_type="application/pdf",
                            filename=f"{beschikking.kenmerk}.pdf")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(queryset, pk, content_type):
    bestand = get_object_or_404(queryset, pk=pk)
    try:
        handle = bestand.bestand.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type=content_type(bestand), as_attachment=True,
                        filename=bestand.naam)


class BijlageDownloadView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        return _download(selectors.bijlagen(request.user, self.gemeente), kwargs["pk"],
                         lambda b: CONTENT_TYPES[b.formaat])


class BestandView(RoleMixin, generic.View):
    view_model = Aanvraag

    def get(self, request, *args, **kwargs):
        return _download(selectors.bestanden(request.user, self.gemeente), kwargs["pk"],
                         lambda b: "application/pdf")
