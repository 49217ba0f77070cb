"""The yearly overview, its export, the programmabudget and its gebiedsbudgetten."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import generic

from core import exports, policy
from core import selectors as core_selectors
from core.crud import (
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from finance import export, selectors, services
from finance.forms import (
    GebiedsbudgetForm,
    ProgrammabudgetForm,
)
from finance.models import (
    Gebiedsbudget,
    Programmabudget,
)
from finance.views.base import RoleMixin


def _jaar(request, gemeente):
    jaren = selectors.jaren(gemeente)
    value = request.GET.get("jaar", "")
    jaar = int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None
    if jaar is None:
        this_year = timezone.localdate().year
        jaar = this_year if this_year in jaren else jaren[0]
    return jaar, jaren


class OverzichtView(RoleMixin, generic.TemplateView):
    template_name = "finance/overzicht.html"
    view_model = Programmabudget

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        jaar, jaren = _jaar(self.request, self.gemeente)
        ctx.update(overzicht=selectors.jaaroverzicht(self.gemeente, jaar), jaar=jaar,
                   jaren=jaren, te_laat=selectors.te_laat(self.request.user,
                                                          self.gemeente).count())
        return ctx


class ExportView(RoleMixin, generic.View):
    view_model = Programmabudget

    def get(self, request, *args, **kwargs):
        jaar, _jaren = _jaar(request, self.gemeente)
        data = export.workbook(request.user, self.gemeente, jaar)
        return exports.file_response(f"financien-{self.gemeente.slug}-{jaar}.xlsx", data,
                                     exports.XLSX_CONTENT_TYPE)


# --- budgets -------------------------------------------------------------------------------


class ProgrammabudgetListView(RoleMixin, ScopedListView):
    model = view_model = Programmabudget
    selector = staticmethod(selectors.programmabudgetten)
    template_name = "finance/programmabudget_list.html"


class ProgrammabudgetDetailView(RoleMixin, ScopedDetailView):
    model = view_model = Programmabudget
    selector = staticmethod(selectors.programmabudget_detail_queryset)
    template_name = "finance/programmabudget_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_add_gebied"] = policy.can_any(self.request.user, policy.ADD, Gebiedsbudget,
                                               self.gemeente)
        ctx["history"] = core_selectors.history_for(self.object,
                                                    *self.object.gebiedsbudgetten.all())
        return ctx


class ProgrammabudgetFormView(RoleMixin, ScopedFormView):
    model = view_model = Programmabudget
    form_class = ProgrammabudgetForm
    selector = staticmethod(selectors.programmabudgetten)

    def save(self, form):
        return services.save_programmabudget(self.request.user, form.save(commit=False))


class GebiedsbudgetFormView(RoleMixin, ScopedFormView):
    model = view_model = Gebiedsbudget
    form_class = GebiedsbudgetForm
    selector = staticmethod(selectors.gebiedsbudgetten)

    def new_instance(self):
        pb = get_object_or_404(selectors.programmabudgetten(self.request.user, self.gemeente),
                               pk=self.kwargs["programmabudget_pk"])
        return Gebiedsbudget(gemeente=self.gemeente, programmabudget=pb)

    def save(self, form):
        return services.save_gebiedsbudget(self.request.user, form.save(commit=False))


class GebiedsbudgetDeleteView(RoleMixin, ScopedDeleteView):
    model = view_model = Gebiedsbudget
    selector = staticmethod(selectors.gebiedsbudgetten)

    def delete_object(self, user, obj):
        services.delete_gebiedsbudget(user, obj)

    def get_success_url(self):
        return self.object.programmabudget.get_absolute_url()
