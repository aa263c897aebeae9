"""Dated policy parameters: read the values in force, write a new one.

The domain of every parameter (label, accepted values, defaults, the dated
default of ``tekun_minor_age``) lives in the pure rules module
(``subsidies.rules.params``); this module is its ORM face.  Reads resolve
every parameter for one date in one query; writes go through
:func:`parameter_set`, which the browser page, the admin and the
``set_parameter`` command share.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import PolicyParameter
from .rules.params import (
    BOOL,
    CARE_MODE_LABELS,
    CARE_MODES,
    DECIMAL,
    PARAMETER_SPECS,
    PER_CARE_MODE,
    ParameterSpec,
    Params,
    coerce_value,
    get_spec,
    parse_value,
    resolve_params,
)

PLACEHOLDER_NOTE = "示例值，非本县正式标准"


def params_for(day: datetime.date) -> Params:
    """Every parameter in force at ``day``, spec defaults filling the gaps.

    One query for all parameters: the rows dated on or before ``day``.
    """
    rows = PolicyParameter.objects.filter(effective_from__lte=day).values_list(
        "name", "effective_from", "value"
    )
    return resolve_params(day, list(rows))


def _stored(spec: ParameterSpec, typed: Any) -> Any:
    """The JSON form of a typed value (decimals as text, never floats)."""
    if spec.domain == DECIMAL:
        return str(typed)
    return typed


def display_value(name: str, value: Any) -> str:
    """A typed or stored value as an admin reads it, in Chinese."""
    spec = get_spec(name)
    if value is None:
        return "未设置"
    typed = coerce_value(name, value) if not isinstance(value, dict) else value
    if spec.domain == PER_CARE_MODE:
        return "；".join(
            f"{CARE_MODE_LABELS[mode]}：{spec.choice_label(typed[mode])}"
            for mode in CARE_MODES
            if mode in typed
        )
    if spec.domain == BOOL:
        return "是" if typed else "否"
    if spec.domain == DECIMAL:
        text = f"{Decimal(typed):,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return f"{text} {spec.unit}".strip()
    if spec.choices:
        return spec.choice_label(typed)
    return f"{typed} {spec.unit}".strip()


@transaction.atomic
def parameter_set(
    *,
    name: str,
    value_text: str,
    effective_from: datetime.date,
    actor=None,
    is_placeholder: bool = False,
    note: str = "",
    source: str = "表单",
) -> PolicyParameter:
    """Record a dated value of ``name`` from ``effective_from``.

    ``value_text`` is validated against the parameter's domain.  For
    ``tekun_may_get_nursing`` it is ``MODE=CHOICE`` and changes that care
    mode only: the stored value carries the other mode's value in force at
    ``effective_from``.  A value already recorded for the same date is
    replaced (the history keeps the old one).  Raises ``ValidationError``
    with a Chinese message for an unknown name, a bad value or no date.
    """
    try:
        spec = get_spec(name)
        typed = parse_value(name, value_text)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if not isinstance(effective_from, datetime.date):
        raise ValidationError("请填写生效日期（YYYY-MM-DD）")
    if spec.domain == PER_CARE_MODE:
        mode, choice = typed
        in_force = getattr(params_for(effective_from), name)
        value = {**in_force, mode: choice}
    else:
        value = _stored(spec, typed)

    parameter = PolicyParameter.objects.filter(
        name=name, effective_from=effective_from
    ).first()
    if parameter is None:
        parameter = PolicyParameter(name=name, effective_from=effective_from)
    parameter.value = value
    parameter.is_placeholder = is_placeholder
    parameter.note = note or (PLACEHOLDER_NOTE if is_placeholder else "")
    parameter.set_by = actor
    parameter.full_clean()
    parameter._change_reason = source
    if actor is not None:
        parameter._history_user = actor
    parameter.save()
    return parameter


@dataclass
class ParameterRow:
    """One parameter on the admin page: the value now and its history.

    ``form`` is the page's form for a new value (set by the view).
    """

    spec: ParameterSpec
    current: str
    current_is_default: bool
    current_placeholder: bool
    history: list[PolicyParameter]
    form: Any = None


def parameter_overview(day: datetime.date) -> list[ParameterRow]:
    """Every parameter with its value at ``day`` and its dated values.

    One query: all stored rows, newest first per parameter.
    """
    stored: dict[str, list[PolicyParameter]] = {name: [] for name in PARAMETER_SPECS}
    for row in PolicyParameter.objects.select_related("set_by").order_by(
        "name", "-effective_from"
    ):
        if row.name in stored:
            stored[row.name].append(row)
    params = resolve_params(
        day,
        [
            (row.name, row.effective_from, row.value)
            for rows in stored.values()
            for row in rows
        ],
    )
    overview = []
    for name, spec in PARAMETER_SPECS.items():
        rows = stored[name]
        for row in rows:
            row.display = display_value(name, row.value)
            row.in_force = False
        in_force = next((row for row in rows if row.effective_from <= day), None)
        if in_force is not None:
            in_force.in_force = True
        overview.append(
            ParameterRow(
                spec=spec,
                current=display_value(name, getattr(params, name)),
                current_is_default=in_force is None,
                current_placeholder=bool(in_force and in_force.is_placeholder),
                history=rows,
            )
        )
    return overview
