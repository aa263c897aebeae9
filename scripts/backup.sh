#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump -Fc), MEDIA_ROOT (tar)
# and a manifest of counts and sample digests, in one directory.
#
#   scripts/backup.sh [--output-dir DIR] [--database-url URL] [--media-root DIR]
#
# DATABASE_URL and MEDIA_ROOT default to the environment (load the portal's
# env file first: set -a; . /etc/portal/portal.env; set +a).
# See docs/operations.md and ops/backup.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
exec "$PYTHON" "$ROOT/ops/backup.py" create "$@"
