"""The progress report (进度报表): one source of numbers for every face.

:mod:`.queries` computes the numbers in the database; :mod:`.workbook`
writes the Excel export; the progress page and the dashboard render the
same :class:`ProgressReport`.
"""

from .queries import (
    CareCounts,
    LedgerCounts,
    PolicyCounts,
    ProgressReport,
    SectionRow,
    TownshipRow,
    build_progress_report,
    cases_as_of,
    data_quality_entries,
    latest_evaluations,
    ledger_entries,
)
from .workbook import (
    SHEETS,
    excel_text,
    report_filename,
    save_progress_report,
    write_progress_workbook,
)

__all__ = [
    "SHEETS",
    "CareCounts",
    "LedgerCounts",
    "PolicyCounts",
    "ProgressReport",
    "SectionRow",
    "TownshipRow",
    "build_progress_report",
    "cases_as_of",
    "data_quality_entries",
    "excel_text",
    "latest_evaluations",
    "ledger_entries",
    "report_filename",
    "save_progress_report",
    "write_progress_workbook",
]
