"""The benefit roster import (救助/补贴名册, roster-format.md §2 and §4).

:mod:`.roster` parses a workbook into validated rows (pure, no ORM);
:mod:`.roster_import` matches them to the registry and writes the
enrollments and grants.  Both read the file through the shared machinery
of :mod:`households.imports` (safe opening, header detection, row
classification, value parsers).
"""
