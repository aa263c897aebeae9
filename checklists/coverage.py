"""The household page's coverage panel: every member × policy, with reasons.

The panel runs the rules live for one household at the chosen as-of date
(default today) and stores nothing: the stored outcomes are the rule runs'
(``checklists.evaluation``), the panel answers "what would the rules say
at this date".  Six queries: the household's facts (four), the parameters
in force and the household's duplicated ID numbers.

The households app must not depend on checklists, so the household page
loads the panel through a template tag (``{% coverage_panel household %}``,
``checklists.templatetags.coverage``), and :func:`coverage_panel` serves
the same panel as an HTML fragment for the page's as-of control.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from households import idnumbers
from households.choices import Relation
from households.models import Household
from subsidies.evaluation import duplicate_ids, load_household_facts
from subsidies.models import Enrollment
from subsidies.parameters import params_for
from subsidies.rules import (
    CATALOGUE,
    POLICIES,
    EnrollmentFact,
    Finding,
    MemberFacts,
    evaluate,
    outcomes,
)
from subsidies.rules.derived import IN_SCOPE_STATUSES
from subsidies.rules.engine import scoped_members

from .models import Outcome, Policy

TEMPLATE = "checklists/_coverage_panel.html"
POLICY_LABELS = dict(Policy.choices)
OUTCOME_LABELS = dict(Outcome.choices)
OUTCOME_BADGES = {
    "covered": "text-bg-success",
    "missing": "text-bg-danger",
    "partial": "text-bg-warning",
    "not_eligible": "text-bg-light border text-secondary",
}
RELATION_LABELS = dict(Relation.choices)
STATUS_LABELS = dict(Enrollment.Status.choices)
SCOPE_LABELS = dict(Enrollment.Scope.choices) | dict(Enrollment.CareMode.choices)
NOT_ELIGIBLE_REASON = "按现有登记信息，未发现应享受本项政策的情形"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Cell:
    policy: str
    outcome: str
    reasons: list[str]
    review: bool = False

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def badge(self) -> str:
        return OUTCOME_BADGES[self.outcome]

    @property
    def policy_label(self) -> str:
        return POLICY_LABELS[self.policy]


@dataclass(frozen=True)
class Row:
    member_id: int
    name: str
    relation: str
    masked_id: str
    age: int | None
    cells: list[Cell]


@dataclass(frozen=True)
class DataQualityItem:
    title: str
    who: str
    message: str


@dataclass(frozen=True)
class CoveragePanel:
    household: Household
    as_of: datetime.date
    today: datetime.date
    rows: list[Row] = field(default_factory=list)
    data_quality: list[DataQualityItem] = field(default_factory=list)
    deceased: list[str] = field(default_factory=list)
    in_scope: bool = True
    date_error: str = ""

    @property
    def is_today(self) -> bool:
        return self.as_of == self.today

    @property
    def policies(self) -> list[tuple[str, str]]:
        return [(code, POLICY_LABELS[code]) for code in POLICIES]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOME_LABELS, 0)
        for row in self.rows:
            for cell in row.cells:
                counts[cell.outcome] += 1
        return counts


def parse_as_of(text: str | None, today: datetime.date) -> tuple[datetime.date, str]:
    """The as-of date typed in the control; today and an error when invalid."""
    if not text:
        return today, ""
    try:
        if not ISO_DATE.fullmatch(text.strip()):
            raise ValueError(text)
        return datetime.date.fromisoformat(text.strip()), ""
    except ValueError:
        return (
            today,
            f"日期“{text}”无效，请按 YYYY-MM-DD 选择日期；下面是今天的核查结果",
        )


def _enrollment_text(enrollment: EnrollmentFact) -> str:
    mode = SCOPE_LABELS.get(enrollment.scope or enrollment.care_mode, "")
    status = STATUS_LABELS.get(enrollment.status, enrollment.status)
    since = f"{enrollment.start}起" if enrollment.start else "开始日期未记录"
    until = f"，至{enrollment.end}" if enrollment.end else ""
    return f"{status}{f'（{mode}）' if mode else ''}，{since}{until}"


def _covered_reasons(member: MemberFacts, policy: str, as_of) -> list[str]:
    if policy == "temporary_assistance":
        return [
            f"{grant.date}已发放临时救助{grant.amount}元"
            for grant in member.grants
            if grant.date <= as_of
        ]
    return [
        _enrollment_text(e)
        for e in member.enrollments
        if e.benefit == policy and e.is_active_on(as_of)
    ]


def _cell(
    member: MemberFacts, policy: str, outcome: str, fired: list[Finding], as_of
) -> Cell:
    reasons = [f"{CATALOGUE[f.rule].title}：{f.message}" for f in fired]
    reasons += _covered_reasons(member, policy, as_of)
    if not reasons:
        reasons = [NOT_ELIGIBLE_REASON]
    review = bool(fired) and all(f.kind == "review" for f in fired)
    return Cell(policy=policy, outcome=outcome, reasons=reasons, review=review)


def coverage_context(household: Household, *, as_of: datetime.date) -> CoveragePanel:
    """The panel for ``household`` at ``as_of``, computed live (six queries)."""
    today = timezone.localdate()
    facts = load_household_facts(household)
    duplicates = duplicate_ids(m.id_number for m in facts.members)
    found = evaluate(
        facts,
        as_of,
        params_for(as_of),
        county_code=settings.COUNTY_CODE,
        duplicate_ids=duplicates,
    )
    member_outcomes = outcomes(facts, found, as_of)
    by_cell: dict[tuple, list[Finding]] = {}
    for finding in found:
        if finding.policy:
            by_cell.setdefault((finding.member_id, finding.policy), []).append(finding)
    names = {m.id: m.name for m in facts.members}
    rows = [
        Row(
            member_id=member.id,
            name=member.name,
            relation=RELATION_LABELS.get(member.relation, member.relation or "—"),
            masked_id=idnumbers.mask(member.id_number),
            age=_age(member.id_number, as_of),
            cells=[
                _cell(
                    member,
                    policy,
                    member_outcomes[(member.id, policy)],
                    by_cell.get((None, policy), [])
                    + by_cell.get((member.id, policy), []),
                    as_of,
                )
                for policy in POLICIES
            ],
        )
        for member in scoped_members(facts)
    ]
    return CoveragePanel(
        household=household,
        as_of=as_of,
        today=today,
        rows=rows,
        data_quality=[
            DataQualityItem(
                title=CATALOGUE[f.rule].title,
                who=names.get(f.member_id, "") if f.member_id else "全户",
                message=f.message,
            )
            for f in found
            if f.kind == "data_quality"
        ],
        deceased=[m.name for m in facts.members if m.deceased and not m.removed],
        in_scope=facts.poverty_status in IN_SCOPE_STATUSES,
    )


def _age(id_number: str, as_of: datetime.date) -> int | None:
    if not idnumbers.is_valid(id_number):
        return None
    return idnumbers.age_on(idnumbers.birth_date(id_number), as_of)


def panel_for_request(request, household: Household) -> CoveragePanel:
    """The panel at the as-of date of the request's ``as_of`` parameter."""
    today = timezone.localdate()
    as_of, error = parse_as_of(request.GET.get("as_of"), today)
    panel = coverage_context(household, as_of=as_of)
    return replace(panel, date_error=error) if error else panel


@require_GET
def coverage_panel(request, pk: int):
    """The panel alone (HTML fragment), for the as-of control's requests."""
    household = get_object_or_404(
        Household.objects.visible_to(request.user)
        .current()
        .select_related("township", "village"),
        pk=pk,
    )
    return render(
        request,
        TEMPLATE,
        {"panel": panel_for_request(request, household), "with_script": False},
    )
