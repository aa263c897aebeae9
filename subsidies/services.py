"""Writes on benefits: enrollments and temporary grants.

Every function here is keyword-only and atomic, validates with
``full_clean`` and Chinese messages, keeps the history with the channel as
the change reason (``source``: "表单", "导入批次#12", …) and schedules the
re-check of the household once the transaction commits
(``checklists.recheck.household_changed``).  Views, the admin, commands and
imports call these functions; none of them writes an ``Enrollment`` itself
(the demo's bulk seeding in ``subsidies.demo`` is the one exception).

``actor`` is the user on whose behalf the write happens.  Township staff
may write in their own township only, the bureau admin anywhere; anyone
else gets ``PermissionDenied``.  ``actor=None`` is the system itself (a
management command run by the operator, the demo); it skips the check.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from checklists import recheck
from households.models import Household, Member
from households.services import EditConflict

from .models import Benefit, BenefitType, Enrollment, TemporaryGrant
from .parameters import params_for
from .rules.derived import add_months, first_of_next_month
from .selectors import LIVE_STATUSES, whole_household_candidates

FORM = "表单"

EXTENSION_REASONS = (Enrollment.EndReason.EMPLOYMENT, Enrollment.EndReason.IMPROVED)

UPDATABLE_FIELDS = (
    "scope",
    "care_mode",
    "status",
    "start",
    "end",
    "end_reason",
    "amount",
    "review_date",
    "review_decision",
    "note",
)


# -- helpers -----------------------------------------------------------------


def check_can_edit(actor, household: Household) -> None:
    """``PermissionDenied`` unless ``actor`` may write in the household's area."""
    if actor is None:
        return
    if not actor.can_edit_township(household.township_id):
        raise PermissionDenied("您无权修改其他乡镇（街道）或只读范围内的救助记录")


def extension_period(
    review_date: datetime.date, *, months: int, start_rule: str
) -> tuple[datetime.date, datetime.date]:
    """The extension's first and last day (policy-rules.md, parameters).

    ``start_rule`` is ``extension_start``: ``month_after_review`` starts on
    the first day of the month after the review, ``review_date`` on the
    review day itself.  The extension lasts ``months`` calendar months: its
    last day is the day before ``start + months`` (clamped to month end).
    Review 2020-03-15, 6 months → 2020-04-01 … 2020-09-30
    (``month_after_review``) or 2020-03-15 … 2020-09-14 (``review_date``).
    """
    if start_rule == "review_date":
        start = review_date
    else:
        start = first_of_next_month(review_date)
    return start, add_months(start, months) - datetime.timedelta(days=1)


def _benefit(benefit: BenefitType | str) -> BenefitType:
    if isinstance(benefit, BenefitType):
        return benefit
    try:
        return BenefitType.objects.get(code=benefit)
    except BenefitType.DoesNotExist:
        raise ValidationError({"benefit": f"未知的救助/补贴项目“{benefit}”"}) from None


def _save(instance, *, actor, source: str, fields: list[str] | None = None) -> None:
    instance._change_reason = source
    if actor is not None:
        instance._history_user = actor
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "updated_at", "version"])


def _validate(enrollment: Enrollment, *, check_member: bool) -> None:
    """Rules of a well-formed enrollment, beyond the model's field checks.

    ``check_member``: refuse a running enrollment for a deceased or removed
    member (when one is recorded or its status changes; an enrollment that
    was already running when the member died can still be corrected).
    Policy-breaking combinations (tekun and dibao, a subsidy without dibao)
    are recorded, not refused: the rules report them.
    """
    errors: dict[str, str] = {}
    code = enrollment.benefit_id
    member = enrollment.member
    if code == Benefit.TEMPORARY_ASSISTANCE:
        errors["benefit"] = "临时救助是一次性发放，请用“登记临时救助”记录"
    if code == Benefit.DIBAO:
        if not enrollment.scope:
            errors["scope"] = "低保须选择保障方式：整户保或单人保"
    elif enrollment.scope:
        errors["scope"] = "保障方式（整户保/单人保）只适用于低保"
    if code == Benefit.TEKUN:
        if not enrollment.care_mode:
            errors["care_mode"] = "特困供养须选择供养方式：分散供养或集中供养"
    elif enrollment.care_mode:
        errors["care_mode"] = "供养方式（分散/集中）只适用于特困供养"
    if enrollment.start and enrollment.end and enrollment.end < enrollment.start:
        errors["end"] = "结束日期不能早于开始日期"
    if enrollment.status == Enrollment.Status.EXTENSION and code != Benefit.DIBAO:
        errors["status"] = "只有低保可以延保"
    if enrollment.amount is not None and enrollment.amount < 0:
        errors["amount"] = "月标准不能为负数"
    if enrollment.review_decision and not enrollment.review_date:
        errors["review_date"] = "填写复核结论时须填写复核日期"
    running = enrollment.status in LIVE_STATUSES
    if check_member and running and (member.deceased or member.removed):
        state = "已死亡" if member.deceased else "已移除"
        errors["member"] = (
            f"{member.name}{state}，不能享受救助/补贴；只能补录已停保的记录"
        )
    if errors:
        raise ValidationError(errors)
    enrollment.full_clean()


def _check_no_overlap(enrollment: Enrollment) -> None:
    """No second running enrollment of the same benefit at the same time."""
    if enrollment.status not in LIVE_STATUSES:
        return
    others = Enrollment.objects.filter(
        member_id=enrollment.member_id,
        benefit_id=enrollment.benefit_id,
        status__in=LIVE_STATUSES,
    ).exclude(pk=enrollment.pk)
    for other in others:
        starts_before_other_ends = (
            other.end is None
            or enrollment.start is None
            or enrollment.start <= other.end
        )
        other_starts_before_end = (
            enrollment.end is None
            or other.start is None
            or other.start <= enrollment.end
        )
        if starts_before_other_ends and other_starts_before_end:
            since = f"，{other.start:%Y-%m-%d}起" if other.start else ""
            raise ValidationError(
                f"{enrollment.member.name}已有{other.benefit.short_name}记录"
                f"（{other.get_status_display()}{since}），"
                "请修改原记录，或先为原记录办理停保"
            )


def validate_enrollment(enrollment: Enrollment, *, check_member: bool = True) -> None:
    """Every check a write makes, without writing (for the admin's form)."""
    _validate(enrollment, check_member=check_member)
    _check_no_overlap(enrollment)


def _changed(household_id: int) -> None:
    recheck.household_changed([household_id])


# -- enrollments -------------------------------------------------------------


@transaction.atomic
def enrollment_start(
    *,
    member: Member,
    benefit: BenefitType | str,
    scope: str = "",
    care_mode: str = "",
    status: str = Enrollment.Status.ACTIVE,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    end_reason: str = "",
    amount: Decimal | None = None,
    note: str = "",
    actor,
    source: str = FORM,
) -> Enrollment:
    """Record that ``member`` receives (or applied for) ``benefit``.

    ``status`` ``pending`` records an application; its ``start`` is the
    application date.  Scope is for dibao only (整户保/单人保), care mode
    for tekun only (分散/集中).  A deceased or removed member can only have
    an ended enrollment recorded; a second running enrollment of the same
    benefit over the same period is refused.
    """
    check_can_edit(actor, member.household)
    enrollment = _create(
        member=member,
        benefit=benefit,
        scope=scope,
        care_mode=care_mode,
        status=status,
        start=start,
        end=end,
        end_reason=end_reason,
        amount=amount,
        note=note,
        actor=actor,
        source=source,
    )
    _changed(member.household_id)
    return enrollment


def _create(*, member, benefit, actor, source, **fields) -> Enrollment:
    """Validate and save a new enrollment (no permission check, no hook)."""
    enrollment = Enrollment(member=member, benefit=_benefit(benefit))
    for name, value in fields.items():
        setattr(enrollment, name, value if value is not None else _blank(name))
    _validate(enrollment, check_member=True)
    _check_no_overlap(enrollment)
    _save(enrollment, actor=actor, source=source)
    return enrollment


@transaction.atomic
def enrollment_update(
    *,
    enrollment: Enrollment,
    actor,
    source: str = FORM,
    expected_version: int | None = None,
    **changes: Any,
) -> Enrollment:
    """Change the given fields of ``enrollment`` (names in UPDATABLE_FIELDS).

    Nothing is saved, and no history row written, when no value changes.
    ``expected_version`` guards against overwriting a colleague's change
    made since the form was opened.
    """
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(f"enrollment_update() cannot change {sorted(unknown)}")
    check_can_edit(actor, enrollment.member.household)
    if expected_version is not None:
        current = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        differing = [
            name
            for name, value in changes.items()
            if getattr(current, name) != (value if value is not None else _blank(name))
        ]
        if current.version != expected_version:
            if differing:
                raise EditConflict(current, differing)
            # A colleague already saved exactly this: nothing to do or lose.
            return current
    if _apply(enrollment, changes, actor=actor, source=source):
        _changed(enrollment.member.household_id)
    return enrollment


def _apply(enrollment: Enrollment, changes: dict, *, actor, source: str) -> bool:
    """Validate and save the changed fields (no permission check, no hook).

    Returns whether anything changed.
    """
    changed = [
        name
        for name, value in changes.items()
        if getattr(enrollment, name) != (value if value is not None else _blank(name))
    ]
    if not changed:
        return False
    for name in changed:
        value = changes[name]
        setattr(enrollment, name, value if value is not None else _blank(name))
    _validate(enrollment, check_member="status" in changed)
    _check_no_overlap(enrollment)
    enrollment.version += 1
    _save(enrollment, actor=actor, source=source, fields=changed)
    return True


def _blank(name: str):
    """The stored empty value of a field: "" for text, None for others."""
    field = Enrollment._meta.get_field(name)
    return None if field.null else ""


@transaction.atomic
def enrollment_end(
    *,
    enrollment: Enrollment,
    end: datetime.date,
    end_reason: str,
    actor,
    source: str = FORM,
) -> Enrollment:
    """Stop an enrollment (停保) on ``end`` for ``end_reason``."""
    if enrollment.status == Enrollment.Status.ENDED:
        raise ValidationError("该记录已停保")
    if not end:
        raise ValidationError({"end": "请填写停保日期"})
    if not end_reason:
        raise ValidationError({"end_reason": "请选择停保原因"})
    return enrollment_update(
        enrollment=enrollment,
        actor=actor,
        source=source,
        status=Enrollment.Status.ENDED,
        end=end,
        end_reason=end_reason,
    )


@transaction.atomic
def enrollment_suspend(
    *, enrollment: Enrollment, actor, note: str = "", source: str = FORM
) -> Enrollment:
    """Suspend a running enrollment (暂停); resume with ``enrollment_update``."""
    if enrollment.status not in (Enrollment.Status.ACTIVE, Enrollment.Status.EXTENSION):
        raise ValidationError(
            f"只有在保或延保的记录可以暂停，该记录为“{enrollment.get_status_display()}”"
        )
    changes: dict[str, Any] = {"status": Enrollment.Status.SUSPENDED}
    if note:
        changes["note"] = note
    return enrollment_update(
        enrollment=enrollment, actor=actor, source=source, **changes
    )


@transaction.atomic
def enrollment_extend(
    *,
    enrollment: Enrollment,
    review_date: datetime.date,
    actor,
    end_reason: str = "",
    source: str = FORM,
) -> Enrollment:
    """Grant the dibao extension (延保) decided at the review on ``review_date``.

    The extension period follows the parameters in force at the review
    (``extension_months``, ``extension_start``; see
    :func:`extension_period`).  The current enrollment ends the day before
    the extension starts (or keeps an earlier end it already had), with
    review decision ``extend`` and the end reason (employment or improved
    circumstances; default the one recorded, else improved).  The extension
    is an enrollment with status ``extension`` over the period, same scope
    and amount; an extension already starting that day is updated.

    A whole-household (整户) dibao is extended for the whole household:
    every member's household-scope dibao running on the review date (or
    ended for employment/improvement) is extended the same way.  Returns
    the extension of ``enrollment``'s member.
    """
    check_can_edit(actor, enrollment.member.household)
    if enrollment.benefit_id != Benefit.DIBAO:
        raise ValidationError("只有低保可以延保")
    if not review_date:
        raise ValidationError({"review_date": "请填写复核日期"})
    if enrollment.status not in (
        Enrollment.Status.ACTIVE,
        Enrollment.Status.SUSPENDED,
        Enrollment.Status.ENDED,
    ):
        raise ValidationError(
            f"“{enrollment.get_status_display()}”的记录不能办理延保，"
            "请选择在保或已停保的低保记录"
        )
    if end_reason and end_reason not in EXTENSION_REASONS:
        raise ValidationError(
            {"end_reason": "延保只适用于因就业或收入提高/改善而停保的情形"}
        )
    if (
        enrollment.status == Enrollment.Status.ENDED
        and enrollment.end_reason not in EXTENSION_REASONS
        and not end_reason
    ):
        raise ValidationError(
            f"该低保因“{enrollment.get_end_reason_display() or '未填写原因'}”停保，"
            "延保只适用于因就业或收入提高/改善而停保的情形"
        )
    params = params_for(review_date)
    start, last = extension_period(
        review_date,
        months=params.extension_months,
        start_rule=params.extension_start,
    )
    targets = [enrollment]
    if enrollment.scope == Enrollment.Scope.HOUSEHOLD:
        targets += [
            other
            for other in Enrollment.objects.select_related("member", "benefit")
            .filter(
                member__household_id=enrollment.member.household_id,
                member__removed=False,
                member__deceased=False,
                benefit_id=Benefit.DIBAO,
                scope=Enrollment.Scope.HOUSEHOLD,
            )
            .exclude(member_id=enrollment.member_id)
            .order_by("member_id", "pk")
            if _same_household_dibao(other, enrollment, review_date)
        ]
    extensions = [
        _extend_one(
            current,
            review_date=review_date,
            start=start,
            last=last,
            end_reason=end_reason,
            actor=actor,
            source=source,
        )
        for current in targets
    ]
    _changed(enrollment.member.household_id)
    return extensions[0]


def _same_household_dibao(
    other: Enrollment, enrollment: Enrollment, review_date: datetime.date
) -> bool:
    """Whether ``other`` is part of the same whole-household dibao.

    For a running enrollment: another member's one running at the review;
    for an ended one: another member's ended on the same day for the same
    kind of reason.
    """
    if enrollment.status == Enrollment.Status.ENDED:
        return (
            other.status == Enrollment.Status.ENDED
            and other.end == enrollment.end
            and other.end_reason in EXTENSION_REASONS
            and other.review_decision != Enrollment.ReviewDecision.EXTEND
        )
    return (
        other.status in (Enrollment.Status.ACTIVE, Enrollment.Status.SUSPENDED)
        and (other.start is None or other.start <= review_date)
        and (other.end is None or other.end >= review_date)
    )


def _extend_one(
    current: Enrollment,
    *,
    review_date: datetime.date,
    start: datetime.date,
    last: datetime.date,
    end_reason: str,
    actor,
    source: str,
) -> Enrollment:
    day_before = start - datetime.timedelta(days=1)
    end = current.end if current.end and current.end < day_before else day_before
    if current.start and end < current.start:
        raise ValidationError(
            f"{current.member.name}的低保{current.start:%Y-%m-%d}才开始，"
            "不能在此之前延保，请核对复核日期"
        )
    reason = end_reason or (
        current.end_reason
        if current.end_reason in EXTENSION_REASONS
        else Enrollment.EndReason.IMPROVED
    )
    _apply(
        current,
        {
            "status": Enrollment.Status.ENDED,
            "end": end,
            "end_reason": reason,
            "review_date": review_date,
            "review_decision": Enrollment.ReviewDecision.EXTEND,
        },
        actor=actor,
        source=source,
    )
    existing = Enrollment.objects.filter(
        member_id=current.member_id,
        benefit_id=Benefit.DIBAO,
        status=Enrollment.Status.EXTENSION,
        start=start,
    ).first()
    if existing is not None:
        _apply(
            existing,
            {"end": last, "scope": current.scope, "amount": current.amount},
            actor=actor,
            source=source,
        )
        return existing
    return _create(
        member=current.member,
        benefit=current.benefit,
        scope=current.scope,
        status=Enrollment.Status.EXTENSION,
        start=start,
        end=last,
        amount=current.amount,
        note=f"{review_date:%Y-%m-%d}复核决定延保",
        actor=actor,
        source=source,
    )


@transaction.atomic
def enrollment_review(
    *,
    enrollment: Enrollment,
    review_date: datetime.date,
    decision: str,
    actor,
    end_reason: str = "",
    source: str = FORM,
) -> Enrollment:
    """Record a review (复核) and carry out its decision.

    ``continue`` records the review only.  ``extend`` grants the extension
    (:func:`enrollment_extend`) and returns the extension.  ``end`` stops a
    running enrollment on the review date for ``end_reason``; on an
    enrollment already ended it records the decision only (the exit review
    of a household lifted out of poverty).
    """
    if decision not in Enrollment.ReviewDecision.values:
        raise ValidationError({"review_decision": "请选择复核结论"})
    if not review_date:
        raise ValidationError({"review_date": "请填写复核日期"})
    if decision == Enrollment.ReviewDecision.EXTEND:
        return enrollment_extend(
            enrollment=enrollment,
            review_date=review_date,
            actor=actor,
            end_reason=end_reason,
            source=source,
        )
    changes: dict[str, Any] = {"review_date": review_date, "review_decision": decision}
    if (
        decision == Enrollment.ReviewDecision.END
        and enrollment.status != Enrollment.Status.ENDED
    ):
        if not end_reason:
            raise ValidationError({"end_reason": "复核结论为停保时，请选择停保原因"})
        changes.update(
            status=Enrollment.Status.ENDED, end=review_date, end_reason=end_reason
        )
    return enrollment_update(
        enrollment=enrollment, actor=actor, source=source, **changes
    )


@transaction.atomic
def enrollment_delete(*, enrollment: Enrollment, actor, source: str = FORM) -> None:
    """Delete an enrollment recorded by mistake (the history keeps it)."""
    check_can_edit(actor, enrollment.member.household)
    household_id = enrollment.member.household_id
    enrollment._change_reason = source
    if actor is not None:
        enrollment._history_user = actor
    enrollment.delete()
    _changed(household_id)


@transaction.atomic
def dibao_whole_household_start(
    *,
    household: Household,
    start: datetime.date,
    amount: Decimal | None,
    actor,
    status: str = Enrollment.Status.ACTIVE,
    source: str = FORM,
) -> list[Enrollment]:
    """Whole-household dibao (整户保): one enrollment per covered member.

    Covered: every living, non-removed member not on tekun at ``start``
    (:func:`~subsidies.selectors.whole_household_candidates`).  A member
    with a running dibao enrollment already is left as is, except a
    pending whole-household application, which becomes the active
    enrollment from ``start`` when ``status`` is ``active`` (approval).
    ``status`` ``pending`` records a whole-household application.  Returns
    the enrollments created or approved.
    """
    check_can_edit(actor, household)
    if not start:
        raise ValidationError({"start": "请填写开始日期"})
    if status not in (Enrollment.Status.ACTIVE, Enrollment.Status.PENDING):
        raise ValidationError({"status": "整户保只能登记为在保或待审批"})
    candidates = [
        (member, pending)
        for member, reason, pending in whole_household_candidates(household, start)
        if not reason and not (pending and status == Enrollment.Status.PENDING)
    ]
    if not candidates:
        raise ValidationError(
            "本户没有可纳入整户保的成员：在世成员均已享受特困供养或已有低保记录"
        )
    benefit = BenefitType.objects.get(code=Benefit.DIBAO)
    result = []
    for member, pending in candidates:
        if pending is not None:
            _apply(
                pending,
                {"status": status, "start": start, "amount": amount},
                actor=actor,
                source=source,
            )
            result.append(pending)
        else:
            result.append(
                _create(
                    member=member,
                    benefit=benefit,
                    scope=Enrollment.Scope.HOUSEHOLD,
                    status=status,
                    start=start,
                    amount=amount,
                    actor=actor,
                    source=source,
                )
            )
    _changed(household.pk)
    return result


# -- temporary grants --------------------------------------------------------


@transaction.atomic
def grant_record(
    *,
    member: Member,
    date: datetime.date,
    amount: Decimal,
    grant_type: str = "",
    reason: str = "",
    actor,
    source: str = FORM,
) -> TemporaryGrant:
    """Record a temporary-assistance payment (临时救助) to ``member``."""
    check_can_edit(actor, member.household)
    errors = {}
    if member.removed:
        errors["member"] = f"{member.name}已移除，不能登记临时救助"
    if date and date > timezone.localdate():
        errors["date"] = "救助日期不能晚于今天"
    if amount is not None and amount <= 0:
        errors["amount"] = "救助金额须大于0"
    if errors:
        raise ValidationError(errors)
    grant = TemporaryGrant(
        member=member,
        date=date,
        amount=amount,
        grant_type=grant_type or "",
        reason=reason or "",
    )
    grant.full_clean()
    grant._change_reason = source
    if actor is not None:
        grant._history_user = actor
    grant.save()
    _changed(member.household_id)
    return grant


@transaction.atomic
def grant_delete(*, grant: TemporaryGrant, actor, source: str = FORM) -> None:
    """Delete a grant recorded by mistake (the history keeps it)."""
    check_can_edit(actor, grant.member.household)
    household_id = grant.member.household_id
    grant._change_reason = source
    if actor is not None:
        grant._history_user = actor
    grant.delete()
    _changed(household_id)
