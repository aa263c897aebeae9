"""The care roster imports (docs/care-rosters.md).

:mod:`.rosters` parses a workbook into validated rows (pure, no ORM);
:mod:`.service` matches them to the registers and writes.  Both read the
file through the shared machinery of :mod:`households.imports`.
"""
