from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django_ratelimit.decorators import ratelimit

from core import attention, policy, selectors, services
from core.crud import GemeenteMixin, ScopedDeleteView, ScopedFormView
from core.forms import LoginForm, MembershipForm, NewUserForm
from core.models import Membership
from core.modules import modules_for


@login_required
def home(request):
    """Send a user with one gemeente straight there; let others choose."""
    gemeenten = policy.gemeenten(request.user)
    if len(gemeenten) == 1:
        return redirect(gemeenten[0].get_absolute_url())
    return render(request, "core/choose_gemeente.html", {"gemeenten": gemeenten})


class GemeenteHomeView(GemeenteMixin, generic.TemplateView):
    template_name = "core/gemeente_home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["modules"] = modules_for(self.request.user, self.gemeente)
        ctx["aandacht"] = attention.items_for(self.request.user, self.gemeente)
        ctx["vandaag"] = timezone.localdate()
        ctx["my_memberships"] = [m for m in policy.memberships(self.request.user)
                                 if m.gemeente_id == self.gemeente.pk]
        return ctx


@method_decorator(ratelimit(key="ip", rate="10/m", method="POST", block=True), name="post")
@method_decorator(ratelimit(key="post:username", rate="5/m", method="POST", block=True),
                  name="post")
class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class UserListView(GemeenteMixin, generic.ListView):
    template_name = "core/user_list.html"
    context_object_name = "memberships"

    def get_queryset(self):
        if not policy.can(self.request.user, policy.VIEW,
                          Membership(gemeente=self.gemeente)):
            raise PermissionDenied
        return selectors.memberships_in(self.gemeente)


class UserCreateView(GemeenteMixin, generic.FormView):
    template_name = "core/form.html"
    form_class = NewUserForm

    def get(self, request, *args, **kwargs):
        self._require()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._require()
        return super().post(request, *args, **kwargs)

    def _require(self):
        if not policy.can(self.request.user, policy.ADD, Membership(gemeente=self.gemeente)):
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "gemeente": self.gemeente}

    def form_valid(self, form):
        fields = [*form.Meta.fields, "role", "password", "gebied", "organisatie"]
        try:
            user = services.create_user(self.request.user, gemeente=self.gemeente,
                                        **{f: form.cleaned_data[f] for f in fields})
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Gebruiker aangemaakt."))
        return HttpResponseRedirect(reverse("core:user-detail", kwargs={
            "gemeente": self.gemeente.slug, "pk": user.pk}))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_name"] = _("gebruiker")
        ctx["cancel_url"] = reverse("core:user-list", kwargs={"gemeente": self.gemeente.slug})
        return ctx


class UserDetailView(GemeenteMixin, generic.TemplateView):
    template_name = "core/user_detail.html"

    def get_context_data(self, **kwargs):
        if not policy.can(self.request.user, policy.VIEW, Membership(gemeente=self.gemeente)):
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        account = get_object_or_404(selectors.users_in(self.gemeente), pk=self.kwargs["pk"])
        ctx["account"] = account
        ctx["memberships"] = selectors.memberships_in(self.gemeente).filter(user=account)
        return ctx


class MembershipMixin:
    """A membership is added and removed on its account's page in this gemeente."""

    model = Membership

    @staticmethod
    def selector(user, gemeente):
        return selectors.memberships_in(gemeente)

    def get_success_url(self):
        return reverse("core:user-detail", kwargs={"gemeente": self.gemeente.slug,
                                                   "pk": self.object.user_id})


class MembershipCreateView(MembershipMixin, ScopedFormView):
    form_class = MembershipForm

    def get_account(self):
        return get_object_or_404(selectors.users_in(self.gemeente), pk=self.kwargs["user_pk"])

    def new_instance(self):
        return Membership(gemeente=self.gemeente, user=self.get_account())


class MembershipDeleteView(MembershipMixin, ScopedDeleteView):
    """Removes one membership; the account stays."""


class AuditLogView(GemeenteMixin, generic.ListView):
    template_name = "core/audit_log.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        if not policy.can_any(self.request.user, policy.CHANGE, Membership, self.gemeente):
            raise PermissionDenied
        return selectors.recent_audit(self.gemeente, limit=None)
