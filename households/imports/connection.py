"""A database connection lost during an import: one message, one clean-up.

Every import (``import_roster``, ``import_elderly``, ``import_children``
and the browser's upload and confirm steps, households and care alike)
writes in one transaction, so when the server goes away mid-import
(restart, network cut, terminated backend) everything is rolled back and
a retry is safe.  The user is told so in the same words everywhere
(:data:`CONNECTION_LOST`) instead of getting a traceback or a 500.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.db.utils import InterfaceError, OperationalError

from config.log_filters import mask_id_numbers

logger = logging.getLogger(__name__)

CONNECTION_LOST = "数据库连接中断，本次导入未写入任何数据，请稍后重试"
# What the driver raises when the server or the network goes away.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def connection_lost(exc: BaseException, *, what: str) -> None:
    """Log a lost connection and drop it, so the next query reconnects.

    ``what`` names the step (``"household_roster batch 12 confirm"``): the
    log line carries it, the exception's class and its (masked) text — no
    ID number, no row of the file.  The connection is closed only outside
    any atomic block, like the job runner does: the import's own
    transaction has already been rolled back (or, when the rollback itself
    failed, Django has already closed the connection), and closing inside
    an outer transaction would break it.
    """
    logger.warning(
        "%s: database connection lost, the import was rolled back (%s: %s)",
        what,
        type(exc).__name__,
        mask_id_numbers(str(exc)).strip(),
    )
    if not connection.in_atomic_block:
        connection.close()
