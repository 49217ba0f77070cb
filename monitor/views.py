"""Monitor pages. Read pages (Klaverblad view, gebied, indicator, comparison, export) are open
to every member of the gemeente, and to anyone when the gemeente made its monitor public
(MonitorInstelling.publiek). Import and settings are for the beleidsmedewerker.

Every number comes from the rollup through monitor.selectors, where small
numbers are already suppressed; monitor.weergave turns them into Dutch text.
"""


from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core import exports, imports, policy
from core import selectors as core_selectors
from core.crud import GemeenteMixin, ScopedDeleteView, ScopedFormView
from core.periods import Periode
from framework import selectors as framework_selectors
from monitor import koppelingen, selectors, services, weergave
from monitor.forms import ImportForm, InstellingForm, StreefwaardeForm, kolommen_tekst
from monitor.importers import sjabloon
from monitor.models import ImportBatch, MonitorInstelling, Streefwaarde


def beheer_rechten(user, gemeente) -> dict:
    """Whether the monitor menu (monitor/_nav.html) shows import and settings to this member."""
    return {"may_import": policy.can(user, policy.ADD, ImportBatch(gemeente=gemeente)),
            "may_instellen": policy.can(user, policy.CHANGE,
                                        MonitorInstelling(gemeente=gemeente))}


class BeheerMenuMixin:
    """Pages only members reach: the menu with the links this member may follow."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(beheer_rechten(self.request.user, self.gemeente))
        return ctx


# --- reading: members, or anyone when the monitor is public ---------------------------------

class LeesMixin:
    """Resolves the gemeente for a reader. A member gets the usual member pages (menu and all);
    anyone else reads a public monitor without the menu (`publiek` in the template). When the
    monitor is not public: anonymous → login page, another gemeente's member → 404."""

    def dispatch(self, request, *args, **kwargs):
        gemeente = core_selectors.get_gemeente(kwargs["gemeente"])
        self.lid = gemeente is not None and policy.is_member(request.user, gemeente)
        if not self.lid:
            if gemeente is None or not selectors.instelling(gemeente).publiek:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise Http404
            self.publiek = gemeente
        else:
            request.gemeente = gemeente
        self.gemeente = gemeente
        self.instelling = selectors.instelling(gemeente)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.pop("gemeente", None)
        if self.lid:
            ctx["gemeente"] = self.gemeente
        else:
            ctx["publiek"] = self.gemeente
        ctx["mg"] = self.gemeente  # the monitor's gemeente, for URLs in either case
        ctx["minimum_n"] = self.instelling.minimum_n
        ctx["lid"] = self.lid
        ctx.update(beheer_rechten(self.request.user, self.gemeente) if self.lid
                   else {"may_import": False, "may_instellen": False})
        return ctx

    def get_gebied(self, pk):
        return get_object_or_404(selectors.gebieden(self.request.user, self.gemeente), pk=pk)

    def get_indicator(self, pk):
        return get_object_or_404(selectors.indicatoren(self.request.user, self.gemeente), pk=pk)


def _periode_param(request, periodes):
    code = request.GET.get("periode")
    if not code:
        return None
    for p in periodes:
        if p.code == code:
            return p
    raise Http404


def _indicator_urls(gemeente):
    """indicator → the URL of its page; the route is resolved once per page, not per row."""
    voorbeeld = reverse("monitor:indicator-detail", kwargs={"gemeente": gemeente.slug, "pk": 1})
    prefix, suffix = voorbeeld.rsplit("/1/", 1)
    return lambda indicator: f"{prefix}/{indicator.pk}/{suffix}"


class KlaverbladView(LeesMixin, generic.TemplateView):
    """Each doel of the Klaverblad with its indicators: latest value, trend, target status —
    for the gemeente or, with ?gebied=<pk>, for one gebied."""

    template_name = "monitor/klaverblad.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, gemeente = self.request.user, self.gemeente
        alle_gebieden = list(selectors.gebieden(user, gemeente))
        gebied = None
        if self.request.GET.get("gebied"):
            try:
                gebied_pk = int(self.request.GET["gebied"])
            except ValueError:
                raise Http404 from None
            gebied = next((g for g in alle_gebieden if g.pk == gebied_pk), None)
            if gebied is None:
                raise Http404
        dashboard = weergave.Dashboard(self.instelling.minimum_n)
        urls = _indicator_urls(gemeente)
        doelen = []
        for d in selectors.laatste_waarden(user, gemeente, gebied):
            rijen = []
            for s in d["indicatoren"]:
                indicator = s["indicator"]
                rij = dashboard.samenvatting(s)
                rij.update(url=urls(indicator), naam=indicator.naam,
                           richting=dashboard.richting(indicator),
                           periode=dashboard.periode_label(rij["periode"]))
                rijen.append(rij)
            doelen.append({"doel": d["doel"], "indicatoren": rijen})
        alle = [i for d in doelen for i in d["indicatoren"]]
        heeft_land = any(i["heeft_land"] for i in alle)
        kolommen = [("cel", _("Laatste cijfer")), ("periode", _("Periode")),
                    ("trend", _("Trend"))]
        if heeft_land:
            kolommen.append(("land", _("Nederland")))
        kolommen.append(("streef", _("Streefwaarde")))
        ctx.update(doelen=doelen, gebied=gebied, gebieden=alle_gebieden, kolommen=kolommen,
                   heeft_afgerond=any(i["afgerond"] for i in alle), heeft_land=heeft_land)
        return ctx


class GebiedListView(LeesMixin, generic.TemplateView):
    template_name = "monitor/gebied_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gebieden"] = selectors.gebieden(self.request.user, self.gemeente)
        return ctx


class GebiedView(LeesMixin, generic.TemplateView):
    """Every indicator with the gebied's latest value next to the gemeente's."""

    template_name = "monitor/gebied.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        gebied = self.get_gebied(self.kwargs["pk"])
        dashboard = weergave.Dashboard(self.instelling.minimum_n)
        urls = _indicator_urls(self.gemeente)
        rijen = []
        for rij in selectors.gebied_overzicht(self.request.user, self.gemeente, gebied):
            indicator = rij["indicator"]
            g = dashboard.samenvatting(rij["gebied"])
            m = dashboard.samenvatting(rij["gemeente"])
            rijen.append({"naam": indicator.naam, "url": urls(indicator),
                          "richting": dashboard.richting(indicator),
                          "gebied": g["cel"] + dashboard.periode(g["periode"]),
                          "trend": g["trend"], "streef": g["streef"],
                          "gemeente": m["cel"] + dashboard.periode(m["periode"]),
                          "land": g["land"] if g["heeft_land"] else m["land"],
                          "heeft_land": g["heeft_land"] or m["heeft_land"],
                          "afgerond": g["afgerond"]})
        heeft_land = any(r["heeft_land"] for r in rijen)
        kolommen = [("gebied", gebied.naam), ("trend", f"{_('Trend')} {gebied.naam}"),
                    ("gemeente", _("Gemeente"))]
        if heeft_land:
            kolommen.append(("land", _("Nederland")))
        kolommen.append(("streef", f"{_('Streefwaarde')} {gebied.naam}"))
        ctx.update(gebied=gebied, rijen=rijen, kolommen=kolommen, heeft_land=heeft_land,
                   heeft_afgerond=any(r["afgerond"] for r in rijen),
                   aanbod_behoefte=framework_selectors.aanbod_en_behoefte(
                       self.request.user, self.gemeente, gebied))
        return ctx


class IndicatorListView(LeesMixin, generic.TemplateView):
    template_name = "monitor/indicator_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["indicatoren"] = selectors.indicatoren(self.request.user, self.gemeente)
        return ctx


class IndicatorDetailView(LeesMixin, generic.TemplateView):
    """Definition, source, unit; the trend per gebied against the gemeente as a chart and as
    the same numbers in a table; the wijken of the latest periode."""

    template_name = "monitor/indicator_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, gemeente = self.request.user, self.gemeente
        indicator = self.get_indicator(self.kwargs["pk"])
        n = self.instelling.minimum_n
        reeksen = selectors.indicator_reeksen(user, gemeente, indicator)
        tabel = weergave.indicator_tabel(indicator, reeksen, n)
        laatste = reeksen["periodes"][-1] if reeksen["periodes"] else None
        onderdelen = []
        if laatste is not None:
            for soort, label in (("wijk", _("Wijken")), ("buurt", _("Buurten"))):
                rows = selectors.regio_onderdelen(user, gemeente, indicator, laatste, soort)
                if rows:
                    onderdelen.append({"soort": soort, "label": label, "rijen": [
                        {"code": code, "naam": naam, "cel": weergave.cel(indicator, punt, n)}
                        for code, naam, punt in rows]})
        streefwaarden = list(selectors.streefwaarden(user, gemeente, indicator))
        # Who works on each target (wijkplan activiteiten, ...): members only, never public.
        gebruik = koppelingen.verwijzingen(user, gemeente, [s.pk for s in streefwaarden]) \
            if self.lid else {}
        ctx.update(indicator=indicator, tabel=tabel, laatste=laatste, onderdelen=onderdelen,
                   streefwaarden=[
                       {"streefwaarde": s, "tekst": weergave.met_eenheid(indicator, s.waarde),
                        "gebruik": gebruik.get(s.pk, [])}
                       for s in streefwaarden],
                   doelen=indicator.klaverblad_doelen()
                   if hasattr(indicator, "klaverblad_doelen") else [])
        return ctx


class VergelijkingView(LeesMixin, generic.TemplateView):
    """The gebieden side by side for one indicator and periode."""

    template_name = "monitor/vergelijking.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        indicator = self.get_indicator(self.kwargs["pk"])
        user, gemeente, n = self.request.user, self.gemeente, self.instelling.minimum_n
        alle = selectors.vergelijking(user, gemeente, indicator)
        periode = _periode_param(self.request, alle["periodes"])
        data = alle if periode is None else selectors.vergelijking(user, gemeente, indicator,
                                                                   periode)
        gemeente_cel = weergave.cel(indicator, data["gemeente"], n)
        land_cel = weergave.cel(indicator, data["land"], n) if data["land"] else None
        rijen = [{"gebied": r["gebied"], "cel": weergave.cel(indicator, r["punt"], n)}
                 for r in data["gebieden"]]
        ctx.update(indicator=indicator, periode=data["periode"], periodes=data["periodes"],
                   gemeente_cel=gemeente_cel, land_cel=land_cel, rijen=rijen,
                   heeft_afgerond=gemeente_cel.afgerond or any(r["cel"].afgerond for r in rijen))
        return ctx


# --- export ------------------------------------------------------------------------------------

class ExportView(LeesMixin, generic.View):
    """CSV or XLSX of an indicator's series (all periodes) or, with ?periode=, of one periode
    (the comparison). Same numbers, same suppression as the pages."""

    formaat = "csv"

    def get(self, request, *args, **kwargs):
        indicator = self.get_indicator(kwargs["pk"])
        periode = None
        if request.GET.get("periode"):
            try:
                periode = Periode.parse(request.GET["periode"])
            except ValueError:
                raise Http404 from None
        rijen = selectors.export_rijen(request.user, self.gemeente, indicator, periode)
        tabel = weergave.export_tabel(indicator, rijen, self.instelling.minimum_n)
        naam = f"monitor-{self.gemeente.slug}-{indicator.code}"
        if periode is not None:
            naam += f"-{periode.code.replace('/', '-')}"
        if self.formaat == "xlsx":
            return _xlsx(naam, indicator, tabel)
        return _csv(naam, tabel)


def _csv(naam, tabel):
    return exports.csv_response(f"{naam}.csv", weergave.EXPORT_KOPPEN, tabel)


def _xlsx(naam, indicator, tabel):
    wb = exports.new_workbook()
    ws = wb.active
    ws.title = indicator.code[:31]
    exports.xlsx_append(ws, weergave.EXPORT_KOPPEN)
    for rij in tabel:
        exports.xlsx_append(ws, rij)
    return exports.xlsx_response(f"{naam}.xlsx", wb)


# --- import (beleidsmedewerker) ---------------------------------------------------------------

class ImportRechtMixin(BeheerMenuMixin, GemeenteMixin):
    def dispatch_import(self):
        if not policy.can(self.request.user, policy.ADD, ImportBatch(gemeente=self.gemeente)):
            raise PermissionDenied


IMPORT_SOORT = "monitor.metingen"  # the kind of staged file (core.imports.stage)


class ImportView(ImportRechtMixin, generic.TemplateView):
    """Upload → preview (what will be imported, what is rejected, with row numbers) → confirm
    → all-or-nothing import through monitor.services.importeer. Between preview and confirm the
    file waits in storage (core.imports.stage), behind a token for this user and gemeente."""

    template_name = "monitor/import.html"

    def get(self, request, *args, **kwargs):
        self.dispatch_import()
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request, *args, **kwargs):
        self.dispatch_import()
        if "token" in request.POST:
            return self.bevestig(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        bestand = form.cleaned_data["bestand"]
        data = bestand.read()
        bron, kolommen = form.cleaned_data["bron"], form.cleaned_data["kolommen"]
        periode = form.cleaned_data["periode"]
        resultaat = services.importeer(request.user, self.gemeente, data, bestand.name,
                                       bron=bron, kolommen=kolommen or None, periode=periode,
                                       alleen_voorbeeld=True)
        if resultaat.status == imports.ONGEWIJZIGD:  # the same file again: only that
            return self.render_to_response(self.get_context_data(
                form=form, ongewijzigd=resultaat.batch, bestandsnaam=bestand.name))
        token = None
        voorbeeld = resultaat.voorbeeld
        if voorbeeld.ok:
            token = imports.stage(data, kind=IMPORT_SOORT, gemeente=self.gemeente,
                                  user=request.user, name=bestand.name,
                                  extra={"bron": bron, "kolommen": kolommen,
                                         "periode": periode})
        formaten = dict(ImportBatch.Formaat.choices)
        return self.render_to_response(self.get_context_data(
            form=form, voorbeeld=voorbeeld, resultaat=resultaat, token=token,
            bestandsnaam=bestand.name, bron=bron, kolommen_tekst=kolommen_tekst(kolommen),
            periode=periode, formaat_label=formaten.get(voorbeeld.formaat, ""),
            samenvatting=voorbeeld.samenvatting(),
            eerste_rijen=[weergave.voorbeeld_rij(r, voorbeeld,
                                                  selectors.instelling(self.gemeente).minimum_n)
                          for r in voorbeeld.eerste_rijen(20)]))

    def bevestig(self, request):
        token = request.POST["token"]
        staged = imports.get_staged(token, kind=IMPORT_SOORT, gemeente=self.gemeente,
                                    user=request.user)
        if staged is None:
            messages.error(request, _("Dit voorbeeld is verlopen. Kies het bestand opnieuw."))
            return HttpResponseRedirect(request.path)
        try:
            resultaat = services.importeer(request.user, self.gemeente, staged.data,
                                           staged.name, bron=staged.extra["bron"],
                                           kolommen=staged.extra["kolommen"] or None,
                                           periode=staged.extra.get("periode", ""))
        except imports.ImportGeweigerd as exc:
            return self.render_to_response(self.get_context_data(
                form=ImportForm(), geweigerd=exc.problemen))
        finally:
            imports.delete_staged(token)
        if resultaat.status == imports.ONGEWIJZIGD:
            messages.info(request, _("Dit bestand was al ingelezen. Er is niets veranderd."))
        else:
            messages.success(request, _("Ingelezen: %(n)s cijfers uit %(bestand)s.") % {
                "n": resultaat.batch.rijen, "bestand": resultaat.batch.bestandsnaam})
        return HttpResponseRedirect(resultaat.batch.get_absolute_url())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["indicatoren"] = selectors.indicatoren(self.request.user, self.gemeente)
        ctx["max_mb"] = 20
        return ctx


class ImportSjabloonView(ImportRechtMixin, generic.View):
    """The template to fill in (?formaat=csv or xlsx): the gemeente's indicators, one example
    row each for the gemeente's own CBS region, and an explanation sheet."""

    def get(self, request, *args, **kwargs):
        self.dispatch_import()
        indicatoren = list(selectors.indicatoren(request.user, self.gemeente))
        regio = selectors.gemeente_regio(request.user, self.gemeente)
        rijen = sjabloon.sjabloon_rijen(indicatoren, regio.code if regio else
                                        self.gemeente.cbs_code)
        naam = f"sjabloon-monitor-{self.gemeente.slug}"
        if request.GET.get("formaat") == "csv":
            return exports.file_response(f"{naam}.csv", sjabloon.sjabloon_csv(rijen),
                                         exports.CSV_CONTENT_TYPE)
        return exports.file_response(f"{naam}.xlsx", sjabloon.sjabloon_xlsx(rijen, indicatoren),
                                     exports.XLSX_CONTENT_TYPE)


class BatchListView(ImportRechtMixin, generic.TemplateView):
    template_name = "monitor/batch_list.html"

    def get_context_data(self, **kwargs):
        self.dispatch_import()
        ctx = super().get_context_data(**kwargs)
        ctx["batches"] = selectors.batches(self.request.user, self.gemeente)[:200]
        return ctx


class BatchDetailView(ImportRechtMixin, generic.TemplateView):
    template_name = "monitor/batch_detail.html"

    def get_context_data(self, **kwargs):
        self.dispatch_import()
        ctx = super().get_context_data(**kwargs)
        ctx["batch"] = get_object_or_404(selectors.batches(self.request.user, self.gemeente),
                                         pk=self.kwargs["pk"])
        return ctx


class BatchDeleteView(ImportRechtMixin, generic.TemplateView):
    """Delete an import with its figures (monitor.services.delete_batch: audited, rollup
    rebuilt)."""

    template_name = "core/confirm_delete.html"

    def get_batch(self):
        self.dispatch_import()
        batch = get_object_or_404(selectors.batches(self.request.user, self.gemeente),
                                  pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.DELETE, batch):
            raise PermissionDenied
        return batch

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object"] = self.get_batch()
        return ctx

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        naam = str(batch)
        services.delete_batch(request.user, batch)
        messages.success(request, _("%(obj)s is verwijderd.") % {"obj": naam})
        return HttpResponseRedirect(reverse("monitor:batch-list",
                                            kwargs={"gemeente": self.gemeente.slug}))


# --- settings ---------------------------------------------------------------------------------

class InstellingenView(BeheerMenuMixin, GemeenteMixin, generic.FormView):
    """minimum_n and publiek, saved through monitor.services.save_instelling (audited; a new
    minimum rebuilds the rollup)."""

    template_name = "monitor/instellingen.html"
    form_class = InstellingForm

    def get_form_kwargs(self):
        instelling = selectors.instelling(self.gemeente)
        if not policy.can(self.request.user, policy.CHANGE, instelling):
            raise PermissionDenied
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=instelling, gemeente=self.gemeente, user=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            services.save_instelling(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Opgeslagen."))
        return HttpResponseRedirect(self.request.path)



# --- targets (beleidsmedewerker) ----------------------------------------------------------------

class StreefwaardeMixin(BeheerMenuMixin):
    """Targets of this gemeente (others are 404), written through monitor.services (audited)."""

    model = Streefwaarde
    selector = staticmethod(selectors.streefwaarden)


def _bij_indicator(indicator, anker="streefwaarden"):
    return f"{indicator.get_absolute_url()}#{anker}"


class StreefwaardeFormView(StreefwaardeMixin, ScopedFormView):
    """Add a target to an indicator (URL with indicator_pk) or change one (URL with pk)."""

    form_class = StreefwaardeForm
    template_name = "monitor/streefwaarde_form.html"

    def new_instance(self):
        return Streefwaarde(gemeente=self.gemeente, indicator=self.indicator)

    def dispatch_object(self):
        self.object = self.get_object()
        if self.object is not None:
            self.indicator = self.object.indicator
            return
        self.indicator = get_object_or_404(
            selectors.indicatoren(self.request.user, self.gemeente),
            pk=self.kwargs["indicator_pk"])
        if not policy.can(self.request.user, policy.ADD, self.new_instance()):
            raise PermissionDenied

    def save(self, form):
        return services.save_streefwaarde(self.request.user, form.save(commit=False))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(indicator=self.indicator, cancel_url=_bij_indicator(self.indicator),
                   submit_label=_("Opslaan"))
        return ctx

    def get_success_url(self):
        return _bij_indicator(self.object.indicator, f"streefwaarde-{self.object.pk}")


class StreefwaardeDeleteView(StreefwaardeMixin, ScopedDeleteView):
    """Delete a target (audited). One that a wijkplan activiteit works on stays: the refusal
    (core.services.delete_object) is shown on the indicator page."""

    template_name = "monitor/streefwaarde_confirm_delete.html"

    def delete_object(self, user, obj):
        services.delete_streefwaarde(user, obj)

    def back_url(self, obj):
        return _bij_indicator(obj.indicator, f"streefwaarde-{obj.pk}")

    def deleted_message(self, obj):
        return _("De streefwaarde %(tekst)s is verwijderd.") % {
            "tekst": weergave.streefwaarde_tekst(obj)}

    def get_success_url(self):
        return _bij_indicator(self.object.indicator)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tekst"] = weergave.streefwaarde_tekst(self.object)
        ctx["gebruik"] = koppelingen.verwijzingen(self.request.user, self.gemeente,
                                                  [self.object.pk]).get(self.object.pk, [])
        return ctx
