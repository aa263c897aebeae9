"""PostgreSQL-only: btrees on member names and reversed names (no-op on SQLite).

A household search of one or two characters holds no trigram, so "name
contains" read every member: 90 ms per query, a 220 ms page at 60,000
households. Such a text now matches the start of a name (a surname, a
two-character name: ``name LIKE '乔维%'``) or its end (a given name:
``reverse(name) LIKE '山大%'``), each a range of one of these indexes: 2 ms
for a two-character name. ``text_pattern_ops`` because the database
collation is not "C".
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_name_prefix_idx "
    "ON households_member (name text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS member_name_reverse_idx "
    "ON households_member (reverse(name) text_pattern_ops)",
    "ANALYZE households_member",
]
BACKWARD = [
    "DROP INDEX IF EXISTS member_name_reverse_idx",
    "DROP INDEX IF EXISTS member_name_prefix_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("households", "0006_member_id_reverse_index")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
