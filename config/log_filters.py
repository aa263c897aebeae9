"""Logging filter: no full resident ID number ever reaches a log file.

Log lines travel further than the database (log collectors, e-mails to
operators, screenshots in tickets), so every record passing a handler
with this filter has its 18-character ID numbers (and the 20-character
disability certificate numbers that begin with one) masked the way the
pages show them: ``371521********0013``.
"""

from __future__ import annotations

import logging
import re

# 6 address digits, 8 birth-date digits, 3 sequence digits, the check
# character; a certificate adds category and grade.  Not part of a longer
# run of letters or digits (household numbers, hashes).
ID_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(\d{2})?(?![0-9A-Za-z])"
)


def mask_id_numbers(text: str) -> str:
    """Replace every ID number in ``text`` by its masked form."""
    return ID_NUMBER.sub(
        lambda m: m.group(1) + "*" * 8 + m.group(2) + (m.group(3) or ""), text
    )


class MaskIdNumbers(logging.Filter):
    """Mask ID numbers in the message, its arguments and any traceback."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers(record.stack_info)
        return True
