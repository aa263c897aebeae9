"""Send report reads to a PostgreSQL streaming replica when one is configured.

Only code that asks for it reads from the replica: the progress report and
its export run inside :func:`replica_reads`.  Everything else — and every
write — stays on the primary, so nobody reads their own change from a
replica that has not caught up yet.  Without ``DATABASE_REPLICA_URL`` the
alias ``replica`` does not exist and everything uses ``default``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_state = threading.local()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Within this block, reads go to the replica (when there is one)."""
    previous = getattr(_state, "on", False)
    _state.on = True
    try:
        yield
    finally:
        _state.on = previous


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "on", False) and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
