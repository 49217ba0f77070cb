"""Pages of the Klaverblad-toets. Thin: reads through toets.selectors, writes through
toets.services; a document the user may not see answers 404."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from core import policy
from core.crud import GemeenteMixin
from core.exports import file_response, new_workbook, xlsx_append, xlsx_response
from core.models import Role
from core.pdf import render_pdf
from framework import selectors as framework_selectors
from toets import selectors, services
from toets.forms import (
    BewijsToevoegenForm,
    DocumentForm,
    HertoetsForm,
    LexiconDoelForm,
    LexiconForm,
    OordeelForm,
    TermFormSet,
)
from toets.models import Beleidsdocument, Bewijs, Hertoetsronde, Lexicon, Oordeel, Toetsing


class _Toegang:
    """Runs after GemeenteMixin has set self.gemeente, before the method handler: only roles
    that may see some policy documents (beleid, partner) get the toets pages."""

    def dispatch(self, request, *args, **kwargs):
        self.setup_gemeente()
        return super().dispatch(request, *args, **kwargs)

    def setup_gemeente(self):
        if not policy.can_any(self.request.user, policy.VIEW, Beleidsdocument, self.gemeente):
            raise PermissionDenied


class ToetsMixin(GemeenteMixin, _Toegang):
    pass


class DocumentListView(ToetsMixin, generic.ListView):
    template_name = "toets/document_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.documenten(self.request.user, self.gemeente) \
            .prefetch_related("toetsingen__oordelen")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_add"] = policy.can_any(self.request.user, policy.ADD, Beleidsdocument,
                                        self.gemeente)
        ctx["is_beleid"] = Role.BELEIDSMEDEWERKER in policy.roles(self.request.user,
                                                                   self.gemeente)
        return ctx


class DocumentCreateView(ToetsMixin, generic.FormView):
    template_name = "toets/document_form.html"
    form_class = DocumentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "gemeente": self.gemeente,
                "organisaties": selectors.organisaties(self.request.user, self.gemeente,
                                                       policy.ADD)}

    def form_valid(self, form):
        data, naam = form.inhoud()
        try:
            document = services.toets_document(
                self.request.user, self.gemeente, data=data, bestandsnaam=naam,
                **{k: form.cleaned_data[k] for k in ("titel", "beleidsterrein", "jaar",
                                                     "eigenaar", "organisatie", "sleutel")})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if document.lopende_opdracht:
            messages.success(self.request, _("Het document is opgeslagen. Het is lang; de toets "
                                             "loopt nu op de achtergrond."))
        else:
            messages.success(self.request, _("Het document is getoetst aan het Klaverblad."))
        return redirect(document)


class DocumentMixin(ToetsMixin):
    def get_document(self):
        document = get_object_or_404(selectors.documenten(self.request.user, self.gemeente),
                                     pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.VIEW, document):
            raise Http404
        return document


class VoortgangMixin:
    """A page that shows the progress of background runs polls itself with htmx (the
    progress block only); once nothing runs any more, htmx reloads the whole page."""

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(**kwargs)
        if request.headers.get("HX-Request") and ctx["voortgang"] is None:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return self.render_to_response(ctx)


class DocumentDetailView(VoortgangMixin, DocumentMixin, generic.TemplateView):
    template_name = "toets/document_detail.html"

    def post(self, request, *args, **kwargs):
        """Test again after a failed background run (or one that lost its worker)."""
        document = self.get_document()
        try:
            services.opnieuw_toetsen(request.user, document)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(document)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        document = self.get_document()
        toetsing = document.laatste_toetsing
        lopend = document.lopende_opdracht
        ctx.update(document=document, toetsing=toetsing,
                   voortgang=selectors.voortgang([lopend] if lopend else []),
                   mislukt=document.mislukte_opdracht,
                   mag_toetsen=policy.can(self.request.user, policy.ADD, Toetsing(
                       gemeente=document.gemeente, document=document)),
                   oordelen=list(selectors.oordelen(toetsing)) if toetsing else [],
                   mag_beoordelen=toetsing is not None and policy.can_any(
                       self.request.user, policy.CHANGE, Oordeel, self.gemeente),
                   statussen=OordeelForm.base_fields["status"].choices)
        return ctx


class DocumentTekstView(DocumentMixin, generic.TemplateView):
    """The whole document, each passage with the doelen it is evidence for highlighted."""

    template_name = "toets/document_tekst.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        document = self.get_document()
        toetsing = document.laatste_toetsing
        per_passage: dict[int, list] = {}
        if toetsing:
            for b in Bewijs.objects.filter(oordeel__toetsing=toetsing).select_related(
                    "oordeel__doel").exclude(beoordeling=Bewijs.Beoordeling.AFGEWEZEN):
                per_passage.setdefault(b.passage_id, []).append(b)
        ctx.update(document=document, passages=[
            (p, per_passage.get(p.pk, []), sorted({t for b in per_passage.get(p.pk, [])
                                                   for t in b.termen}))
            for p in document.passages.all()])
        return ctx


class OordeelView(ToetsMixin, generic.TemplateView):
    """The beleidsmedewerker's judgement of one doel: evidence confirmed, rejected or added,
    the status overridden with a reason. GET shows the forms on their own page (the document
    page has them too); POST saves and returns to the document."""

    template_name = "toets/oordeel.html"

    def get_oordeel(self):
        oordeel = get_object_or_404(
            Oordeel.objects.select_related("toetsing__document", "doel"), pk=self.kwargs["pk"],
            toetsing__document__in=selectors.documenten(self.request.user, self.gemeente))
        if not policy.can(self.request.user, policy.CHANGE, oordeel):
            raise PermissionDenied
        return oordeel

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        oordeel = self.get_oordeel()
        ctx.update(o=oordeel, document=oordeel.toetsing.document, mag_beoordelen=True,
                   statussen=OordeelForm.base_fields["status"].choices)
        return ctx

    def post(self, request, *args, **kwargs):
        oordeel = self.get_oordeel()
        document = oordeel.toetsing.document
        try:
            if "bewijs" in request.POST:
                bewijs = get_object_or_404(Bewijs, pk=request.POST["bewijs"], oordeel=oordeel)
                services.beoordeel_bewijs(request.user, bewijs, request.POST.get("beoordeling"))
            elif "passage" in request.POST:
                form = BewijsToevoegenForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Geef het nummer van een passage."))
                services.voeg_bewijs_toe(request.user, oordeel, form.cleaned_data["passage"])
            else:
                form = OordeelForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Kies aangetoond, beperkt of ontbreekt."))
                services.beoordeel(request.user, oordeel, **form.cleaned_data)
            messages.success(request, _("Opgeslagen."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{document.get_absolute_url()}#doel-{oordeel.doel.nummer}")


class MatrixView(ToetsMixin, generic.TemplateView):
    template_name = "toets/matrix.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                **selectors.matrix(self.request.user, self.gemeente)}


class MatrixXlsxView(ToetsMixin, generic.View):
    def get(self, request, *args, **kwargs):
        m = selectors.matrix(request.user, self.gemeente)
        wb = new_workbook()
        ws = wb.active
        ws.title = _("Dekking beleid")[:31]
        xlsx_append(ws, [_("Beleidsterrein")] + [f"{d.nummer}. {d.tekst}" for d in m["doelen"]])
        for rij in m["rijen"]:
            xlsx_append(ws, [str(rij["terrein"])] + [c["status"] for c in rij["cellen"]])
        xlsx_append(ws, [])
        xlsx_append(ws, [_("Witte vlekken (geen document toont het doel aan)")]
                    + [f"{d.nummer}. {d.tekst}" for d in m["witte_vlekken"]])
        return xlsx_response(f"klaverblad-toets-dekking-{self.gemeente.slug}.xlsx", wb)


class RapportPdfView(DocumentMixin, generic.View):
    def get(self, request, *args, **kwargs):
        document = self.get_document()
        toetsing = document.laatste_toetsing
        if toetsing is None:
            raise Http404
        pdf = render_pdf("toets/rapport_pdf.html", {
            "document": document, "toetsing": toetsing, "gemeente": self.gemeente,
            "oordelen": selectors.oordelen(toetsing)})
        return file_response(f"klaverblad-toets-{document.pk}.pdf", pdf, "application/pdf",
                             inline=True)


class LexiconMixin(ToetsMixin):
    def setup_gemeente(self):
        if not policy.can_any(self.request.user, policy.ADD, Lexicon, self.gemeente):
            raise PermissionDenied


class LexiconView(LexiconMixin, generic.FormView):
    """The gemeente's lexicon: its versions, per doel the terms (each editable on its own
    page), and the whole lexicon as JSON for signals and thresholds."""

    template_name = "toets/lexicon.html"
    form_class = LexiconForm

    def get_initial(self):
        lexicon = services.actief_lexicon(self.gemeente)
        return {"inhoud": json.dumps(lexicon.inhoud, ensure_ascii=False, indent=1),
                "basis": lexicon.versie}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lexicon = services.actief_lexicon(self.gemeente)
        ctx.update(lexicon=lexicon, versies=Lexicon.objects.filter(
            gemeente=self.gemeente).select_related("gemaakt_door"),
            doelen=[(d, lexicon.inhoud["doelen"].get(str(d.nummer), {}).get("termen", []))
                    for d in framework_selectors.klaverblad_doelen(self.gemeente)])
        return ctx

    def form_valid(self, form):
        try:
            lexicon = services.save_lexicon(self.request.user, self.gemeente,
                                            form.cleaned_data["inhoud"],
                                            form.cleaned_data["toelichting"],
                                            basis=form.cleaned_data["basis"])
        except ValidationError as exc:
            form.add_error("inhoud", exc)
            return self.form_invalid(form)
        return _opgeslagen(self.request, lexicon)


def _opgeslagen(request, lexicon):
    messages.success(request, _("Lexicon versie %(v)s is opgeslagen. Kies de documenten die u "
                                "opnieuw wilt toetsen om te zien wat er verandert.")
                     % {"v": lexicon.versie})
    return redirect("toets:hertoetsen", gemeente=lexicon.gemeente.slug)


class LexiconDoelView(LexiconMixin, generic.TemplateView):
    """The terms of one doel, one row each: word or phrase, weight, the words it does not
    count in, and whether it counts inside compounds. Saving makes a new lexicon version."""

    template_name = "toets/lexicon_doel.html"

    def get_doel(self):
        return get_object_or_404(framework_selectors.klaverblad_doelen(self.gemeente),
                                 pk=self.kwargs["pk"])

    def termen(self, doel):
        lexicon = services.actief_lexicon(self.gemeente)
        termen = lexicon.inhoud["doelen"].get(str(doel.nummer), {}).get("termen", [])
        return lexicon, [{"term": t["term"], "gewicht": int(t.get("gewicht", 1)),
                          "uitgezonderd": ", ".join(t.get("uitgezonderd", [])),
                          "samenstelling": t.get("samenstelling", True)} for t in termen]

    def get_context_data(self, formset=None, form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        doel = self.get_doel()
        lexicon, initial = self.termen(doel)
        ctx.update(doel=doel, lexicon=lexicon,
                   formset=formset or TermFormSet(prefix="term", initial=initial),
                   form=form or LexiconDoelForm(initial={"basis": lexicon.versie}))
        return ctx

    def post(self, request, *args, **kwargs):
        doel = self.get_doel()
        formset = TermFormSet(request.POST, prefix="term", initial=self.termen(doel)[1])
        form = LexiconDoelForm(request.POST)
        if formset.is_valid() and form.is_valid():
            termen = [f.als_term() for f in formset.forms  # blank extra rows have no data
                      if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                lexicon = services.save_lexicon_doel(
                    request.user, self.gemeente, doel, termen,
                    form.cleaned_data["toelichting"], basis=form.cleaned_data["basis"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _opgeslagen(request, lexicon)
        return self.render_to_response(self.get_context_data(formset=formset, form=form))


class HertoetsView(LexiconMixin, generic.FormView):
    """Choose documents and test them again with the newest lexicon version."""

    template_name = "toets/hertoetsen.html"
    form_class = HertoetsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "documenten": selectors.documenten(self.request.user, self.gemeente)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(lexicon=services.actief_lexicon(self.gemeente),
                   rondes=Hertoetsronde.objects.filter(gemeente=self.gemeente)
                   .select_related("lexicon", "gemaakt_door")[:10])
        return ctx

    def form_valid(self, form):
        try:
            ronde = services.start_hertoetsronde(
                self.request.user, self.gemeente, form.cleaned_data["documenten"],
                services.actief_lexicon(self.gemeente), form.cleaned_data["sleutel"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(ronde)


class HertoetsrondeView(VoortgangMixin, LexiconMixin, generic.TemplateView):
    """What a new lexicon version changed, per document and doel (with progress while the
    worker still tests)."""

    template_name = "toets/hertoetsronde.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ronde = get_object_or_404(Hertoetsronde.objects.filter(gemeente=self.gemeente)
                                  .select_related("lexicon"), pk=self.kwargs["pk"])
        rijen = selectors.hertoetsing(ronde)
        ctx.update(ronde=ronde, rijen=rijen,
                   voortgang=selectors.voortgang([r["opdracht"] for r in rijen]))
        return ctx
