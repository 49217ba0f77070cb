"""The base of the finance views: the role check of every page (RoleMixin) and the page
with a form about one object (StapView, BevestigenView)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.views import generic

from core import selectors as core_selectors
from core.crud import (
    GemeenteMixin,
)
from finance import selectors
from finance.models import (
    Aanvraag,
    Programmabudget,
)

S = Aanvraag.Status


class RoleMixin(GemeenteMixin):
    """Like GemeenteMixin, and 403 for a member whose roles may not see `view_model` at all
    (which objects of it they see is up to the selector: others answer 404)."""

    view_model = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.gemeente = core_selectors.gemeente_for(request.user, kwargs["gemeente"])
        request.gemeente = self.gemeente
        if self.view_model and not selectors.may_view(request.user, self.view_model,
                                                      self.gemeente):
            raise PermissionDenied
        return super(GemeenteMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        # The sub-navigation shows only the links the user's roles may follow.
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.setdefault("may_see_budget", selectors.may_view(user, Programmabudget,
                                                            self.gemeente))
        ctx.setdefault("may_see_aanvragen", selectors.may_view(user, Aanvraag, self.gemeente))
        return ctx


class StapView(RoleMixin, generic.FormView):
    """A page with a form about one object: publishing a regeling, a step of an aanvraag, a
    begroting line to remove. `load` finds the object (404 outside the user's scope, 403
    without the permission); `blocked_reason` says why the step cannot be taken now (the page
    shows it instead of the form); `perform(form)` runs the service, whose refusal is shown on
    the form with the object as stored."""

    context_object_name = ""
    blocked_on_post = False

    def load(self):
        raise NotImplementedError

    def blocked_reason(self) -> str:
        return ""

    def refuse_if_blocked(self):
        """Before `perform`, with `blocked_on_post`: refuse a post the page would not have
        offered (otherwise the service alone decides)."""
        reason = self.blocked_reason() if self.blocked_on_post else ""
        if reason:
            raise ValidationError(reason)

    def perform(self, form):
        raise NotImplementedError

    def success_text(self, result) -> str:
        return str(self.success_message)

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get(self, request, *args, **kwargs):
        self.object = self.load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.load()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update({self.context_object_name: self.object, "blocked": self.blocked_reason(),
                    "cancel_url": self.get_success_url()})
        return ctx

    def form_valid(self, form):
        try:
            self.refuse_if_blocked()
            result = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            # The refused step was rolled back: show the object as it is stored, not as the
            # step had begun to change it in memory.
            self.object = self.load()
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(result))
        return HttpResponseRedirect(self.get_success_url())


class BevestigenView(StapView):
    """A StapView whose form is only a button: the page says what happens to what (`title`,
    `wat`), or why it cannot (`blocked_reason`), with a way back (`terug`)."""

    template_name = "finance/bevestigen.html"
    title = submit_label = terug = intro = ""

    def wat(self) -> str:
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(title=self.title, wat=self.wat(), terug=self.terug, intro=self.intro,
                   submit_label=self.submit_label)
        return ctx
