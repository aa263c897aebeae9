"""PostgreSQL-only indexes for the household search and list (no-op on SQLite).

Measured on 60,000 households / 175,000 members (docs/operations.md, Load):

- ``member_name_trgm``, ``member_id_number_trgm``: the household search
  filters members by ``name LIKE '%…%'`` (name contains), ``id_number LIKE
  '…%'`` and ``LIKE '%…'`` (the last digits).  Without them each search reads
  every member (a sequential scan, 85–100 ms); with trigram GIN indexes it is
  a bitmap index scan under 1 ms.  (A search of fewer than three characters
  yields no trigram and still scans; a whole or three-character name does
  not.)
- ``household_township_no_idx``: the list pages a township's households in
  household-number order; this gives that order within a township directly.

``pg_trgm`` is a trusted extension (PostgreSQL 13+): the database owner may
create it without superuser rights.  Django's model state does not know
these indexes (raw SQL), so no later ``makemigrations`` touches them.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS member_name_trgm "
    "ON households_member USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS member_id_number_trgm "
    "ON households_member USING gin (id_number gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS household_township_no_idx "
    "ON households_household (township_id, household_no) WHERE NOT removed",
]
BACKWARD = [
    "DROP INDEX IF EXISTS household_township_no_idx",
    "DROP INDEX IF EXISTS member_id_number_trgm",
    "DROP INDEX IF EXISTS member_name_trgm",
    # The extension stays: other objects may use it by now.
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("households", "0002_townships")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
