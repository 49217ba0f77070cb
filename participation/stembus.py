"""The ballot box: the one SQL statement that spends a voting code and counts its vote, and
the prepared cursor it runs on. The hot path of an election is view → throttle → this module;
`participation.services.stemmen.breng_stem_uit` turns what the statement read into the
voter's message.

A vote is not stored as a row of its own: it adds one to its candidate's column in one of the
election's ballot boxes (`Stembus`, AANTAL_STEMBUSSEN per channel), chosen at random, so nothing
stored follows the order of voting (docs/participation-voting.md, "Ballot secrecy").

The code is spent and the vote counted by ONE statement on PostgreSQL (a data-modifying CTE,
its own transaction in autocommit: one round trip). The statement itself checks everything a
vote needs -- the election (by id, gemeente slug and year), its voting window, the code
channel, the code (open, of this election) and the candidate (of this election) -- so a caller
may pass ids it remembered from an earlier request: nothing stale can be accepted. It also
returns those facts, read in its own snapshot, so a vote that did not count is explained
without another query. When two requests race for one code, PostgreSQL lets one UPDATE change
the row; the other re-checks `status = 0` after the first commits, finds it false and counts
nothing (its snapshot still saw the code open: that is how "spent by another request" shows).
No row at all: the election (id, slug, year) does not exist.
"""

import functools
import secrets
import uuid
from typing import NamedTuple

from django.db import connections, router, transaction

from participation.models import AANTAL_STEMBUSSEN, MAX_KANDIDATEN, Stembus, Stemcode


def _in_stembus(bron: str) -> str:
    """The INSERT ... ON CONFLICT that adds one vote to a ballot box: to the column of the
    candidate's number, in box %(bus)s of the election and the channel that `bron` (a table
    expression with gemeente_id, kanaal, kandidaat_nummer; one row or none) gives. The first
    vote in a box creates it (random id). Every column is written, whichever candidate was
    chosen: the row that changed is the box, never a candidate's own row."""
    kolommen = Stembus.KOLOMMEN
    nieuw = ", ".join(f"CASE WHEN b.kandidaat_nummer = {n} THEN 1 ELSE 0 END"
                      for n in range(1, len(kolommen) + 1))
    optellen = ", ".join(f"{k} = participation_stembus.{k} + EXCLUDED.{k}" for k in kolommen)
    return (f"INSERT INTO participation_stembus (id, gemeente_id, verkiezing_id, kanaal, "
            f"nummer, {', '.join(kolommen)}) "
            f"SELECT %(id)s, b.gemeente_id, %(verkiezing)s, b.kanaal, %(bus)s, {nieuw} "
            f"FROM {bron} b WHERE TRUE "  # WHERE: SQLite would read ON CONFLICT as a join
            f"ON CONFLICT (verkiezing_id, kanaal, nummer) DO UPDATE SET {optellen}")


SQL_PG = f"""
WITH v AS (
    SELECT v.id, v.gemeente_id, v.kanaal_codes,
           v.stemmen_start <= %(now)s AS begonnen, v.stemmen_eind > %(now)s AS lopend
    FROM participation_verkiezing v JOIN core_gemeente g ON g.id = v.gemeente_id
    WHERE v.id = %(verkiezing)s AND g.slug = %(slug)s AND v.jaar = %(jaar)s),
c AS (SELECT c.id, c.status FROM participation_stemcode c JOIN v ON c.verkiezing_id = v.id
      WHERE c.code_hash = %(hash)s),
k AS (SELECT k.id, k.nummer FROM participation_kandidaat k JOIN v ON k.verkiezing_id = v.id
      WHERE k.id = %(kandidaat)s AND k.nummer BETWEEN 1 AND {MAX_KANDIDATEN}),
spent AS (
    UPDATE participation_stemcode s SET status = %(gebruikt)s
    FROM v, c, k
    WHERE s.id = c.id AND s.status = %(open)s AND v.kanaal_codes AND v.begonnen AND v.lopend
    RETURNING v.gemeente_id, s.kanaal, k.nummer AS kandidaat_nummer),
ballot AS ({_in_stembus("spent")}
    RETURNING 1)
SELECT EXISTS (SELECT 1 FROM ballot), v.begonnen, v.lopend, v.kanaal_codes,
       (SELECT c.status FROM c), EXISTS (SELECT 1 FROM k)
FROM v
"""
# SQLite has no data-modifying CTE: the same conditional UPDATE ... RETURNING, then the vote
# into its box, in one (IMMEDIATE, so already serialised) transaction; when nothing was spent,
# the facts.
SQL_SQLITE = f"""
UPDATE participation_stemcode SET status = %(gebruikt)s
WHERE verkiezing_id = %(verkiezing)s AND code_hash = %(hash)s AND status = %(open)s
  AND EXISTS (SELECT 1 FROM participation_verkiezing v JOIN core_gemeente g
              ON g.id = v.gemeente_id
              WHERE v.id = %(verkiezing)s AND g.slug = %(slug)s AND v.jaar = %(jaar)s
                AND v.kanaal_codes AND v.stemmen_start <= %(now)s
                AND v.stemmen_eind > %(now)s)
  AND EXISTS (SELECT 1 FROM participation_kandidaat k
              WHERE k.id = %(kandidaat)s AND k.verkiezing_id = %(verkiezing)s
                AND k.nummer BETWEEN 1 AND {MAX_KANDIDATEN})
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
# A vote whose spend was written in this transaction already (SQLite's code path, the e-mail
# link): the candidate's number read in the same statement.
SQL_IN_STEMBUS = _in_stembus(
    f"(SELECT %(gemeente)s AS gemeente_id, %(kanaal)s AS kanaal, k.nummer AS kandidaat_nummer "
    f"FROM participation_kandidaat k WHERE k.id = %(kandidaat)s "
    f"AND k.verkiezing_id = %(verkiezing)s AND k.nummer BETWEEN 1 AND {MAX_KANDIDATEN})")


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


def stembus_params(connection, verkiezing_id):
    """The parameters of a vote into a ballot box: a box chosen at random and a random id for
    the box row in case this is its first vote."""
    box_id = uuid.uuid4()
    return {"verkiezing": verkiezing_id, "bus": secrets.randbelow(AANTAL_STEMBUSSEN),
            "id": box_id if connection.vendor == "postgresql" else box_id.hex}


def tel_in_stembus(cursor, connection, verkiezing_id, gemeente_id, kanaal, kandidaat_id) -> bool:
    """Add one vote for `kandidaat_id` (of this election) to a random box of `kanaal`, on
    `cursor`, in the caller's transaction (the one that spent the code or e-mail link).
    False when the candidate is not one of this election's (nothing counted)."""
    cursor.execute(SQL_IN_STEMBUS, {**stembus_params(connection, verkiezing_id),
                                    "gemeente": gemeente_id, "kanaal": kanaal,
                                    "kandidaat": kandidaat_id})
    return cursor.rowcount == 1


def werp_in(verkiezing_id, gemeente_slug, jaar, code_hash, kandidaat_id, now) -> Feiten | None:
    """Spend the code with this hash and count its vote for `kandidaat_id` in a random ballot
    box, all or nothing, in one statement (PostgreSQL; on SQLite an UPDATE ... RETURNING and
    the INSERT ... ON CONFLICT in one transaction). Returns the Feiten the statement read, or
    None when no election has this id, gemeente slug and year. `kandidaat_id` is an int or
    None (matches no candidate)."""
    connection = connections[router.db_for_write(Stembus)]
    params = {**stembus_params(connection, verkiezing_id), "slug": gemeente_slug,
              "jaar": int(jaar), "hash": code_hash, "kandidaat": kandidaat_id,
              "open": Stemcode.OPEN, "gebruikt": Stemcode.GEBRUIKT,
              "now": connection.ops.adapt_datetimefield_value(now)}
    if connection.vendor == "postgresql":
        with prepared_cursor(connection) as cursor:
            cursor.execute(SQL_PG, params)
            facts = cursor.fetchone()
    else:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(SQL_SQLITE, params)
            row = cursor.fetchone()
            if row is not None:
                counted = tel_in_stembus(cursor, connection, verkiezing_id, *row, kandidaat_id)
                assert counted, "the UPDATE checked the candidate"
                return GETELD
            cursor.execute(SQL_FEITEN_SQLITE, params)
            facts = cursor.fetchone()
    return None if facts is None else Feiten(*facts)
