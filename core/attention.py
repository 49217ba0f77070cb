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
    # For what went wrong (a failed e-mail, a refused import) instead of a deadline: since
    # when; sorted as a deadline of that day (so before what is due later).
    sinds: datetime.date | None = None


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
    return (item.deadline or item.sinds or datetime.date.max, item.summary, item.title)


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
    """For the beleidsmedewerker: e-mails that could not be delivered, imports that were
    refused and have not gone in since, and periodic jobs (reminders, purges) whose last run
    failed."""
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
            sinds=timezone.localtime(first).date(), category=_("Berichten"))
    yield from failed_imports(ctx)
    from core import scheduler

    labels = {job.name: job.label for job in scheduler.jobs()}
    for state in GeplandeTaak.objects.filter(last_status="FAILED", name__in=labels):
        yield Item(
            title=_("Geplande taak mislukt: %(taak)s") % {"taak": labels[state.name]},
            url=reverse("core:job-list", kwargs={"gemeente": slug}),
            sinds=timezone.localtime(state.last_failure_at).date()
            if state.last_failure_at else ctx.today,
            category=_("Geplande taken"))


# A refused import is shown this long, unless an import of the same soort and onderwerp went in
# after it.
IMPORT_DAGEN = 30


def failed_imports(ctx: AttentionContext):
    """Imports of the gemeente refused in the last IMPORT_DAGEN days that did not go in since
    (core.imports.vastgelegd records each run). Two queries at most."""
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core import imports
    from core.models import ImportPoging

    since = timezone.now() - datetime.timedelta(days=IMPORT_DAGEN)
    later_success = ImportPoging.objects.filter(
        gemeente=OuterRef("gemeente"), soort=OuterRef("soort"),
        onderwerp=OuterRef("onderwerp"), gelukt=True, tijdstip__gt=OuterRef("tijdstip"))
    failed = (ImportPoging.objects.filter(gemeente=ctx.gemeente, gelukt=False,
                                          tijdstip__gte=since)
              .exclude(Exists(later_success)).order_by("tijdstip", "pk"))

    def item(poging):
        first = poging.problemen[0] if poging.problemen else ""
        more = poging.aantal_problemen - 1
        detail = first if more <= 0 else ngettext(
            "%(eerste)s (en nog %(n)s probleem)", "%(eerste)s (en nog %(n)s problemen)",
            more) % {"eerste": first, "n": more}
        return Item(
            title=_("Import geweigerd: %(soort)s%(bestand)s") % {
                "soort": imports.soort_label(poging.soort),
                "bestand": f" ({poging.bestandsnaam})" if poging.bestandsnaam else ""},
            url=poging.url, sinds=timezone.localtime(poging.tijdstip).date(),
            detail=detail[:300], category=_("Imports"))

    yield from capped(failed, item, more=lambda n: Item(
        title=ngettext("Nog %(n)s geweigerde import", "Nog %(n)s geweigerde imports", n)
        % {"n": n}, url="", sinds=ctx.today, category=_("Imports")))
