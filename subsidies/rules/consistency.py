"""Consistency rules: covered wrongly or partly (部分落实 / 不一致).

Each function implements one rule of policy-rules.md ("Consistency rules")
and returns a :class:`~.base.Verdict` or None, with the same conventions as
:mod:`.coverage`.
"""

from __future__ import annotations

from .base import INCONSISTENT, NO, REVIEW, Fact, Verdict, fact, first_of, judge
from .derived import (
    CARE_MODE_LABELS,
    ELDERLY_AGE,
    INCOMPLETE,
    NOT_RECORDED,
    RECORDED,
    HouseholdView,
    MemberView,
    add_months,
    first_of_next_month,
    nursing_severe,
)
from .facts import (
    DIBAO,
    DISABILITY_LIVING,
    DISABILITY_NURSING,
    ELDERLY,
    EXTENSION,
    PENDING,
    EnrollmentFact,
)
from .params import Params

ELDERLY_LIMIT_AGE = 100
DECIDED = frozenset({"continue", "end"})

ON_TEKUN = Fact.yes("享受特困供养")


def _no_disability(m: MemberView) -> Fact:
    """No recorded disability: unknown when the record is incomplete."""
    if m.disability.state == INCOMPLETE:
        return Fact.unknown(m.disability.incomplete_text)
    if m.disability.state == RECORDED:
        return NO
    return Fact.yes("未登记残疾类别和等级")


def tekun_in_dibao_household(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_IN_DIBAO_HOUSEHOLD: tekun and dibao at once.

    "坚决杜绝出现'该吃五保吃低保'的问题" (work point 二): a member on tekun
    must not also have an active dibao enrollment of their own (either
    scope).
    """
    if not (m.on_tekun and m.on_dibao):
        return None
    scopes = sorted(
        {
            "整户保" if e.is_whole_household else "单人保"
            for e in m.active_enrollments
            if e.benefit == DIBAO
        }
    )
    return judge(
        ON_TEKUN,
        Fact.yes(f"同时享受低保（{'、'.join(scopes)}）"),
        kind=INCONSISTENT,
        advice="特困人员不应同时享受低保，应停发其低保（整户保的，将其移出低保保障人口）",
    )


def tekun_with_living_subsidy(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_WITH_LIVING_SUBSIDY: tekun with the living subsidy.

    The living subsidy (困难残疾人生活补贴) is for disabled people on dibao;
    a tekun person's support already covers basic living (not allowed).
    """
    if not (m.on_tekun and DISABILITY_LIVING in m.active_benefits):
        return None
    return judge(
        ON_TEKUN,
        Fact.yes("同时享受困难残疾人生活补贴"),
        kind=INCONSISTENT,
        advice="特困人员不应享受困难残疾人生活补贴，应停发",
    )


def tekun_with_nursing_subsidy(m: MemberView, h: HouseholdView) -> Verdict | None:
    """TEKUN_WITH_NURSING_SUBSIDY: tekun with the nursing subsidy.

    Member on tekun with an active nursing subsidy, and
    ``tekun_may_get_nursing`` for the care mode is not ``yes``: ``no``
    (default for centralized) -> inconsistent, ``review`` (default for
    dispersed) -> review.
    """
    if not (m.on_tekun and DISABILITY_NURSING in m.active_benefits):
        return None
    mode = CARE_MODE_LABELS[m.tekun_care_mode]
    choice = h.params.nursing_for(m.tekun_care_mode)
    if choice == "yes":
        return None
    if choice == "review":
        allowed = Fact.unknown(
            f"{mode}特困人员能否同时享受护理补贴须按政策确认（参数为“需核实”）"
        )
    else:
        allowed = Fact.yes(f"{mode}特困人员按规定不享受护理补贴")
    return judge(
        Fact.yes(f"享受特困供养（{mode}），同时享受重度残疾人护理补贴"),
        allowed,
        kind=INCONSISTENT,
        advice="应停发护理补贴",
    )


def living_subsidy_without_dibao(m: MemberView, h: HouseholdView) -> Verdict | None:
    """LIVING_SUBSIDY_WITHOUT_DIBAO: living subsidy without dibao.

    The living subsidy is for poor disabled people on dibao: an active living
    subsidy for a member on neither dibao nor tekun (tekun: see
    TEKUN_WITH_LIVING_SUBSIDY).
    """
    if DISABILITY_LIVING not in m.active_benefits or m.on_dibao or m.on_tekun:
        return None
    return judge(
        Fact.yes("享受困难残疾人生活补贴"),
        Fact.yes("但未享受低保"),
        kind=INCONSISTENT,
        advice="困难残疾人生活补贴以享受低保为条件，应核实后纳入低保或停发补贴",
    )


def living_subsidy_no_disability(m: MemberView, h: HouseholdView) -> Verdict | None:
    """LIVING_SUBSIDY_NO_DISABILITY: living subsidy without a disability.

    An active living subsidy and no recorded disability (category and
    grade); an incomplete record is a review.
    """
    if DISABILITY_LIVING not in m.active_benefits:
        return None
    return judge(
        Fact.yes("享受困难残疾人生活补贴"),
        _no_disability(m),
        kind=INCONSISTENT,
        advice="应核实残疾人证，补录残疾信息或停发补贴",
    )


def nursing_subsidy_not_severe(m: MemberView, h: HouseholdView) -> Verdict | None:
    """NURSING_SUBSIDY_NOT_SEVERE: nursing subsidy below the severity.

    An active nursing subsidy, and grade 3-4 or no disability
    (intellectual/mental grade 3 allowed when ``nursing_extends_grade3``).
    """
    if DISABILITY_NURSING not in m.active_benefits:
        return None
    severity = m.disability.matches(
        lambda category, grade: not nursing_severe(h.params)(category, grade),
        "{label}，不属重度残疾",
    )
    if m.disability.state == NOT_RECORDED:
        severity = _no_disability(m)
    return judge(
        Fact.yes("享受重度残疾人护理补贴"),
        severity,
        kind=INCONSISTENT,
        advice="护理补贴限于重度残疾人，应核实残疾等级后停发或更正",
    )


def elderly_subsidy_out_of_range(m: MemberView, h: HouseholdView) -> Verdict | None:
    """ELDERLY_SUBSIDY_OUT_OF_RANGE: elderly subsidy outside 60-99 or dibao.

    "为...享受低保政策的60—99周岁老年人落实困难老年人补贴政策" (work point
    三): an active elderly subsidy and (age < 60 or age >= 100 or member not
    on dibao).
    """
    if ELDERLY not in m.active_benefits:
        return None
    outside = first_of(
        m.age_fact(
            lambda age: age < ELDERLY_AGE or age >= ELDERLY_LIMIT_AGE,
            "{age}岁，不在60至99周岁之间",
        ),
        fact(not m.on_dibao, "未享受低保"),
    )
    return judge(
        Fact.yes("享受困难老年人补贴"),
        outside,
        kind=INCONSISTENT,
        advice="困难老年人补贴限于享受低保的60—99周岁老年人，应核实后停发",
    )


def extension_begins(e: EnrollmentFact, params: Params):
    """When an extension's months start (parameter ``extension_start``).

    From the recorded review date: the first day of the next month
    (``month_after_review``) or the review date itself; without a review
    date, from the enrollment's start; None when neither is recorded.
    """
    if e.review_date is not None:
        if params.extension_start == "review_date":
            return e.review_date
        return first_of_next_month(e.review_date)
    return e.start


def dibao_extension_overdue(h: HouseholdView) -> Verdict | None:
    """DIBAO_EXTENSION_OVERDUE: an extension past its months, undecided.

    A dibao extension whose ``extension_months`` have passed at as_of
    without a review decision.  The decision ``extend`` is the one that
    granted the extension, so only ``continue`` or ``end`` counts as the
    decision that closes it.
    """
    months = h.params.extension_months
    extensions = [
        e
        for m in h.scoped
        for e in m.facts.enrollments
        if e.benefit == DIBAO
        and e.status == EXTENSION
        and e.review_decision not in DECIDED
    ]
    if not extensions:
        return None
    unknown = False
    overdue = []
    for e in extensions:
        begins = extension_begins(e, h.params)
        if begins is None:
            unknown = True
        elif add_months(begins, months) <= h.as_of:
            overdue.append(add_months(begins, months))
    if overdue:
        return judge(
            Fact.yes(
                f"低保延保期（{months}个月）已于{min(overdue)}届满，尚未记录复核结论"
            ),
            kind=REVIEW,
            advice="应及时复核：继续享受低保或停保",
        )
    if unknown:
        return judge(
            Fact.unknown(
                "低保延保记录既无开始日期也无复核日期，无法判断延保期是否届满，"
                "请补录延保开始日期或复核日期"
            ),
            kind=REVIEW,
            advice="应及时复核：继续享受低保或停保",
        )
    return None


def dibao_exit_review(h: HouseholdView) -> Verdict | None:
    """DIBAO_EXIT_REVIEW: a lifted household leaving dibao this year.

    "纳入低保的脱贫享受政策人口在2020年底前退出低保要审慎把握" (work point
    一): household ``lifted_keeping_policy``, its dibao ending or ended in
    the calendar year of as_of without a recorded review decision.
    """
    if h.facts.poverty_status != "lifted_keeping_policy":
        return None
    year = h.as_of.year
    ends = sorted(
        e.end
        for m in h.scoped
        for e in m.facts.enrollments
        if e.benefit == DIBAO
        and e.status != PENDING
        and e.end is not None
        and e.end.year == year
        and not e.review_decision
    )
    if not ends:
        return None
    end = ends[0]
    when = f"将于{end}到期" if end >= h.as_of else f"已于{end}停保"
    return judge(
        Fact.yes(f"已脱贫（享受政策）户，低保{when}，未记录复核结论"),
        kind=REVIEW,
        advice="脱贫享受政策人口年内退出低保要审慎把握，应入户复核并记录复核结论",
    )


def poverty_type_mismatch(h: HouseholdView) -> Verdict | None:
    """POVERTY_TYPE_MISMATCH: registry category against what is received.

    低保贫困户 and no member on dibao; or 特困供养贫困户 and no member on
    tekun; or 一般贫困户 and a member on whole-household dibao or on tekun (a
    single-person dibao does not change the category).
    """
    poverty_type = h.facts.poverty_type
    if poverty_type == "dibao" and not any(m.on_dibao for m in h.scoped):
        problem = "贫困户属性为低保贫困户，但户内无人享受低保"
    elif poverty_type == "tekun" and not any(m.on_tekun for m in h.scoped):
        problem = "贫困户属性为特困供养贫困户，但户内无人享受特困供养"
    elif poverty_type == "general" and h.whole_household_dibao:
        problem = "贫困户属性为一般贫困户，但全户享受整户低保"
    elif poverty_type == "general" and any(m.on_tekun for m in h.scoped):
        problem = "贫困户属性为一般贫困户，但户内有人享受特困供养"
    else:
        return None
    return judge(
        Fact.yes(problem),
        kind=INCONSISTENT,
        advice="应核实后更正贫困户属性或落实相应救助",
    )
