"""Pages of the outbox and the scheduler: the user's own inbox and preferences, the
gemeente's outbox and the periodic jobs (for the beleidsmedewerker)."""

from django.core.exceptions import PermissionDenied
from django.views import generic

from core import policy, scheduler
from core.crud import GemeenteMixin
from core.models import GeplandeTaak


class JobListView(GemeenteMixin, generic.TemplateView):
    """When each periodic job last ran, how that ended, and when it runs next."""

    template_name = "core/job_list.html"

    def get_context_data(self, **kwargs):
        if not policy.can_any(self.request.user, policy.VIEW, GeplandeTaak, self.gemeente):
            raise PermissionDenied
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = scheduler.job_statuses()
        ctx["lease"] = scheduler.lease_holder()
        return ctx
