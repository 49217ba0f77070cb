"""Write use-cases for the monitor. Each is one transaction, permission-checked and audited.

Imports (monitor.importers parses and validates) are all-or-nothing and idempotent: the same
file again changes nothing; a corrected file for the same indicators, bron and periodes
replaces the earlier batch. After every change of measurements the rollup of the affected
indicators is rebuilt by monitor.rollup (set-based SQL).
"""

from django.db import transaction

from core import policy
from core.audit import record, snapshot
from core.models import AuditEntry
from core.services import delete_object, save_object
from framework.services import set_doelen
from monitor import rollup
from monitor.models import Indicator, MonitorInstelling, Streefwaarde


@transaction.atomic
def save_indicator(actor, indicator: Indicator, *, doelen=None, check_permission=True):
    """Create or update an indicator; `doelen` (Klaverblad doelen) replaces its tags."""
    indicator = save_object(actor, indicator, check_permission=check_permission)
    if doelen is not None:
        set_doelen(actor, indicator, doelen, check_permission=check_permission)
    return indicator


def delete_indicator(actor, indicator: Indicator):
    """Delete an indicator with its measurements, targets and rollup (audited)."""
    delete_object(actor, indicator)


def save_streefwaarde(actor, streefwaarde: Streefwaarde, *, check_permission=True):
    return save_object(actor, streefwaarde, check_permission=check_permission)


def delete_streefwaarde(actor, streefwaarde: Streefwaarde):
    delete_object(actor, streefwaarde)


@transaction.atomic
def save_instelling(actor, instelling: MonitorInstelling, *, check_permission=True):
    """Save the gemeente's monitor settings. A changed minimum_n rebuilds the rollup, so the
    suppression holds everywhere at once."""
    old = None
    if instelling.pk is None:
        existing = MonitorInstelling.objects.filter(gemeente_id=instelling.gemeente_id).first()
        if existing is not None:
            instelling.pk = existing.pk
            instelling._state.adding = False
            old = existing.minimum_n
    else:
        old = MonitorInstelling.objects.get(pk=instelling.pk).minimum_n
    instelling = save_object(actor, instelling, check_permission=check_permission)
    if old is not None and old != instelling.minimum_n:
        rollup.herbereken_gemeente(instelling.gemeente)
    return instelling


def herbereken(actor, gemeente, *, check_permission=True) -> int:
    """Rebuild the gemeente's rollup (e.g. after a gebied's wijken and buurten changed)."""
    if check_permission:
        policy.require(actor, policy.CHANGE, MonitorInstelling(gemeente=gemeente))
    with transaction.atomic():
        n = rollup.herbereken_gemeente(gemeente)
        instelling = MonitorInstelling.objects.filter(gemeente=gemeente).first()
        if instelling is not None:
            record(actor, AuditEntry.Action.UPDATE, instelling, snapshot(instelling),
                   {**snapshot(instelling), "rollup_herberekend": n})
    return n
