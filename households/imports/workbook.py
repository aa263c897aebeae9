"""Safe opening of an uploaded .xlsx workbook (roster-format.md §4).

Every import reads its upload through :func:`open_workbook`.  Before any
parser sees the file it is checked: size, signature (an OLE container is an
old .xls or a workbook with an opening password), the zip directory
(member count, declared sizes, compression ratio) and then every member is
inflated once with its size and CRC verified, so a zip bomb or a lying
header never reaches the parser.  Each worksheet's extent is measured on
the way, because the parser (python-calamine) allocates the whole used
range of a sheet at once: one stray cell at XFD1048576 would abort the
process.

Cells are read with python-calamine (about 11 times faster than openpyxl's
read-only mode on an 18,000-row roster): formulas as their cached values,
numbers as ``float``, text as ``str``, date cells as ``date``/``datetime``,
sheet and structure protection ignored.  A value in a vertically merged
cell is copied to every row of the merge.

Any failure raises :class:`FileUnreadable` with a Chinese message that
tells the user what to do; nothing else escapes.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import python_calamine

DEFAULT_MAX_BYTES = 30 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000

# Zip-bomb limits.  A real roster's sheet XML inflates 8–15 times; deflate
# cannot exceed about 1,032 times, and bombs sit near that.
MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# python-calamine holds a sheet's used range as a grid of ~32-byte cells.
MAX_SHEET_CELLS = 10_000_000

CODE = "file_unreadable"

CellValue = (
    str
    | float
    | int
    | bool
    | datetime.date
    | datetime.datetime
    | datetime.time
    | datetime.timedelta
    | None
)

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_HEADER_SIGNATURE = 0x04034B50
_CHUNK = 1 << 20
_SHEET_REL_TYPE = re.compile(rb'Type="[^"]*/worksheet"')
_REL_TARGET = re.compile(rb'Target="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_REL_ID = re.compile(rb'\sId="([^"]*)"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_NAME_ATTR = re.compile(rb'\sname="([^"]*)"')
_REL_ID_REF = re.compile(rb'\s\w+:id="([^"]*)"')
_ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet\b")

MESSAGES = {
    "too_large": "文件大小为 {size}，超过了 {limit} 的上限。请把花名册按村拆分成几个文件，分别导入。",
    "empty_file": "上传的文件是空的（0 字节）。请确认选择的是已填好的花名册 .xlsx 文件后重新上传。",
    "cannot_open": "无法打开上传的文件。请重新选择文件后再试。",
    "encrypted": "工作簿设置了打开密码，系统无法读取。请在 Excel 中打开文件，取消打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存为 .xlsx 再上传。",
    "old_xls": "这是旧版 Excel 97-2003 格式（.xls）的文件，系统只接受 .xlsx。请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（*.xlsx）”后重新上传。",
    "text": "文件不是 Excel 工作簿，看起来是文本、CSV 或网页文件（可能只是把扩展名改成了 .xlsx）。请在 Excel 或 WPS 中打开后另存为“Excel 工作簿（*.xlsx）”再上传。",
    "not_xlsx": "文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或根本不是 Excel 文件。请在 Excel 或 WPS 中打开确认内容无误后，另存为“Excel 工作簿（*.xlsx）”再上传。",
    "not_workbook_zip": "文件是压缩包，但里面没有 Excel 工作簿（可能是 Word 文档或其他文件改了扩展名）。请上传 Excel 花名册（.xlsx）。",
    "xlsb": "这是 Excel 二进制工作簿（.xlsb），系统只接受 .xlsx。请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后重新上传。",
    "ods": "这是 OpenDocument 表格（.ods），系统只接受 .xlsx。请在 WPS 或 LibreOffice 中另存为“Excel 工作簿（*.xlsx）”后重新上传。",
    "zip_bomb": "文件解压后异常庞大（压缩比或解压后的大小超出正常范围），可能已损坏或被恶意构造，系统拒绝读取。请在 Excel 中打开后重新另存为 .xlsx 再上传。",
    "damaged": "文件已损坏，部分内容无法解压。请重新从 Excel 另存，或请对方重新发送文件后再上传。",
    "encrypted_member": "文件中的部分内容被加密，无法读取。请取消加密后另存为 .xlsx 再上传。",
    "sheet_too_large": "工作表{sheet}中第 {row} 行、第 {column} 列还有内容，表格使用范围过大（约 {rows} 行 × {columns} 列）。这通常是远处单元格里误输入了字符或空格：请选中数据下方和右侧的多余行列并删除，保存后重新上传。",
    "too_many_rows": "文件中的数据超过 {limit:,} 行的上限。请把花名册按村拆分成几个文件，分别导入。",
    "unreadable": "无法读取工作簿的内容，文件可能已损坏。请在 Excel 或 WPS 中打开，确认能正常显示后另存为“Excel 工作簿（*.xlsx）”再上传。",
}


class FileUnreadable(Exception):
    """The upload is not a workbook the import can read; nothing is imported.

    ``code`` is always ``file_unreadable``; ``message`` is Chinese and
    tells the user what to do.  ``reason`` names the check that failed.
    """

    code = CODE

    def __init__(self, reason: str, **params: object):
        self.reason = reason
        self.message = MESSAGES[reason].format(**params)
        super().__init__(self.message)


def is_blank(value: CellValue) -> bool:
    """True for an empty cell or one holding only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value or value.isspace()
    return False


@dataclass(frozen=True, slots=True)
class Row:
    """One worksheet row as read.

    ``number`` is the row number Excel shows.  ``values`` holds every cell
    from column A (None for an empty one), with vertically merged values
    already copied down; ``merged`` is the set of column indexes filled in
    that way (their own cells are empty).
    """

    number: int
    values: list[CellValue]
    merged: frozenset[int] = frozenset()

    def own_values(self) -> Iterator[CellValue]:
        """The row's own cells, ignoring values copied from a merge."""
        if not self.merged:
            return iter(self.values)
        return (
            None if index in self.merged else value
            for index, value in enumerate(self.values)
        )

    @property
    def is_blank(self) -> bool:
        """Every own cell is empty or whitespace (a merged value does not count)."""
        return all(is_blank(value) for value in self.own_values())


@dataclass(frozen=True)
class Sheet:
    """A worksheet of an opened workbook; :meth:`rows` reads it."""

    name: str
    hidden: bool
    _book: python_calamine.CalamineWorkbook = field(repr=False)

    def rows(self) -> Iterator[Row]:
        """The sheet's rows in order, each with the number Excel shows.

        Rows whose every cell is empty are left out (a caller skips blank
        rows anyway): one stray cell far below the data costs nothing.
        """
        try:
            sheet = self._book.get_sheet_by_name(self.name)
            start = sheet.start
            if start is None:
                return
            merges = sheet.merged_cell_ranges or []
            cells = sheet.iter_rows()
            first = next(cells, None)
        except BaseException as exc:  # python-calamine may raise a Rust panic
            if _is_interrupt(exc):
                raise
            raise FileUnreadable("unreadable") from exc
        # python-calamine 0.9 yields rows from row 1 but columns from the
        # first used one; tell by the first row, which is empty only when
        # rows above the used range are padded in.
        top = 0 if start[0] == 0 or _all_empty(first) else start[0]
        yield from _rows_with_merges(
            _guarded(first, cells), top=top, left=start[1], merges=merges
        )


def _all_empty(cells: list | None) -> bool:
    return cells is None or cells.count("") == len(cells)


def _guarded(first: list | None, rest: Iterator[list]) -> Iterator[list]:
    """The parser's rows; a failure while reading becomes FileUnreadable."""
    if first is None:
        return
    yield first
    try:
        yield from rest
    except BaseException as exc:
        if _is_interrupt(exc):
            raise
        raise FileUnreadable("unreadable") from exc


@dataclass(frozen=True)
class Workbook:
    """An opened, checked workbook.

    ``sheets`` lists every worksheet in workbook order, hidden ones
    included (the caller decides what to skip).  ``max_rows`` is the data-row
    limit the table reader enforces (only it knows which rows are data).
    """

    name: str
    sheets: tuple[Sheet, ...]
    max_rows: int


def open_workbook(
    source: str | os.PathLike | bytes | BinaryIO,
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Workbook:
    """Check and open an uploaded .xlsx; raise :class:`FileUnreadable`.

    ``source`` is a path, the file's bytes, or a binary file object (a
    Django ``UploadedFile`` works).  ``name`` is the file name shown to the
    user; by default the base name of the path or file object.
    """
    data = read_upload(source, max_bytes=max_bytes)
    _check_signature(data)
    try:
        _check_archive(data)
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except FileUnreadable:
        raise
    except BaseException as exc:  # zipfile and python-calamine raise many kinds
        if _is_interrupt(exc):
            raise
        raise FileUnreadable("unreadable") from exc
    sheets = tuple(
        Sheet(
            name=meta.name,
            hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
            _book=book,
        )
        for meta in metadata
        if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
    )
    return Workbook(name=name or upload_name(source), sheets=sheets, max_rows=max_rows)


def _is_interrupt(exc: BaseException) -> bool:
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def upload_name(source: object) -> str:
    """The base name of an upload (a path or a file object); "" for bytes."""
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return os.path.basename(str(getattr(source, "name", "") or ""))


def read_upload(
    source: str | os.PathLike | bytes | BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> bytes:
    """The upload's bytes; FileUnreadable when missing, empty or too large.

    For callers that keep the original file (an import batch) and then
    pass the bytes to :func:`open_workbook`.
    """
    try:
        if isinstance(source, bytes | bytearray | memoryview):
            data = bytes(source)
        elif isinstance(source, str | os.PathLike):
            path = Path(source)
            _check_size(path.stat().st_size, max_bytes)
            data = path.read_bytes()
        else:
            size = getattr(source, "size", None)
            if isinstance(size, int):
                _check_size(size, max_bytes)
            if hasattr(source, "seek"):
                source.seek(0)
            data = source.read(max_bytes + 1)
    except FileUnreadable:
        raise
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise FileUnreadable("cannot_open") from exc
    if not isinstance(data, bytes):
        raise FileUnreadable("cannot_open")
    _check_size(len(data), max_bytes)
    if not data:
        raise FileUnreadable("empty_file")
    return data


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileUnreadable(
            "too_large", size=_megabytes(size), limit=_megabytes(max_bytes)
        )


def _check_signature(data: bytes) -> None:
    """Tell old .xls, password-protected and text files apart from a zip."""
    if data.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_PACKAGE in data:
            raise FileUnreadable("encrypted")
        raise FileUnreadable("old_xls")
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return
    if _looks_like_text(data[:4096]):
        raise FileUnreadable("text")
    raise FileUnreadable("not_xlsx")


def _looks_like_text(head: bytes) -> bool:
    if b"\0" in head:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable >= 0.95 * len(text)
    return False


def _check_archive(data: bytes) -> None:
    """Zip-bomb and integrity checks, before any XML parser runs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError (version) …
        raise FileUnreadable("not_xlsx") from exc
    if len(infos) > MAX_MEMBERS:
        raise FileUnreadable("zip_bomb")
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileUnreadable("xlsb")
        if "content.xml" in names and "mimetype" in names:
            raise FileUnreadable("ods")
        raise FileUnreadable("not_workbook_zip")
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED_BYTES:
        raise FileUnreadable("zip_bomb")
    for info in infos:
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > (
            MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise FileUnreadable("zip_bomb")
        if info.flag_bits & 0x1:
            raise FileUnreadable("encrypted_member")
    sheet_names = _worksheet_members(data, archive, names)
    for info in infos:
        chunks = _inflate(data, info)
        if info.filename in sheet_names:
            max_row, max_col = _sheet_extent(chunks)
            if max_row * max_col > MAX_SHEET_CELLS:
                sheet = sheet_names[info.filename]
                raise FileUnreadable(
                    "sheet_too_large",
                    sheet=f"“{sheet}”" if sheet else "",
                    row=max_row,
                    column=_column_letters(max_col),
                    rows=max_row,
                    columns=max_col,
                )
        else:
            for _chunk in chunks:
                pass


def _worksheet_members(
    data: bytes, archive: zipfile.ZipFile, names: set[str]
) -> dict[str, str]:
    """Worksheet member → sheet name, from the workbook's relationships.

    Every ``xl/worksheets/*.xml`` counts too (its name unknown): the scan
    must not miss a sheet because a relationship is odd.
    """
    members = {
        n: "" for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")
    }
    rels = "xl/_rels/workbook.xml.rels"
    if rels not in names:
        return members
    book = b"".join(_inflate(data, archive.getinfo("xl/workbook.xml")))
    titles = {}
    for tag in _SHEET_TAG.findall(book):
        name, rel_id = _NAME_ATTR.search(tag), _REL_ID_REF.search(tag)
        if name and rel_id:
            titles[rel_id.group(1)] = html.unescape(
                name.group(1).decode("utf-8", "replace")
            )
    for tag in _RELATIONSHIP.findall(b"".join(_inflate(data, archive.getinfo(rels)))):
        target, rel_id = _REL_TARGET.search(tag), _REL_ID.search(tag)
        if target and _SHEET_REL_TYPE.search(tag):
            path = html.unescape(target.group(1).decode("utf-8", "replace"))
            if path.startswith("/"):
                member = posixpath.normpath(path.lstrip("/"))
            else:
                member = posixpath.normpath(posixpath.join("xl", path))
            members[member] = titles.get(rel_id.group(1), "") if rel_id else ""
    return members


def _inflate(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield a member's bytes, verifying the declared size and the CRC.

    Decompresses the raw member data directly so that output beyond the
    declared size (a lying header) is detected, not silently cut off.
    """
    offset = info.header_offset
    try:
        header = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error as exc:
        raise FileUnreadable("damaged") from exc
    if header[0] != _LOCAL_HEADER_SIGNATURE:
        raise FileUnreadable("damaged")
    start = offset + _LOCAL_HEADER.size + header[9] + header[10]
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        raise FileUnreadable("damaged")
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterable[bytes] = (
            bytes(raw[i : i + _CHUNK]) for i in range(0, len(raw), _CHUNK)
        )
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(raw, info.file_size)
    else:
        raise FileUnreadable("damaged")
    total = 0
    crc = 0
    for piece in pieces:
        total += len(piece)
        if total > info.file_size:
            raise FileUnreadable("zip_bomb")
        crc = zlib.crc32(piece, crc)
        yield piece
    if total != info.file_size or crc != info.CRC:
        raise FileUnreadable("damaged")


def _deflated(raw: memoryview, declared: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for i in range(0, len(raw), _CHUNK):
            piece = inflater.decompress(raw[i : i + _CHUNK], _CHUNK)
            while True:
                produced += len(piece)
                if produced > declared:
                    raise FileUnreadable("zip_bomb")
                if piece:
                    yield piece
                if not inflater.unconsumed_tail:
                    break
                piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        rest = inflater.flush()
    except zlib.error as exc:
        raise FileUnreadable("damaged") from exc
    if produced + len(rest) > declared:
        raise FileUnreadable("zip_bomb")
    if rest:
        yield rest
    if not inflater.eof:
        raise FileUnreadable("damaged")


def _tag_aligned(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Re-cut a byte stream after a ``>`` so that no tag is split."""
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        cut = buffer.rfind(b">") + 1
        carry = buffer[cut:]
        if cut:
            yield buffer[:cut]
        if len(carry) > 16 * _CHUNK:
            raise FileUnreadable("damaged")
    if carry:
        yield carry


def _sheet_extent(chunks: Iterable[bytes]) -> tuple[int, int]:
    """The last used row and column (1-based) of a worksheet XML stream.

    Counts every cell element, as the parser will.  The common case, where
    every cell starts with its ``r`` reference, costs a few fast scans;
    cells written without a reference (or with it not first) take a slower
    path that bounds their position conservatively.
    """
    max_row = max_col = rows_seen = 0
    prefix: bytes | None = None
    for chunk in _tag_aligned(chunks):
        if prefix is None:
            found = _ROOT_PREFIX.search(chunk)
            if found:
                prefix = re.escape(found.group(1) or b"")
        cell = b"<" + (prefix or b"") + b"c"
        row_tag = b"<" + (prefix or b"") + b"row"
        rows_seen += chunk.count(row_tag + b" ") + chunk.count(row_tag + b">")
        digits = re.findall(cell + rb' r="[A-Z]{1,3}(\d{1,9})"', chunk)
        if digits:
            letters = set(re.findall(cell + rb' r="([A-Z]{1,3})\d', chunk))
            max_row = max(max_row, *map(int, set(digits)))
            max_col = max(max_col, *map(_column_number, letters))
        opened = chunk.count(cell + b" ") + chunk.count(cell + b">")
        if opened > len(digits):
            rows, cols = _extent_slow(chunk, cell, row_tag)
            max_row = max(max_row, rows + rows_seen)
            max_col = max(max_col, cols)
    return max_row, max_col


def _extent_slow(chunk: bytes, cell: bytes, row_tag: bytes) -> tuple[int, int]:
    """Bounds for cells whose reference is not first or is missing.

    A cell without a reference sits after the previous one, in a row after
    the previous row: bound it by the highest reference plus the count.
    """
    max_row = max_col = 0
    pattern = cell + rb'\b[^>]*?\sr="([A-Z]{1,3})(\d{1,9})"'
    for letters, digits in set(re.findall(pattern, chunk)):
        max_row = max(max_row, int(digits))
        max_col = max(max_col, _column_number(letters))
    for number in re.findall(row_tag + rb'\b[^>]*?\sr="(\d{1,9})"', chunk):
        max_row = max(max_row, int(number))
    widest = max(
        piece.count(cell + b" ") + piece.count(cell + b">")
        for piece in chunk.split(row_tag)
    )
    return max_row, max_col + widest


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows_with_merges(
    grid: Iterable[list[CellValue]], *, top: int, left: int, merges: list
) -> Iterator[Row]:
    """Yield the non-empty rows, copying each vertical merge down its rows.

    ``top`` and ``left`` are the 0-based row and column of ``grid``'s first
    cell; merged ranges are absolute.
    """
    starts: dict[int, list[tuple[int, int]]] = {}
    for (first_row, column), (last_row, _right) in merges:
        if last_row > first_row:
            starts.setdefault(first_row, []).append((column, last_row))
    active: list[tuple[int, int, CellValue]] = []  # (column, last row, value)
    empty: frozenset[int] = frozenset()
    padding = [None] * left
    for index, cells in enumerate(grid, start=top):
        if cells.count("") == len(cells):
            continue
        values = [None if value == "" else value for value in cells]
        if padding:
            values = padding + values
        merged = empty
        if active:
            active = [entry for entry in active if entry[1] >= index]
            filled = set()
            for column, _last, value in active:
                if column < len(values) and is_blank(values[column]):
                    values[column] = value
                    filled.add(column)
            merged = frozenset(filled) if filled else empty
        for column, last_row in starts.get(index, ()):
            if column < len(values) and not is_blank(values[column]):
                active.append((column, last_row, values[column]))
        yield Row(number=index + 1, values=values, merged=merged)
