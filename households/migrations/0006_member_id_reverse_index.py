"""PostgreSQL-only: a btree index on the reversed ID number (no-op on SQLite).

The household search treats any text of four or more digits (the last may be
X) as a possible ending of an ID number.  It used to match
``id_number LIKE '%…'`` through the trigram index ``member_id_number_trgm``
(0003), which is slow for long digit strings: ID numbers share their common
trigrams ('371', '715', '152', '521', '000', …), so a 16-digit household
number reads their long posting lists (265 index pages) to find nothing.
The search now matches ``REVERSE(id_number)::text LIKE '…%'`` (the reversed
text, a prefix), which this btree index answers as a range
(``~>=~ … AND ~<~ …``); ``reverse()`` returns text, so the operator class
is ``text_pattern_ops`` and the expression matches what Django emits
(``REVERSE("id_number")::text``).
``ANALYZE`` gives the planner statistics for the new expression: without
them it guessed 875 matching members (0.5 %), and for a household number
chose to hash-join every household of 阿城镇 (13 → 24 ms instead of 7 ms).

Measured on 60,000 households / 175,042 members, staff of 阿城镇, Django's
test client in-process, 20 warm requests per search, medians of 3 runs,
before → after (2026-11-29):

- The suffix condition alone (EXPLAIN ANALYZE, 10 household numbers of
  阿城镇): 10.1 ms (max 11.8) → 0.03 ms; 10 last-six-digit texts:
  0.18 ms (max 0.79) → 0.02 ms.
- Household number 3715210050000001: the search query 13.2 → 6.8 ms (the
  member part 6.3 → 0.09 ms; the rest is ``household_no_trgm``, 6 ms); page
  p50 65 → 61 ms, p95 80 → 71 ms (the query runs twice: count and page).
- Last 6 digits of an ID: query 0.36 → 0.19 ms; page p50 49 → 44 ms
  (within the run-to-run spread).
- Last 4 digits ending in X: query 0.35 → 0.29 ms; page p50 46 → 46 ms.
- A full name: unchanged (3 characters: 0.1 ms, page p50 42–44 ms;
  2 characters yield no trigram: a sequential scan, ~90 ms, page p50
  ~220 ms).

``member_id_number_trgm`` stays: care/forms.py still filters
``id_number__endswith``.
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS member_id_reverse_idx "
    "ON households_member (reverse(id_number) text_pattern_ops)",
    # Statistics for the new expression: without them the planner guesses
    # 875 matching members and reads every household of the township.
    "ANALYZE households_member",
]
BACKWARD = ["DROP INDEX IF EXISTS member_id_reverse_idx"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("households", "0005_household_no_trgm")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
