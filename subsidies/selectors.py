"""Multi-model reads of benefits for pages (the household's benefit panel)."""

from __future__ import annotations

from django.db.models import Prefetch

from households.models import Household, Member

from .models import Benefit, Enrollment, TemporaryGrant

# Statuses of an enrollment still running or asked for.
LIVE_STATUSES = (
    Enrollment.Status.PENDING,
    Enrollment.Status.ACTIVE,
    Enrollment.Status.EXTENSION,
    Enrollment.Status.SUSPENDED,
)


def enrollments_prefetch() -> Prefetch:
    """Each member's enrollments with their benefit, in catalogue order."""
    return Prefetch(
        "enrollments",
        queryset=Enrollment.objects.select_related("benefit").order_by(
            "benefit__order", "-start", "-pk"
        ),
    )


def grants_prefetch() -> Prefetch:
    return Prefetch("grants", queryset=TemporaryGrant.objects.order_by("-date", "-pk"))


def household_benefits(household: Household, *, include_removed: bool = False):
    """The household's members with enrollments and grants prefetched.

    Three queries whatever the household's size: members, enrollments
    (with the benefit), grants.  Removed members are left out unless asked.
    """
    members = Member.objects.filter(household=household)
    if not include_removed:
        members = members.filter(removed=False)
    return list(
        members.prefetch_related(enrollments_prefetch(), grants_prefetch()).order_by(
            "pk"
        )
    )


def _on_tekun(member: Member, day) -> bool:
    return any(
        e.benefit_id == Benefit.TEKUN and e.is_active_on(day)
        for e in member.enrollments.all()
    )


def _running_dibao(member: Member, day) -> Enrollment | None:
    return next(
        (
            e
            for e in member.enrollments.all()
            if e.benefit_id == Benefit.DIBAO
            and e.status in LIVE_STATUSES
            and (e.end is None or e.end >= day)
        ),
        None,
    )


def whole_household_candidates(
    household: Household, day
) -> list[tuple[Member, str, Enrollment | None]]:
    """Who a whole-household dibao from ``day`` covers, and who not, why.

    Every living, non-removed member as ``(member, reason, pending)``:
    ``reason`` is "" when covered, else why not in Chinese (on tekun at
    ``day``, or a running dibao enrollment already); ``pending`` is the
    member's pending whole-household dibao application, which approving
    the household's dibao turns into the enrollment.
    """
    members = (
        Member.objects.filter(household=household, removed=False, deceased=False)
        .prefetch_related(enrollments_prefetch())
        .order_by("pk")
    )
    result = []
    for member in members:
        running = _running_dibao(member, day)
        pending = None
        if _on_tekun(member, day):
            reason = "正在享受特困供养"
        elif (
            running is not None
            and running.status == Enrollment.Status.PENDING
            and running.scope == Enrollment.Scope.HOUSEHOLD
        ):
            reason, pending = "", running
        elif running is not None:
            reason = f"已有低保记录（{running.get_status_display()}）"
        else:
            reason = ""
        result.append((member, reason, pending))
    return result
