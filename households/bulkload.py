"""Bulk writes with history rows: PostgreSQL ``COPY``, else the ORM.

The roster import (tens of thousands of rows, roster-format.md's bar) and
``generate_demo`` (up to 300,000 households, issue #8) write rows in bulk
with django-simple-history rows beside them.  Django's ``bulk_create``
spends most of its time compiling parameters, and simple-history builds a
second model instance per row.  On PostgreSQL this module instead:

- draws the primary keys from the table's sequence in one query, so callers
  can link children to parents before anything is written;
- streams the rows and their history rows ("+" created, "~" changed) with
  ``COPY … FROM STDIN`` in PostgreSQL's text format;
- applies updates by copying the changed columns into a temporary table and
  running one ``UPDATE … FROM``.

The rows are what the ORM path writes (same columns, defaults, ``auto_now``
values, history user, date and reason; tests/households/test_bulkload.py
compares both).  On other databases the functions are simple-history's
``bulk_create_with_history`` and ``bulk_update_with_history``.  No
validation and no signals, like ``bulk_create``.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence
from operator import attrgetter

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history as orm_bulk_create_with_history,
)
from simple_history.utils import (
    bulk_update_with_history as orm_bulk_update_with_history,
)

BATCH_SIZE = 2000
# Rows per COPY statement: bounds the text held in memory at once.
COPY_ROWS = 20_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def bulk_create_with_history(
    objs: list,
    model,
    *,
    reason: str,
    user=None,
    date: datetime.datetime | None = None,
) -> list:
    """Insert ``objs`` (unsaved) and their "+" history rows; return ``objs``.

    The objects come back with primary keys set, on every database.
    """
    if not objs:
        return objs
    date = date or timezone.now()
    if connection.vendor != "postgresql":
        saved = orm_bulk_create_with_history(
            objs,
            model,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        for obj, with_pk in zip(objs, saved, strict=True):
            obj.pk = with_pk.pk
        return objs
    fields = model._meta.concrete_fields
    stamped = [f for f in fields if _is_stamp(f, adding=True)]
    with transaction.atomic(savepoint=False):
        _assign_keys(objs, model)
        for obj in objs:
            for field in stamped:
                setattr(obj, field.attname, date)
            obj._state.adding = False
            obj._state.db = connection.alias
        _copy(model._meta.db_table, fields, objs)
        _copy_history(model, objs, type_="+", reason=reason, user=user, date=date)
    return objs


def bulk_update_with_history(
    objs: Sequence,
    model,
    fields: Iterable[str],
    *,
    reason: str,
    user=None,
    date: datetime.datetime | None = None,
) -> int:
    """Write ``fields`` of saved ``objs`` and their "~" history rows."""
    objs = list(objs)
    names = sorted(set(fields))
    if not objs or not names:
        return 0
    date = date or timezone.now()
    if connection.vendor != "postgresql":
        orm_bulk_update_with_history(
            objs,
            model,
            names,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
            default_date=date,
        )
        return len(objs)
    opts = model._meta
    changed = [opts.get_field(name) for name in names]
    for field in opts.concrete_fields:
        if _is_stamp(field, adding=False):
            for obj in objs:
                setattr(obj, field.attname, date)
            if field not in changed:
                changed.append(field)
    quote = connection.ops.quote_name
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    columns = [quote(f.column) for f in changed]
    # Identifiers come from model metadata, quoted; the values go by COPY.
    create_sql = (
        f"CREATE TEMP TABLE bulkload_changes ON COMMIT DROP AS "  # noqa: S608
        f"SELECT {pk}, {', '.join(columns)} FROM {table} WITH NO DATA"
    )
    assignments = ", ".join(f"{c} = bulkload_changes.{c}" for c in columns)
    update_sql = (
        f"UPDATE {table} SET {assignments} FROM bulkload_changes "  # noqa: S608
        f"WHERE {table}.{pk} = bulkload_changes.{pk}"
    )
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(create_sql)
        _copy("bulkload_changes", [opts.pk, *changed], objs)
        cursor.execute(update_sql)
        cursor.execute("DROP TABLE bulkload_changes")
        _copy_history(model, objs, type_="~", reason=reason, user=user, date=date)
    return len(objs)


def _is_stamp(field, *, adding: bool) -> bool:
    return getattr(field, "auto_now", False) or (
        adding and getattr(field, "auto_now_add", False)
    )


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


def _copy_history(model, objs, *, type_: str, reason: str, user, date) -> None:
    manager = getattr(model, "history", None)
    if manager is None:
        return
    history_model = manager.model
    tracked = {field.attname for field in history_model.tracked_fields}
    fixed = {
        "history_date": date,
        "history_user_id": getattr(user, "pk", None),
        "history_change_reason": reason,
        "history_type": type_,
    }
    fields = [
        field
        for field in history_model._meta.concrete_fields
        if field.attname in tracked or field.attname in fixed
    ]
    _copy(history_model._meta.db_table, fields, objs, fixed=fixed)


def _copy(table: str, fields, objs, *, fixed: dict | None = None) -> None:
    """``COPY table (fields) FROM STDIN`` with the objects' values.

    ``fixed`` maps attnames to one value for every row (the history columns):
    formatted once and appended to each line.
    """
    fixed = fixed or {}
    varying = [f for f in fields if f.attname not in fixed]
    constant = [f for f in fields if f.attname in fixed]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [*varying, *constant])
    sql = f"COPY {quote(table)} ({names}) FROM STDIN"
    tail = "".join("\t" + _formatter(f)(fixed[f.attname]) for f in constant) + "\n"
    values = attrgetter(*(f.attname for f in varying))
    formatters = [_formatter(f) for f in varying]
    if len(varying) == 1:
        values = (lambda get: lambda obj: (get(obj),))(values)
    plain = all(fmt is copy_text for fmt in formatters)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), COPY_ROWS):
            chunk = objs[start : start + COPY_ROWS]
            if plain:
                lines = ("\t".join(map(copy_text, values(obj))) + tail for obj in chunk)
            else:
                lines = (
                    "\t".join(
                        fmt(value)
                        for fmt, value in zip(formatters, values(obj), strict=True)
                    )
                    + tail
                    for obj in chunk
                )
            copy_from(cursor, sql, "".join(lines))


def copy_from(cursor, sql: str, text: str, *, one_block: bool = False) -> None:
    """Send ``text`` (COPY text format) to a ``COPY … FROM STDIN``.

    ``one_block`` hands the whole text to the driver at once: every block
    releases the interpreter to other threads and waits to get it back
    (the rule run's worker thread, checklists/evaluation.py).
    """
    raw = cursor.cursor
    # The driver's own call bypasses Django's error translation: a lost
    # connection must still raise django.db.utils.OperationalError.
    with connection.wrap_database_errors:
        if hasattr(raw, "copy_expert"):  # psycopg 2
            if one_block:
                raw.copy_expert(sql, io.StringIO(text), size=max(len(text), 1))
            else:
                raw.copy_expert(sql, io.StringIO(text))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(text)


def _formatter(field: models.Field):
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: (
            r"\N" if value is None else copy_text(json.dumps(value, cls=encoder))
        )
    return copy_text


def copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if value is None:
        return r"\N"
    if kind is bool:
        return "t" if value else "f"
    if kind is int:
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).translate(_ESCAPES)
