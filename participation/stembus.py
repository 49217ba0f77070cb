"""The ballot box: the one SQL statement that spends a voting code and writes its ballot, and
the prepared cursor it runs on. The hot path of an election is view → throttle → this module;
`participation.services.verkiezing.breng_stem_uit` turns what the statement read into the
voter's message.

The code is spent and the ballot written by ONE statement on PostgreSQL (a data-modifying CTE,
its own transaction in autocommit: one round trip). The statement itself checks everything a
vote needs -- the election (by id, gemeente slug and year), its voting window, the code
channel, the code (open, of this election) and the candidate (of this election) -- so a caller
may pass ids it remembered from an earlier request: nothing stale can be accepted. It also
returns those facts, read in its own snapshot, so a vote that did not count is explained
without another query. When two requests race for one code, PostgreSQL lets one UPDATE change
the row; the other re-checks `status = 0` after the first commits, finds it false and inserts
nothing (its snapshot still saw the code open: that is how "spent by another request" shows).
No row at all: the election (id, slug, year) does not exist.
"""

import functools
import uuid
from typing import NamedTuple

from django.db import connections, router, transaction

from participation.models import Stem, Stemcode

SQL_PG = """
WITH v AS (
    SELECT v.id, v.gemeente_id, v.kanaal_codes,
           v.stemmen_start <= %(now)s AS begonnen, v.stemmen_eind > %(now)s AS lopend
    FROM participation_verkiezing v JOIN core_gemeente g ON g.id = v.gemeente_id
    WHERE v.id = %(verkiezing)s AND g.slug = %(slug)s AND v.jaar = %(jaar)s),
c AS (SELECT c.id, c.status FROM participation_stemcode c JOIN v ON c.verkiezing_id = v.id
      WHERE c.code_hash = %(hash)s),
k AS (SELECT k.id FROM participation_kandidaat k JOIN v ON k.verkiezing_id = v.id
      WHERE k.id = %(kandidaat)s),
spent AS (
    UPDATE participation_stemcode s SET status = %(gebruikt)s
    FROM v, c, k
    WHERE s.id = c.id AND s.status = %(open)s AND v.kanaal_codes AND v.begonnen AND v.lopend
    RETURNING v.gemeente_id, s.kanaal),
ballot AS (
    INSERT INTO participation_stem (id, gemeente_id, verkiezing_id, kandidaat_id, kanaal)
    SELECT %(id)s, spent.gemeente_id, %(verkiezing)s, %(kandidaat)s, spent.kanaal FROM spent
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM ballot), v.begonnen, v.lopend, v.kanaal_codes,
       (SELECT c.status FROM c), EXISTS (SELECT 1 FROM k)
FROM v
"""
# SQLite has no data-modifying CTE: the same conditional UPDATE ... RETURNING, then the INSERT,
# in one (IMMEDIATE, so already serialised) transaction; when nothing was spent, the facts.
SQL_SQLITE = """
UPDATE participation_stemcode SET status = %(gebruikt)s
WHERE verkiezing_id = %(verkiezing)s AND code_hash = %(hash)s AND status = %(open)s
  AND EXISTS (SELECT 1 FROM participation_verkiezing v JOIN core_gemeente g
              ON g.id = v.gemeente_id
              WHERE v.id = %(verkiezing)s AND g.slug = %(slug)s AND v.jaar = %(jaar)s
                AND v.kanaal_codes AND v.stemmen_start <= %(now)s
                AND v.stemmen_eind > %(now)s)
  AND EXISTS (SELECT 1 FROM participation_kandidaat k
              WHERE k.id = %(kandidaat)s AND k.verkiezing_id = %(verkiezing)s)
RETURNING gemeente_id, kanaal
"""
SQL_FEITEN_SQLITE = """
SELECT 0, v.stemmen_start <= %(now)s, v.stemmen_eind > %(now)s, v.kanaal_codes,
       (SELECT c.status FROM participation_stemcode c
        WHERE c.verkiezing_id = v.id AND c.code_hash = %(hash)s),
       EXISTS (SELECT 1 FROM participation_kandidaat k
               WHERE k.id = %(kandidaat)s AND k.verkiezing_id = v.id)
FROM participation_verkiezing v JOIN core_gemeente g ON g.id = v.gemeente_id
WHERE v.id = %(verkiezing)s AND g.slug = %(slug)s AND v.jaar = %(jaar)s
"""


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


def prepared_cursor(connection):
    """A Django cursor (query logging and execute wrappers as usual) whose statements are
    prepared: PostgreSQL parses and plans the vote statement once per connection and each vote
    only sends its values. psycopg prepares nothing on a connection whose prepare_threshold is
    None (Django's default); settings.py gives PostgreSQL connections a threshold no statement
    reaches, so only a statement that asks for it, as this cursor does, is prepared. Behind
    PgBouncer in transaction mode that needs PgBouncer 1.21+ with
    max_prepared_statements set (docs/participation-voting.md)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(connection.connection))


class Feiten(NamedTuple):
    """What the vote statement read, in its own snapshot: whether the ballot was written, and
    if not, the facts that say why."""

    geteld: bool
    begonnen: bool
    lopend: bool
    kanaal_codes: bool
    status: int | None  # of the code: Stemcode.OPEN / GEBRUIKT / INGETROKKEN, None: unknown
    kandidaat_ok: bool


GETELD = Feiten(True, True, True, True, Stemcode.GEBRUIKT, True)


def werp_in(verkiezing_id, gemeente_slug, jaar, code_hash, kandidaat_id, now) -> Feiten | None:
    """Spend the code with this hash and write its ballot for `kandidaat_id`, all or nothing, in
    one statement (PostgreSQL; on SQLite an UPDATE ... RETURNING and the INSERT in one
    transaction). Returns the Feiten the statement read, or None when no election has this id,
    gemeente slug and year. `kandidaat_id` is an int or None (matches no candidate)."""
    params = {"verkiezing": verkiezing_id, "slug": gemeente_slug, "jaar": int(jaar),
              "hash": code_hash, "kandidaat": kandidaat_id, "open": Stemcode.OPEN,
              "gebruikt": Stemcode.GEBRUIKT, "id": uuid.uuid4()}
    connection = connections[router.db_for_write(Stem)]
    params["now"] = connection.ops.adapt_datetimefield_value(now)
    if connection.vendor == "postgresql":
        with prepared_cursor(connection) as cursor:
            cursor.execute(SQL_PG, params)
            facts = cursor.fetchone()
    else:
        ballot_id = params.pop("id")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(SQL_SQLITE, params)
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(
                    "INSERT INTO participation_stem (id, gemeente_id, verkiezing_id, "
                    "kandidaat_id, kanaal) VALUES (%s, %s, %s, %s, %s)",
                    [ballot_id.hex, row[0], verkiezing_id, kandidaat_id, row[1]])
                return GETELD
            cursor.execute(SQL_FEITEN_SQLITE, params)
            facts = cursor.fetchone()
    return None if facts is None else Feiten(*facts)
