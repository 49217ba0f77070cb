"""Subsidieregelingen (list, detail, form, publishing) and the verantwoordingsklassen."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import policy
from core.crud import (
    ScopedDeleteView,
    ScopedDetailView,
    ScopedFormView,
    ScopedListView,
)
from finance import selectors, services
from finance.forms import (
    ConfirmForm,
    KlasseForm,
    RegelingForm,
)
from finance.models import (
    Aanvraag,
    Programmabudget,
    Regeling,
    Verantwoordingsklasse,
)
from finance.views.base import RoleMixin, StapView


class RegelingListView(RoleMixin, ScopedListView):
    model = view_model = Regeling
    selector = staticmethod(selectors.regelingen)
    template_name = "finance/regeling_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["may_see_aanvragen"] = selectors.may_view(user, Aanvraag, self.gemeente)
        ctx["may_see_budget"] = selectors.may_view(user, Programmabudget, self.gemeente)
        ctx["today"] = timezone.localdate()
        return ctx


class RegelingDetailView(RoleMixin, ScopedDetailView):
    model = view_model = Regeling
    selector = staticmethod(selectors.regeling_detail_queryset)
    template_name = "finance/regeling_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["may_apply"] = (policy.can_any(user, policy.ADD, Aanvraag, self.gemeente)
                            and self.object.is_gepubliceerd)
        ctx["may_publish"] = (not self.object.is_gepubliceerd
                              and policy.can(user, policy.CHANGE, self.object))
        ctx["open"] = self.object.open_op(timezone.localdate())
        ctx["klassen"] = services.klassen_van(self.gemeente)
        if selectors.may_view(user, Aanvraag, self.gemeente):
            ctx["aanvragen"] = selectors.aanvragen(user, self.gemeente).filter(
                regeling=self.object)[:200]
        return ctx


class RegelingFormView(RoleMixin, ScopedFormView):
    model = view_model = Regeling
    form_class = RegelingForm
    selector = staticmethod(selectors.regelingen)

    def save(self, form):
        return services.save_regeling(self.request.user, form.save(commit=False),
                                      doelen=form.cleaned_data["klaverblad_doelen"])


class KlasseListView(RoleMixin, ScopedListView):
    model = view_model = Verantwoordingsklasse
    selector = staticmethod(selectors.klassen)
    template_name = "finance/klasse_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["standaard"] = not self.object_list.exists()
        ctx["klassen"] = services.klassen_van(self.gemeente)
        return ctx


class KlasseFormView(RoleMixin, ScopedFormView):
    model = view_model = Verantwoordingsklasse
    form_class = KlasseForm
    selector = staticmethod(selectors.klassen)

    def get_success_url(self):
        return reverse("finance:klasse-list", kwargs={"gemeente": self.gemeente.slug})


class KlasseDeleteView(RoleMixin, ScopedDeleteView):
    model = view_model = Verantwoordingsklasse
    selector = staticmethod(selectors.klassen)
    success_url_name = "finance:klasse-list"


class RegelingPublicerenView(StapView):
    """Publish a concept regeling (partners see it from then on)."""

    view_model = Regeling
    form_class = ConfirmForm
    template_name = "finance/regeling_publiceren.html"
    context_object_name = "regeling"
    success_message = gettext_lazy("De regeling is gepubliceerd.")

    def load(self):
        regeling = get_object_or_404(selectors.regelingen(self.request.user, self.gemeente),
                                     pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.CHANGE, regeling):
            raise PermissionDenied
        return regeling

    def blocked_reason(self):
        return _("Deze regeling is al gepubliceerd.") if self.object.is_gepubliceerd else ""

    def perform(self, form):
        return services.publiceren(self.request.user, self.object)
