"""Resident ID numbers (公民身份号码, GB 11643-1999).

One module for forms, imports, the admin and the rules: normalise what
villages type, validate, upgrade legacy 15-digit numbers, and derive sex,
birth date and age.  Pure Python, no ORM.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

COUNTY_CODE = "371521"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"

# ASCII space, tab, full-width space, non-breaking space and friends.
_SPACES = re.compile(r"[\s\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_SCIENTIFIC = re.compile(r"^[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+$", re.ASCII)
_DIGITS = frozenset("0123456789")


def _ascii_digits(text: str) -> bool:
    # str.isdigit() also accepts '²', '٣' and other non-ASCII digits.
    return bool(text) and set(text) <= _DIGITS


# Error codes shared with the roster import (roster-format.md §3).
INVALID_FORMAT = "id_invalid_format"
INVALID_CHECKSUM = "id_invalid_checksum"
INVALID_DATE = "id_invalid_date"
NUMERIC_PRECISION_LOST = "id_numeric_precision_lost"

MESSAGES = {
    INVALID_FORMAT: "身份证号码格式不正确：应为18位（17位数字加1位校验码），请核对后重新填写",
    INVALID_CHECKSUM: "身份证号码校验码不正确，请逐位核对后重新填写",
    INVALID_DATE: "身份证号码中的出生日期不存在，请核对后重新填写",
    NUMERIC_PRECISION_LOST: "身份证号码被存为数字，后三位已丢失，请将该列设为文本后重新录入",
}


class IdNumberError(ValueError):
    """An ID number that cannot be accepted; ``code`` is the import code."""

    def __init__(self, code: str):
        super().__init__(MESSAGES[code])
        self.code = code
        self.message = MESSAGES[code]


@dataclass(frozen=True)
class ParsedId:
    number: str
    upgraded: bool  # True when a 15-digit number was upgraded to 18

    @property
    def birth_date(self) -> datetime.date:
        return birth_date(self.number)

    @property
    def sex(self) -> str:
        return sex(self.number)

    @property
    def is_local(self) -> bool:
        return self.number.startswith(COUNTY_CODE)


def normalize(value: str) -> str:
    """Remove spaces and a leading apostrophe, convert full-width, upper x."""
    text = _SPACES.sub("", str(value)).translate(_FULL_WIDTH)
    text = text.lstrip("'\u2018\u2019")
    return text.upper()


def check_char(first17: str) -> str:
    total = sum((ord(d) - 48) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _date_of(digits: str) -> datetime.date | None:
    try:
        return datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def parse(value, *, numeric_cell: bool = False) -> ParsedId:
    """Normalise and validate ``value``; raise :class:`IdNumberError`.

    ``numeric_cell`` is True when Excel stored the cell as a number: Excel
    keeps only 15 significant digits, so the number cannot be trusted.
    """
    if numeric_cell or isinstance(value, (int, float)) and not isinstance(value, bool):
        raise IdNumberError(NUMERIC_PRECISION_LOST)
    text = normalize(value)
    if _SCIENTIFIC.match(text):
        raise IdNumberError(NUMERIC_PRECISION_LOST)
    upgraded = False
    if len(text) == 15 and _ascii_digits(text):
        if _date_of("19" + text[6:12]) is None:
            raise IdNumberError(INVALID_DATE)
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_char(first17)
        upgraded = True
    if len(text) != 18 or not _ascii_digits(text[:17]) or text[17] not in "0123456789X":
        raise IdNumberError(INVALID_FORMAT)
    born = _date_of(text[6:14])
    if born is None or born.year < 1850:
        raise IdNumberError(INVALID_DATE)
    if check_char(text[:17]) != text[17]:
        raise IdNumberError(INVALID_CHECKSUM)
    return ParsedId(number=text, upgraded=upgraded)


def is_valid(value) -> bool:
    try:
        parse(value)
    except IdNumberError:
        return False
    return True


def birth_date(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex(number: str) -> str:
    """``male`` or ``female`` from the 17th digit (odd = male)."""
    return "male" if int(number[16]) % 2 else "female"


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Full years (周岁) at ``on``; a Feb-29 birthday counts on Mar-1."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def mask(number: str | None) -> str:
    """``371521********0013``: the address code and the last four only."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]
