""""Wat vraagt mijn aandacht": what waits for the user, shown on the home page of each role.

core sits at the bottom of the module graph, so it cannot ask plans, finance or participation
what waits in them. Instead each app registers a provider here, from its `<app>/attention.py`
(imported in its AppConfig.ready), as `monitor/koppelingen.py` does for the monitor:

    # finance/attention.py
    from core import attention

    @attention.provider
    def aanvragen(ctx):
        if Role.BELEIDSMEDEWERKER in ctx.roles:
            yield from attention.capped(qs, lambda a: attention.Item(...), more=...)

A provider gets an `AttentionContext` (user, gemeente, the user's roles and memberships there,
today) and yields `Item`s; `items_for` gathers them, most urgent first (past deadlines first,
then the nearest deadline, then what has none). A provider must run a fixed number of queries
whatever the amount of data: use `capped` (at most MAX_PER_SOURCE rows and one COUNT) and
select_related for what the title and link need. tests/core/test_attention.py checks that the
home page's query count does not grow with the data.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils import timezone

from core import policy

MAX_PER_SOURCE = 8


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    deadline: datetime.date | None = None
    detail: str = ""  # one line of context, e.g. the gebied or "12 meer"
    category: str = ""  # e.g. "Subsidies", for the screen reader and the eye
    summary: bool = False  # "and N more": after the single items of the same deadline


@dataclass
class AttentionContext:
    user: object
    gemeente: object
    today: datetime.date
    memberships: list = field(default_factory=list)

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    def gebied_ids(self, role) -> set[int]:
        return {m.gebied_id for m in self.memberships if m.role == role and m.gebied_id}

    def organisatie_ids(self, role) -> set[int]:
        return {m.organisatie_id for m in self.memberships
                if m.role == role and m.organisatie_id}


PROVIDERS: list[Callable[[AttentionContext], Iterable[Item]]] = []


def provider(fn):
    """Register a provider (decorator); registering twice is harmless."""
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


def capped(queryset, make: Callable, *, more: Callable[[int], Item] | None = None,
           limit: int = MAX_PER_SOURCE) -> list[Item]:
    """Items for the first `limit` rows of an ordered queryset; if there are more, one more
    item made by `more(number_left)` (one COUNT query)."""
    rows = list(queryset[:limit])
    items = [make(row) for row in rows]
    if len(rows) == limit and more is not None:
        left = queryset.count() - limit
        if left > 0:
            items.append(replace(more(left), summary=True))
    return items


def sort_key(item: Item):
    return (item.deadline or datetime.date.max, item.summary, item.title)


def items_for(user, gemeente, today: datetime.date | None = None) -> list[Item]:
    """Everything that waits for this user in this gemeente, most urgent first."""
    ctx = AttentionContext(
        user=user, gemeente=gemeente, today=today or timezone.localdate(),
        memberships=[m for m in policy.memberships(user) if m.gemeente_id == gemeente.pk])
    if not ctx.memberships:
        return []
    items = [item for p in PROVIDERS for item in p(ctx)]
    return sorted(items, key=sort_key)


@provider
def failed_work(ctx: AttentionContext):
    """For the beleidsmedewerker: e-mails that could not be delivered and periodic jobs
    (imports, reminders, purges) whose last run failed."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.models import Bericht, GeplandeTaak, Role

    if Role.BELEIDSMEDEWERKER not in ctx.roles:
        return
    slug = ctx.gemeente.slug
    failed = Bericht.objects.filter(gemeente=ctx.gemeente, status=Bericht.Status.MISLUKT)
    first = failed.order_by("created").values_list("created", flat=True).first()
    if first is not None:
        n = failed.count()
        yield Item(
            title=ngettext("%(n)s e-mail kon niet worden bezorgd",
                           "%(n)s e-mails konden niet worden bezorgd", n) % {"n": n},
            url=reverse("core:outbox", kwargs={"gemeente": slug}) + "?status=mislukt",
            deadline=timezone.localtime(first).date(), category=_("Berichten"))
    from core import scheduler

    labels = {job.name: job.label for job in scheduler.jobs()}
    for state in GeplandeTaak.objects.filter(last_status="FAILED", name__in=labels):
        yield Item(
            title=_("Geplande taak mislukt: %(taak)s") % {"taak": labels[state.name]},
            url=reverse("core:job-list", kwargs={"gemeente": slug}),
            deadline=timezone.localtime(state.last_failure_at).date()
            if state.last_failure_at else ctx.today,
            category=_("Geplande taken"))
