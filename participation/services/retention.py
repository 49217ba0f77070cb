"""Retention of children's personal data in both parts of participation, run daily by
`participation.tasks.purge_participation_data`."""

from participation.services.jeugdstem import anonimiseer_inzendingen, wis_inzending_emails
from participation.services.kandidaten import wis_verkiezingsgegevens


def wis_persoonsgegevens(now=None):
    """Delete children's personal data whose retention has passed, in the election
    (`wis_verkiezingsgegevens`) and in youth voices (`wis_inzending_emails`,
    `anonimiseer_inzendingen`). Returns counts per kind."""
    return (wis_verkiezingsgegevens(now) | wis_inzending_emails(now)
            | anonimiseer_inzendingen(now))
