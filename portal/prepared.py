"""Statements that a busy page runs on every request, planned once per database connection.

PostgreSQL plans a statement each time it is sent: for the statistics dashboard's one statement
(four reads of the kept sums) planning took 0.5 ms, more than half of running it. A prepared
statement is planned for its first executions and then, where the plan does not depend on the
values, kept: PostgreSQL compares a generic plan's cost with that of the plans it made for the
values, and keeps planning per execution when the generic one would be dearer.

Not for a statement whose running depends on a value's form: the queue's page among a search's
ids (`id = ANY(array)`) tests them through a hash only when the array is written in the statement,
and one by one when it is a value, as in a prepared statement.

Each statement text is prepared once on each connection, as it is first run there; a new
connection starts with none. Behind a pooler that hands a session's statements to other clients
(PgBouncer in transaction mode), set DATABASE_POOLER=transaction (portal/settings.py), which sets
Django's DISABLE_SERVER_SIDE_CURSORS: statements are then sent plainly. SQLite always sends them
plainly.
"""

import hashlib
import re

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

# The statements prepared on the current connection, by name, and those whose first run failed
# (whether their PREPARE was done is then asked of the database).
_PREPARED, _UNSURE = "portal_prepared", "portal_prepared_unsure"


@receiver(connection_created)
def _forget_prepared(sender, connection, **kwargs):
    setattr(connection, _PREPARED, set())
    setattr(connection, _UNSURE, set())


def execute(cursor, sql: str, params: list) -> None:
    """Runs `sql` (with %s placeholders, as Django writes them) with `params` on `cursor`, as a
    statement prepared on this connection where that is possible. The first run prepares it in
    the same round trip, so that a page's number of queries is the same every time."""
    if connection.vendor != "postgresql" or connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor.execute(sql, params)
        return
    if getattr(connection, _PREPARED, None) is None:  # a connection made before this module was loaded
        _forget_prepared(None, connection)
    prepared, unsure = getattr(connection, _PREPARED), getattr(connection, _UNSURE)
    name = "portal_" + hashlib.sha1(sql.encode()).hexdigest()[:20]
    run = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
    if name in unsure:
        cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
        if cursor.fetchone():
            prepared.add(name)
        unsure.discard(name)
    if name in prepared:
        cursor.execute(run, params)
        return
    numbers = iter(range(1, len(params) + 1))
    # %s become $1, $2…; a %% stays, as the whole is still filled in by the driver.
    text = re.sub(r"%s", lambda _match: f"${next(numbers)}", sql)
    try:
        cursor.execute(f"PREPARE {name} AS {text}; {run}", params)
    except Exception:
        unsure.add(name)
        raise
    prepared.add(name)
