from core import selectors as core_selectors
from core.crud import ScopedDeleteView, ScopedDetailView, ScopedFormView, ScopedListView
from network import panelen, selectors
from network.forms import OrganisatieForm, PersoonForm, StuurgroepForm, StuurgroepRolForm
from network.models import Organisatie, Persoon, Stuurgroep, StuurgroepRol


class OrganisatieListView(ScopedListView):
    model = Organisatie
    selector = staticmethod(selectors.organisaties)

    def get_queryset(self):
        qs = super().get_queryset()
        soort = self.request.GET.get("soort")
        return qs.filter(type=soort) if soort in Organisatie.Type.values else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["soorten"] = Organisatie.Type.choices
        ctx["soort"] = self.request.GET.get("soort", "")
        return ctx


class OrganisatieDetailView(ScopedDetailView):
    model = Organisatie
    selector = staticmethod(selectors.organisatie_detail_queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panelen"] = panelen.voor(self.request.user, self.object)
        return ctx


class OrganisatieFormView(ScopedFormView):
    model = Organisatie
    form_class = OrganisatieForm
    selector = staticmethod(selectors.organisaties)


class OrganisatieDeleteView(ScopedDeleteView):
    model = Organisatie
    selector = staticmethod(selectors.organisaties)


class PersoonListView(ScopedListView):
    model = Persoon
    selector = staticmethod(selectors.personen)


class PersoonDetailView(ScopedDetailView):
    model = Persoon
    selector = staticmethod(selectors.personen)


class PersoonFormView(ScopedFormView):
    model = Persoon
    form_class = PersoonForm
    selector = staticmethod(selectors.personen)

    def new_instance(self):
        organisatie_id = self.request.GET.get("organisatie")
        persoon = Persoon(gemeente=self.gemeente)
        if organisatie_id and organisatie_id.isdigit():
            persoon.organisatie = selectors.organisaties(
                self.request.user, self.gemeente).filter(pk=organisatie_id).first()
        return persoon


class PersoonDeleteView(ScopedDeleteView):
    model = Persoon
    selector = staticmethod(selectors.personen)


class StuurgroepListView(ScopedListView):
    model = Stuurgroep
    selector = staticmethod(selectors.stuurgroepen)


class StuurgroepDetailView(ScopedDetailView):
    model = Stuurgroep
    selector = staticmethod(selectors.stuurgroep_detail_queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history"] = core_selectors.history_for(self.object, *self.object.rollen.all())
        return ctx


class StuurgroepFormView(ScopedFormView):
    model = Stuurgroep
    form_class = StuurgroepForm
    selector = staticmethod(selectors.stuurgroepen)


class StuurgroepDeleteView(ScopedDeleteView):
    model = Stuurgroep
    selector = staticmethod(selectors.stuurgroepen)


class StuurgroepRolFormView(ScopedFormView):
    """Add a rol to a stuurgroep (URL has stuurgroep_pk) or edit one (URL has pk)."""

    model = StuurgroepRol
    form_class = StuurgroepRolForm
    selector = staticmethod(selectors.stuurgroeprollen)
    parent_field = "stuurgroep"
    parent_selector = staticmethod(selectors.stuurgroepen)


class StuurgroepRolDeleteView(ScopedDeleteView):
    model = StuurgroepRol
    selector = staticmethod(selectors.stuurgroeprollen)
    parent_field = "stuurgroep"
