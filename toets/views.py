"""Pages of the Klaverblad-toets. Thin: reads through toets.selectors, writes through
toets.services; a document the user may not see answers 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from core import policy
from core.crud import GemeenteMixin
from core.exports import new_workbook, xlsx_append, xlsx_response
from core.models import Role
from core.pdf import render_pdf
from toets import selectors, services
from toets.forms import BewijsToevoegenForm, DocumentForm, LexiconForm, OordeelForm
from toets.models import Beleidsdocument, Bewijs, Lexicon, Oordeel


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

    def _eigen_organisaties(self):
        rollen = policy.roles(self.request.user, self.gemeente)
        if Role.BELEIDSMEDEWERKER in rollen:
            return None
        if Role.PARTNER in rollen:
            return [m.organisatie_id for m in policy.memberships(self.request.user)
                    if m.gemeente_id == self.gemeente.pk and m.role == Role.PARTNER]
        raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "gemeente": self.gemeente,
                "organisaties": self._eigen_organisaties()}

    def form_valid(self, form):
        data, naam = form.inhoud()
        try:
            document = services.toets_document(
                self.request.user, self.gemeente, data=data, bestandsnaam=naam,
                **{k: form.cleaned_data[k] for k in ("titel", "beleidsterrein", "jaar",
                                                     "eigenaar", "organisatie")})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Het document is getoetst aan het Klaverblad."))
        return redirect(document)


class DocumentMixin(ToetsMixin):
    def get_document(self):
        document = get_object_or_404(selectors.documenten(self.request.user, self.gemeente),
                                     pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.VIEW, document):
            raise Http404
        return document


class DocumentDetailView(DocumentMixin, generic.TemplateView):
    template_name = "toets/document_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        document = self.get_document()
        toetsing = document.laatste_toetsing
        ctx.update(document=document, toetsing=toetsing,
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
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="klaverblad-toets-{document.pk}.pdf"'
        return response


class LexiconView(ToetsMixin, generic.FormView):
    """The gemeente's lexicon: read the current version, save a new one, re-run chosen
    documents and see what changed."""

    template_name = "toets/lexicon.html"
    form_class = LexiconForm

    def setup_gemeente(self):
        if not policy.can_any(self.request.user, policy.ADD, Lexicon, self.gemeente):
            raise PermissionDenied

    def get_initial(self):
        import json

        return {"inhoud": json.dumps(services.actief_lexicon(self.gemeente).inhoud,
                                     ensure_ascii=False, indent=1)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "documenten": selectors.documenten(self.request.user, self.gemeente)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["versies"] = Lexicon.objects.filter(gemeente=self.gemeente).select_related(
            "gemaakt_door")
        return ctx

    def form_valid(self, form):
        try:
            lexicon = services.save_lexicon(self.request.user, self.gemeente,
                                            form.cleaned_data["inhoud"],
                                            form.cleaned_data["toelichting"])
        except ValidationError as exc:
            form.add_error("inhoud", exc)
            return self.form_invalid(form)
        resultaten = services.hertoets(self.request.user, form.cleaned_data["documenten"],
                                       lexicon)
        messages.success(self.request, _("Lexicon versie %(v)s is opgeslagen.")
                         % {"v": lexicon.versie})
        return self.render_to_response(self.get_context_data(
            form=form, resultaten=resultaten, nieuw=lexicon))
