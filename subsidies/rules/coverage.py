"""Coverage rules: eligible but not covered (应享未享).

Each function implements one rule of policy-rules.md ("Coverage rules") and
returns a :class:`~.base.Verdict` or None.  Member rules take
``(member, household)``, household rules ``(household)``; the engine calls
them only for members and households in scope.  The opening lines of a rule
return early on a known failing condition, which is only a shortcut: the
same condition is also passed to :func:`~.base.judge`.
"""

from __future__ import annotations

from .base import MISSING, REVIEW, Fact, Verdict, fact, judge
from .derived import (
    CARE_MODE_LABELS,
    ELDERLY_AGE,
    NOT_RECORDED,
    HouseholdView,
    MemberView,
    add_months,
    application_date,
    granted_since,
    is_application,
    nursing_severe,
    single_dibao_severe,
)
from .facts import (
    DIBAO,
    DISABILITY_LIVING,
    DISABILITY_NURSING,
    ELDERLY,
    ENDED,
    EXTENSION,
    TEKUN,
    EnrollmentFact,
)

ELDERLY_MAX_AGE = 99
EXTENSION_END_REASONS = {"employment": "就业", "improved": "家庭经济状况改善"}

ON_DIBAO = Fact.yes("享受低保")
NOT_ON_TEKUN = Fact.yes("未享受特困供养")


def dibao_whole_household_missing(h: HouseholdView) -> Verdict | None:
    """DIBAO_WHOLE_HOUSEHOLD_MISSING: whole-household dibao (应保尽保).

    "一是落实好最低生活保障政策" (work point 二).  At least one member not on
    tekun; no member on whole-household dibao; no pending whole-household
    dibao application; no livelihood source.
    """
    if h.whole_household_dibao:
        return None
    not_on_tekun = sum(1 for m in h.scoped if not m.on_tekun)
    applied = any(e.is_whole_household for m in h.scoped for e in m.pending)
    if not not_on_tekun or applied:
        return None
    return judge(
        h.no_livelihood,
        fact(not_on_tekun > 0, f"户内{not_on_tekun}名成员未享受特困供养"),
        Fact.yes("未享受整户低保，也无整户低保申请"),
        kind=MISSING,
        advice="应将全户纳入最低生活保障（应保尽保）",
    )


def dibao_severe_disability_individual(
    m: MemberView, h: HouseholdView
) -> Verdict | None:
    """DIBAO_SEVERE_DISABILITY_INDIVIDUAL: single-person dibao (重残单人保).

    "将享受扶贫政策建档立卡贫困家庭中的无法单独立户的成年无业重度残疾人纳入到低保
    保障范围" (work point 二).  Age >= ``single_dibao_adult_age``; unemployed;
    severe per ``single_dibao_severity``; household not on whole-household
    dibao; member not on dibao; member not on tekun.
    """
    if m.on_dibao or m.on_tekun or h.whole_household_dibao:
        return None
    if m.disability.state == NOT_RECORDED:
        return None
    params = h.params
    adult = params.single_dibao_adult_age
    return judge(
        m.age_fact(lambda age: age >= adult, f"年满{adult}周岁（{{age}}岁）"),
        m.unemployed,
        m.disability.matches(single_dibao_severe(params), "重度残疾（{label}）"),
        Fact.yes("家庭未享受整户低保，本人未享受低保和特困供养"),
        kind=MISSING,
        advice="应按重残单人保将本人纳入低保",
    )


def tekun_instead_of_dibao(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_INSTEAD_OF_DIBAO: tekun instead of dibao (该吃五保吃低保).

    "坚决杜绝出现'该吃五保吃低保'的问题" (work point 二).  On dibao; not on
    tekun; no labour capacity; no livelihood source; no capable supporter.
    """
    if not m.on_dibao or m.on_tekun or h.no_livelihood.value is False:
        return None
    if m.no_labour_capacity.value is False:
        return None
    return judge(
        ON_DIBAO,
        NOT_ON_TEKUN,
        m.no_labour_capacity,
        h.no_livelihood,
        m.no_capable_supporter,
        kind=MISSING,
        advice="应改为特困人员救助供养（杜绝“该吃五保吃低保”）",
    )


def tekun_missing(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_MISSING: tekun (特困人员救助供养).

    "四是落实特困人员供养政策" (work point 二).  Not on dibao; not on tekun;
    no pending tekun application; no labour capacity; no livelihood source;
    no capable supporter.
    """
    if m.on_dibao or m.on_tekun:
        return None
    if any(e.benefit == TEKUN for e in m.pending):
        return None
    if h.no_livelihood.value is False or m.no_labour_capacity.value is False:
        return None
    return judge(
        Fact.yes("未享受低保和特困供养，也无特困申请"),
        m.no_labour_capacity,
        h.no_livelihood,
        m.no_capable_supporter,
        kind=MISSING,
        advice="应纳入特困人员救助供养",
    )


def _exits(enrollments: list[EnrollmentFact]) -> list[EnrollmentFact]:
    """Dibao ended for employment or improvement (an end date recorded)."""
    return [
        e
        for e in enrollments
        if e.status == ENDED
        and e.end_reason in EXTENSION_END_REASONS
        and e.end is not None
    ]


def _is_extension_end(e: EnrollmentFact, exits: list[EnrollmentFact]) -> bool:
    """Whether ``e`` is itself a finished extension, not a new exit.

    A reviewed extension is stored as ``ended`` (often for the same reasons),
    so an ended enrollment of the member that starts within a month after
    another exit of theirs is read as that exit's extension: it needs no
    extension of its own.
    """
    if e.start is None:
        return False
    return any(
        x.member_id == e.member_id
        and x.end is not None
        and x.end < e.start <= add_months(x.end, 1)
        for x in exits
    )


def dibao_extension_missing(h: HouseholdView) -> Verdict | None:
    """DIBAO_EXTENSION_MISSING: the six-month extension (延保).

    "对因家庭成员就业或者家庭经济、生活状况改善不再符合低保条件的享受扶贫政策建档
    立卡贫困家庭全部延长低保待遇6个月" (work point 二).  No member on dibao at
    as_of; a dibao enrollment ended (``ended``, reason employment or
    improved) with as_of - ``extension_months`` <= end < as_of; no extension
    enrollment after that end.
    """
    if any(m.on_dibao for m in h.scoped):
        return None
    as_of = h.as_of
    months = h.params.extension_months
    window_start = add_months(as_of, -months)
    dibao = [e for m in h.scoped for e in m.facts.enrollments if e.benefit == DIBAO]
    exits = _exits(dibao)
    recent = [e for e in exits if window_start <= e.end < as_of]
    if not recent:
        return None
    extension_starts = [e.start for e in dibao if e.status == EXTENSION]
    missed = [
        e
        for e in recent
        if not any(start is None or start >= e.end for start in extension_starts)
        and not _is_extension_end(e, exits)
    ]
    if not missed:
        return None
    last = max(missed, key=lambda e: e.end)
    reason = EXTENSION_END_REASONS[last.end_reason]
    return judge(
        Fact.yes(
            f"低保因{reason}于{last.end}停保，在评估日前{months}个月内，"
            f"户内已无人享受低保，也未落实延保"
        ),
        kind=MISSING,
        advice=f"应延长低保待遇{months}个月（延保）",
    )


def disability_living_subsidy_missing(
    m: MemberView, h: HouseholdView
) -> Verdict | None:
    """DISABILITY_LIVING_SUBSIDY_MISSING: 困难残疾人生活补贴.

    "主动为享受扶贫政策建档立卡贫困家庭中符合条件的残疾人落实残疾'两项补贴'政策"
    (work point 三).  Disability (grade 1-4); on dibao; not on tekun; no
    active living subsidy.
    """
    if not m.on_dibao or m.on_tekun or DISABILITY_LIVING in m.active_benefits:
        return None
    return judge(
        m.disability.matches(lambda category, grade: True, "持证残疾（{label}）"),
        ON_DIBAO,
        NOT_ON_TEKUN,
        Fact.yes("未享受困难残疾人生活补贴"),
        kind=MISSING,
        advice="应落实困难残疾人生活补贴",
    )


def disability_nursing_subsidy_missing(
    m: MemberView, h: HouseholdView
) -> Verdict | None:
    """DISABILITY_NURSING_SUBSIDY_MISSING: 重度残疾人护理补贴.

    "主动为...符合条件的残疾人落实残疾'两项补贴'政策" (work point 三).  Grade
    1-2 (plus intellectual/mental 3 with ``nursing_extends_grade3``); no
    active nursing subsidy; a tekun person per ``tekun_may_get_nursing`` for
    the care mode: yes -> missing, review -> review, no -> nothing.
    """
    if DISABILITY_NURSING in m.active_benefits or m.disability.state == NOT_RECORDED:
        return None
    tekun = Fact.yes("")
    if m.on_tekun:
        mode = CARE_MODE_LABELS[m.tekun_care_mode]
        choice = h.params.nursing_for(m.tekun_care_mode)
        if choice == "no":
            return None
        if choice == "review":
            tekun = Fact.unknown(
                f"本人享受特困供养（{mode}），能否同时享受护理补贴须按政策确认"
            )
        else:
            tekun = Fact.yes(f"享受特困供养（{mode}），按规定可同时享受护理补贴")
    return judge(
        m.disability.matches(nursing_severe(h.params), "重度残疾（{label}）"),
        tekun,
        Fact.yes("未享受重度残疾人护理补贴"),
        kind=MISSING,
        advice="应落实重度残疾人护理补贴",
    )


def elderly_subsidy_missing(m: MemberView, h: HouseholdView) -> Verdict | None:
    """ELDERLY_SUBSIDY_MISSING: 困难老年人补贴.

    "为享受扶贫政策建档立卡贫困家庭中享受低保政策的60—99周岁老年人落实困难老年人
    补贴政策" (work point 三).  60 <= age <= 99; on dibao; not on tekun; no
    active elderly subsidy.
    """
    if not m.on_dibao or m.on_tekun or ELDERLY in m.active_benefits:
        return None
    return judge(
        m.age_fact(
            lambda age: ELDERLY_AGE <= age <= ELDERLY_MAX_AGE, "年满60周岁（{age}岁）"
        ),
        ON_DIBAO,
        NOT_ON_TEKUN,
        Fact.yes("未享受困难老年人补贴"),
        kind=MISSING,
        advice="应落实困难老年人补贴",
    )


_BRIDGE_ADVICE = "可视情先给予临时救助，及时缓解生活困难，再按程序审核审批"


def _bridge(applications, grants, h: HouseholdView, what: str) -> Verdict | None:
    if not applications:
        return None
    since = application_date(applications)
    if granted_since(grants, since, h.as_of):
        return None
    when = f"已于{since}" if since else "已（申请日期未记录）"
    return judge(
        Fact.yes(f"{when}申请{what}，尚在审批中"),
        Fact.yes("申请以来未给予临时救助"),
        kind=REVIEW,
        advice=_BRIDGE_ADVICE,
    )


def temporary_assistance_bridge(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEMPORARY_ASSISTANCE_BRIDGE (member): temporary assistance first.

    "对申请最低生活保障、特困人员救助供养的脱贫享受政策人口等困难群众，可以视情先
    给予临时救助" (work point 二).  A pending single-person dibao or tekun
    application dated on or before as_of; no grant to the applicant on or
    after the application date.
    """
    applications = [e for e in m.pending if is_application(e, whole_household=False)]
    what = "、".join(
        sorted(
            {
                "特困供养" if e.benefit == TEKUN else "低保（单人保）"
                for e in applications
            }
        )
    )
    return _bridge(applications, m.facts.grants, h, what)


def temporary_assistance_bridge_household(h: HouseholdView) -> Verdict | None:
    """TEMPORARY_ASSISTANCE_BRIDGE (household): a whole-household application.

    As the member form, for a pending whole-household dibao application; a
    grant to any member on or after the application date counts.
    """
    applications = [
        e
        for m in h.scoped
        for e in m.pending
        if is_application(e, whole_household=True)
    ]
    if not applications:
        return None
    grants = [g for m in h.scoped for g in m.facts.grants]
    return _bridge(applications, grants, h, "整户低保")


def tekun_centralized_candidate(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_CENTRALIZED_CANDIDATE: centralized care (集中供养).

    "有意愿的生活不能自理的特困人员集中供养率达到50%" (work point 二).  On tekun
    with care mode dispersed; cannot self-care; willing to be centralized.
    """
    if not m.on_tekun or m.tekun_care_mode != "dispersed":
        return None
    return judge(
        Fact.yes("享受特困供养（分散供养）"),
        m.cannot_self_care,
        m.willing_centralized,
        kind=MISSING,
        advice=(
            "应安排集中供养（有意愿的生活不能自理特困人员集中供养率目标"
            f"{h.params.centralized_target}%）"
        ),
    )
