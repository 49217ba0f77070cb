"""Keep the monitor's rollup true when a Gebied changes.

regions may not import monitor (DESIGN §2), so the monitor listens for changes of a gebied's
wijken and buurten and rebuilds its gemeente's rollup in the same transaction: a gebied value
is never computed from the regions the gebied used to have.
"""

from django.db.models.signals import m2m_changed

from monitor import rollup
from regions.models import Gebied


def gebied_regions_changed(sender, instance, action, **kwargs):
    """`instance` is the Gebied (or, from the reverse side, the Region); both belong to the one
    gemeente whose rollup is rebuilt."""
    if action in ("post_add", "post_remove", "post_clear"):
        rollup.herbereken_gemeente(instance.gemeente)


def connect():
    m2m_changed.connect(gebied_regions_changed, sender=Gebied.regions.through,
                        dispatch_uid="monitor.gebied_regions_changed")
