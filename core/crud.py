"""Thin, tenant-scoped views shared by every app: list, detail, form (create/update), delete.

Each view resolves the gemeente from the URL (404 if the user is no member), reads through a
selector (so rows of other gemeenten are 404) and writes through a service (permission check
and audit entry included). Apps configure them; they do not re-implement them.

Conventions that spare the configuration: list and detail pages use Django's default template
(`<app>/<model>_list.html`, `<app>/<model>_detail.html`); after a delete the user lands on
`<app>:<model>-list`. A row that belongs to a parent page (a thema of a kader, a rol of a
stuurgroep) sets `parent_field` (and `parent_selector` to create one under the parent's URL,
`<parent_field>_pk`): it is created there and the user returns to the parent's page.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core import policy, selectors, services


class GemeenteMixin(LoginRequiredMixin):
    """Sets self.gemeente / request.gemeente from the `gemeente` URL kwarg."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.gemeente = selectors.gemeente_for(request.user, kwargs["gemeente"])
        request.gemeente = self.gemeente
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["gemeente"] = self.gemeente  # not the slug from the URL kwargs
        return ctx


class ScopedMixin(GemeenteMixin):
    model = None
    # selector(user, gemeente) -> queryset of what this user may see in this gemeente.
    selector = None
    # The foreign key to the page this row belongs to, and the selector of those pages.
    parent_field = None
    parent_selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user, self.gemeente)

    def get_parent(self):
        """The parent named in the URL (`<parent_field>_pk`), 404 when this user may not see it."""
        return get_object_or_404(type(self).parent_selector(self.request.user, self.gemeente),
                                 pk=self.kwargs[f"{self.parent_field}_pk"])

    def parent_url(self):
        return getattr(self.object, self.parent_field).get_absolute_url()


class ScopedListView(ScopedMixin, generic.ListView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_add"] = policy.can_any(self.request.user, policy.ADD, self.model, self.gemeente)
        return ctx


class ScopedDetailView(ScopedMixin, generic.DetailView):
    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.VIEW, obj):
            raise Http404
        return obj

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["history"] = selectors.history_for(self.object)
        ctx["may_change"] = policy.can(self.request.user, policy.CHANGE, self.object)
        ctx["may_delete"] = policy.can(self.request.user, policy.DELETE, self.object)
        return ctx


class ScopedFormView(ScopedMixin, generic.edit.ModelFormMixin, generic.edit.ProcessFormView,
                     generic.base.TemplateResponseMixin):
    """Create (no pk in URL) or update (pk in URL) through a service.

    `save(form)` may be overridden to call an app's own service; it must raise ValidationError
    for business-rule failures, which are shown on the form and change nothing.
    """

    template_name = "core/form.html"

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return None
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.CHANGE, obj):
            raise PermissionDenied
        # The page keeps the stored name as its heading: validating the form writes the
        # submitted values into the same instance, also when the save is then refused.
        self.object_label = str(obj)
        return obj

    def new_instance(self):
        if self.parent_selector is not None:
            return self.model(gemeente=self.gemeente, **{self.parent_field: self.get_parent()})
        return self.model(gemeente=self.gemeente)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is None:
            kwargs["instance"] = self.new_instance()
        kwargs["gemeente"] = self.gemeente
        kwargs["user"] = self.request.user
        return kwargs

    def dispatch_object(self):
        self.object = self.get_object()
        if self.object is None and not policy.can_any(
            self.request.user, policy.ADD, self.model, self.gemeente
        ):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self.dispatch_object()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.dispatch_object()
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        try:
            self.object = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(request, _("Opgeslagen."))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        if self.parent_field:
            return self.parent_url()
        return super().get_success_url()

    def save(self, form):
        instance = form.save(commit=False)
        m2m = {name: form.cleaned_data[name] for name in form.m2m_field_names()}
        return services.save_object(self.request.user, instance, m2m=m2m)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_name"] = self.model._meta.verbose_name
        ctx["object_label"] = getattr(self, "object_label", "")
        ctx["cancel_url"] = (self.object.get_absolute_url() if self.object
                             else self.request.GET.get("terug", ""))
        return ctx


class ScopedDeleteView(ScopedMixin, generic.DetailView):
    """Confirm, then delete through a service. Subclasses with their own delete rules
    override `delete_object(user, obj)`; a ValidationError from it is shown on the object."""

    template_name = "core/confirm_delete.html"
    success_url_name = None  # default: "<app>:<model>-list"

    def delete_object(self, user, obj):
        services.delete_object(user, obj)

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not policy.can(self.request.user, policy.DELETE, obj):
            raise PermissionDenied
        return obj

    def post(self, request, *args, **kwargs):
        obj = self.object = self.get_object()
        try:
            self.delete_object(request.user, obj)
        except ValidationError as exc:
            for msg in exc.messages:
                messages.error(request, msg)
            return HttpResponseRedirect(self.back_url(obj))
        messages.success(request, self.deleted_message(obj))
        return HttpResponseRedirect(self.get_success_url())

    def back_url(self, obj):
        """Where a refused delete sends the user back to."""
        return obj.get_absolute_url()

    def deleted_message(self, obj):
        return _("%(obj)s is verwijderd.") % {"obj": obj}

    def get_success_url(self):
        if self.parent_field:
            return self.parent_url()
        meta = self.model._meta
        name = self.success_url_name or f"{meta.app_label}:{meta.model_name}-list"
        return reverse(name, kwargs={"gemeente": self.gemeente.slug})
