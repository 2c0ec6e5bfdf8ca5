"""One transaction at a time for work that reads the register, plans and then writes.

An import plans its rows against the register as it is and writes what the plan says. Two
such transactions at once on PostgreSQL (READ COMMITTED) each plan against the register
without the other's rows, and both write: a five-row file confirmed by two people at the
same moment became ten grants. Holding a named lock for the whole transaction makes the
second wait and then plan against what the first wrote, where its preview no longer
matches. SQLite needs nothing: its transactions are IMMEDIATE (config.settings), so one
writer holds the database from the first statement on.
"""

import zlib

from django.db import connection


def hold(name):
    """Inside a transaction: wait until no other transaction holds `name`, then hold it
    until this one ends (a PostgreSQL transaction-level advisory lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(name.encode())])
