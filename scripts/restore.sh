#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into a NEW database (and a new, empty
# media directory), then verify every table's count, a sample of records,
# the sequences and every file against the backup's manifest.  Exit 1 on any
# difference.  Never overwrites an existing database or directory.
#
#   scripts/restore.sh BACKUP_DIR --database-url postgres://…/portal_restored \
#       [--media-root /srv/portal/media-restored] [--jobs 2]
#
# See docs/operations.md and ops/backup.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
exec "$PYTHON" "$ROOT/ops/backup.py" restore "$@"
