"""Finding the header row and mapping columns to fields (roster-format.md §1).

Columns are found by header text, never by position.  Each roster kind
declares a :class:`ColumnTable` (field → synonyms, required); the same
:func:`normalize` is applied to header cells, coded values and every
synonym, so ``证件号码（必填）``, ``证件\\n号码`` and ``证件号码*`` all match.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .workbook import CellValue, Row, is_blank

HEADER_SEARCH_ROWS = 20

# \s covers ASCII, full-width (U+3000), no-break and line-separator spaces;
# the zero-width characters and the BOM are not whitespace to Python.
_WHITESPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_BRACKETS = str.maketrans("", "", "（）()")
_REQUIRED_MARKS = ("必填", "*")
_ID_LIKE = re.compile(r"\d{17}[\dX]|\d{15}")
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$")


@functools.lru_cache(maxsize=8192)
def _normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub("", text).translate(_BRACKETS)
    stripped = True
    while stripped:
        stripped = False
        for mark in _REQUIRED_MARKS:
            if text.endswith(mark):
                text = text[: -len(mark)]
                stripped = True
    return text


def normalize(value: object) -> str:
    """The one comparison form of §1 for headers and coded values.

    Unicode NFKC; every whitespace character removed; the brackets （）()
    removed with their content kept; a trailing 必填 or * dropped.
    """
    if value is None:
        return ""
    return _normalize_text(value if isinstance(value, str) else str(value))


def is_id_like(value: CellValue) -> bool:
    """A value that could be an ID number (15 or 18 digits, or E-notation)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return abs(value) >= 1e14
    if not isinstance(value, str):
        return False
    text = normalize(value).upper()
    return bool(_ID_LIKE.search(text) or _SCIENTIFIC.match(text))


@dataclass(frozen=True)
class Column:
    """One field of a roster: its header synonyms and whether it is required."""

    field: str
    synonyms: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        """The header to name in messages: the first synonym."""
        return self.synonyms[0]


@dataclass(frozen=True)
class ColumnTable:
    """The declarative column table of one roster kind.

    ``key_fields`` are the fields a header row must contain (name and ID
    number for every roster of people).
    """

    columns: tuple[Column, ...]
    key_fields: tuple[str, ...] = ("name", "id_number")
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for column in self.columns:
            for synonym in column.synonyms:
                key = normalize(synonym)
                if lookup.setdefault(key, column.field) != column.field:
                    raise ValueError(f"synonym {synonym!r} maps to two fields")
        object.__setattr__(self, "_lookup", lookup)

    def field_for(self, text: CellValue) -> str | None:
        """The field a header cell names, or None for an unknown column."""
        if not isinstance(text, str):
            return None
        return self._lookup.get(normalize(text))

    def column(self, field_name: str) -> Column:
        """The column declaration of ``field_name``."""
        for column in self.columns:
            if column.field == field_name:
                return column
        raise KeyError(field_name)

    def required_fields(self, *, optional: frozenset[str] = frozenset()) -> list[str]:
        """Required fields, less those the caller makes optional."""
        return [c.field for c in self.columns if c.required and c.field not in optional]


@dataclass(frozen=True)
class HeaderMap:
    """Where a sheet's header is and which column holds which field.

    ``rows`` are the Excel row numbers of the header (one or two);
    ``columns`` maps a field to its column index and its header text as it
    stands in the file.
    """

    rows: tuple[int, ...]
    columns: dict[str, tuple[int, str]]

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    def text(self, field_name: str) -> str | None:
        """The header text of ``field_name`` as in the file, or None."""
        found = self.columns.get(field_name)
        return found[1] if found else None


# The columns every roster of people shares (§1; §2 uses the same synonyms).
NAME_COLUMN = Column("name", ("姓名",), required=True)
ID_NUMBER_COLUMN = Column(
    "id_number",
    ("证件号码", "身份证号码", "身份证号", "公民身份号码", "身份证"),
    required=True,
)


def find_header(rows: Sequence[Row], table: ColumnTable) -> HeaderMap | None:
    """The header in ``rows`` (a sheet's first rows), or None.

    The header row is the first of the first 20 rows that names every key
    field.  When the row below has no ID-like value and names at least one
    known column, the two rows together are the header (a group title such
    as 残疾情况 above 残疾类别 and 残疾等级): for each column the lower
    cell's text is used when it names a field, else the upper one's.
    """
    for position, row in enumerate(rows):
        if row.number > HEADER_SEARCH_ROWS:
            break
        fields = {table.field_for(value) for value in row.values}
        if not all(key in fields for key in table.key_fields):
            continue
        below = rows[position + 1] if position + 1 < len(rows) else None
        if (
            below is not None
            and below.number == row.number + 1
            and not any(is_id_like(value) for value in below.values)
            and any(table.field_for(value) for value in below.values)
        ):
            return _map_columns(table, (row, below))
        return _map_columns(table, (row,))
    return None


def _map_columns(table: ColumnTable, header_rows: tuple[Row, ...]) -> HeaderMap:
    """Map each column (leftmost wins) from the lowest header cell that matches."""
    width = max(len(row.values) for row in header_rows)
    columns: dict[str, tuple[int, str]] = {}
    for index in range(width):
        for row in reversed(header_rows):
            value = row.values[index] if index < len(row.values) else None
            if is_blank(value):
                continue
            field_name = table.field_for(value)
            if field_name is not None:
                if field_name not in columns:
                    columns[field_name] = (index, str(value).strip())
                break
    return HeaderMap(rows=tuple(row.number for row in header_rows), columns=columns)
