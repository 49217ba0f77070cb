"""View pieces both parts of participation share: the permission check, private file serving,
the public pages' gemeente, the "too many attempts" page, and the gemeente's settings."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core import policy
from core.crud import GemeenteMixin
from core.models import Gemeente
from participation import forms, selectors, services
from participation.models import Instelling


def require(user, action, obj):
    """403 unless the policy allows `action` on `obj`."""
    if not policy.can(user, action, obj):
        raise PermissionDenied


class RestrictedDetailMixin:
    """For models not every role may view: a member without the right gets 403 (the page
    exists for their gemeente), a non-member 404 (from the selector)."""

    def get_object(self, queryset=None):
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        require(self.request.user, policy.VIEW, obj)
        return obj


def serve_upload(field, filename):
    """Stream a private upload. Never cached by shared caches; no sniffing."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_ext(field):
    name = field.name or ""
    return name[name.rfind("."):] if "." in name else ""


class PublicMixin:
    """Resolves the gemeente from the URL for anyone (404 if unknown)."""

    def dispatch(self, request, *args, **kwargs):
        self.publiek = get_object_or_404(Gemeente, slug=kwargs["gemeente"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.pop("gemeente", None)  # the URL slug; `gemeente` in templates means membership
        ctx["publiek"] = self.publiek
        return ctx


def te_vaak(request, publiek):
    return render(request, "participation/publiek/te_vaak.html", {"publiek": publiek},
                  status=429)


class InstellingView(GemeenteMixin, generic.UpdateView):
    """The gemeente's answer deadline and retention period."""

    model = Instelling
    form_class = forms.InstellingForm
    template_name = "core/form.html"

    def get_object(self, queryset=None):
        instelling = selectors.instelling_for(self.gemeente)
        action = policy.CHANGE if instelling.pk else policy.ADD
        require(self.request.user, action, instelling)
        return instelling

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(gemeente=self.gemeente, user=self.request.user)
        return kwargs

    def form_valid(self, form):
        try:
            self.object = services.save_instelling(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Opgeslagen."))
        return HttpResponseRedirect(reverse("participation:inzending-list",
                                            kwargs={"gemeente": self.gemeente.slug}))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_name"] = Instelling._meta.verbose_name
        ctx["cancel_url"] = reverse("participation:inzending-list",
                                    kwargs={"gemeente": self.gemeente.slug})
        return ctx
