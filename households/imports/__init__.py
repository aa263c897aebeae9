"""Reading the rosters villages send (roster-format.md §1–§4).

- :mod:`.workbook` — safe opening of an uploaded .xlsx (size, zip bomb,
  old .xls / password, extent), cells with merges copied down.
- :mod:`.headers` — the §1 normalisation, column tables, header detection.
- :mod:`.rows` — which rows are data, ``RowIssue`` and the issue codes.
- :mod:`.values` — parsers for every coded and typed column, ID numbers,
  township matching.
- :mod:`.roster` — the household roster parsed into per-household plans
  (pure).
- :mod:`.roster_import` — the household roster against the registry:
  matching, counting and the all-or-nothing bulk write (the service behind
  ``manage.py import_roster`` and the browser upload).
- :mod:`.command` — the base of the ``import_*`` management commands:
  options, text and JSON output, exit statuses.

Other rosters (benefits, elderly, children) declare their own
``ColumnTable`` and reuse the first four modules.
"""
