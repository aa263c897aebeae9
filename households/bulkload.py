"""Bulk writes with history for generated data: PostgreSQL ``COPY``, else ORM.

``generate_demo`` writes hundreds of thousands of rows (issue #8 asks for
300,000 households).  Django's ``bulk_create`` spends most of its time
compiling parameters, and django-simple-history builds a second model
instance per row for the history table.  On PostgreSQL this module instead:

- takes the primary keys from the table's sequence in one query, so the
  callers can link children to parents before anything is written;
- streams the rows and their history rows ("+" created, "~" changed) with
  ``COPY … FROM STDIN`` in PostgreSQL's text format;
- applies updates by copying the changed columns into a temporary table and
  running one ``UPDATE … FROM``.

The rows are exactly what the ORM path writes (same columns, defaults,
``auto_now`` values and history reason); on other databases the functions
are django-simple-history's ``bulk_create_with_history`` and
``bulk_update_with_history``.  Only for trusted, generated objects: no
validation and no signals, like ``bulk_create``.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history as orm_bulk_create_with_history,
)
from simple_history.utils import (
    bulk_update_with_history as orm_bulk_update_with_history,
)

BATCH_SIZE = 2000
_HISTORY_COLUMNS = {
    "history_date",
    "history_user_id",
    "history_change_reason",
    "history_type",
}


def bulk_create_with_history(objs: list, model, *, reason: str) -> list:
    """Insert ``objs`` (unsaved) and their "+" history rows; return ``objs``.

    The objects come back with primary keys set, on every database.
    """
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return orm_bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_change_reason=reason
        )
    now = timezone.now()
    with transaction.atomic():
        _assign_keys(objs, model)
        fields = model._meta.concrete_fields
        for obj in objs:
            for field in fields:
                if getattr(field, "auto_now", False) or getattr(
                    field, "auto_now_add", False
                ):
                    setattr(obj, field.attname, now)
            obj._state.adding = False
            obj._state.db = connection.alias
        _copy(model._meta.db_table, fields, objs)
        _copy_history(model, objs, history_type="+", reason=reason, when=now)
    return objs


def bulk_update_with_history(
    objs: Sequence, model, fields: Iterable[str], *, reason: str
) -> int:
    """Write ``fields`` of saved ``objs`` and their "~" history rows."""
    objs = list(objs)
    names = sorted(fields)
    if not objs or not names:
        return 0
    if connection.vendor != "postgresql":
        return orm_bulk_update_with_history(
            objs, model, names, batch_size=BATCH_SIZE, default_change_reason=reason
        )
    opts = model._meta
    changed = [opts.get_field(name) for name in names]
    now = timezone.now()
    for obj in objs:
        for field in opts.concrete_fields:
            if getattr(field, "auto_now", False):
                setattr(obj, field.attname, now)
                if field not in changed:
                    changed.append(field)
    table = connection.ops.quote_name(opts.db_table)
    pk_column = connection.ops.quote_name(opts.pk.column)
    columns = [connection.ops.quote_name(f.column) for f in changed]
    # Identifiers come from model metadata, quoted; the values go by COPY.
    create_sql = (
        f"CREATE TEMP TABLE bulkload_changes ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {pk_column}, {', '.join(columns)} FROM {table} WITH NO DATA"
    )
    assignments = ", ".join(f"{c} = bulkload_changes.{c}" for c in columns)
    update_sql = (
        f"UPDATE {table} SET {assignments} FROM bulkload_changes "  # noqa: S608
        f"WHERE {table}.{pk_column} = bulkload_changes.{pk_column}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(create_sql)
        _copy("bulkload_changes", [opts.pk, *changed], objs)
        cursor.execute(update_sql)
        cursor.execute("DROP TABLE bulkload_changes")
        _copy_history(model, objs, history_type="~", reason=reason, when=now)
    return len(objs)


def _assign_keys(objs: list, model) -> None:
    """Reserve primary keys for ``objs`` from the table's sequence."""
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(objs)],
        )
        for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = key


def _copy_history(model, objs, *, history_type: str, reason: str, when) -> None:
    history_model = getattr(model, "history", None)
    if history_model is None:
        return
    history_model = history_model.model
    tracked = {field.attname for field in history_model.tracked_fields}
    fields = [
        field
        for field in history_model._meta.concrete_fields
        if field.attname in tracked or field.attname in _HISTORY_COLUMNS
    ]
    fixed = {
        "history_date": when,
        "history_user_id": None,
        "history_change_reason": reason,
        "history_type": history_type,
    }
    _copy(history_model._meta.db_table, fields, objs, fixed=fixed)


def _copy(table: str, fields, objs, *, fixed: dict | None = None) -> None:
    """``COPY table (fields) FROM STDIN`` with the objects' values."""
    fixed = fixed or {}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
    formatters = [_formatter(field) for field in fields]
    attnames = [field.attname for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE * 10):
            buffer = io.StringIO()
            for obj in objs[start : start + BATCH_SIZE * 10]:
                buffer.write(
                    "\t".join(
                        fmt(fixed[name] if name in fixed else getattr(obj, name))
                        for name, fmt in zip(attnames, formatters, strict=True)
                    )
                )
                buffer.write("\n")
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)


def _formatter(field: models.Field):
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: (
            r"\N"
            if value is None
            else _text(json.dumps(value, cls=encoder, ensure_ascii=False))
        )
    return _value


def _value(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    return _text(str(value))


def _text(value: str) -> str:
    """Escape for COPY's text format (backslash, tab, newline, return)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value
