"""The facts the rules read: frozen, plain, filled from ``.values()`` rows.

The ORM service builds one :class:`HouseholdFacts` per household (members,
their enrollments and temporary-assistance grants) and the :class:`Params`
in force at the evaluation date; the rules never touch the database.  Codes
are the glossary's (glossary.md), blank strings stand for blank fields.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .params import PARAMETER_SPECS, ParameterSpec, Params, parse_value

__all__ = [
    "ACTIVE_STATUSES",
    "BENEFITS",
    "DIBAO",
    "DISABILITY_LIVING",
    "DISABILITY_NURSING",
    "ELDERLY",
    "PARAMETER_SPECS",
    "TEKUN",
    "TEMPORARY_ASSISTANCE",
    "EnrollmentFact",
    "GrantFact",
    "HouseholdFacts",
    "MemberFacts",
    "ParameterSpec",
    "Params",
    "parse_value",
]

DIBAO = "dibao"
TEKUN = "tekun"
TEMPORARY_ASSISTANCE = "temporary_assistance"
DISABILITY_LIVING = "disability_living"
DISABILITY_NURSING = "disability_nursing"
ELDERLY = "elderly"
BENEFITS = (
    DIBAO,
    TEKUN,
    TEMPORARY_ASSISTANCE,
    DISABILITY_LIVING,
    DISABILITY_NURSING,
    ELDERLY,
)

PENDING = "pending"
ACTIVE = "active"
EXTENSION = "extension"
SUSPENDED = "suspended"
ENDED = "ended"
ACTIVE_STATUSES = frozenset({ACTIVE, EXTENSION})


@dataclass(frozen=True, slots=True)
class EnrollmentFact:
    """One member's enrollment in one benefit (an application when pending).

    ``scope`` is the dibao scope (``household``/``individual``), ``care_mode``
    the tekun care mode (``dispersed``/``centralized``); both blank for other
    benefits.  A pending enrollment's ``start`` is its application date.
    """

    member_id: int
    benefit: str
    scope: str = ""
    care_mode: str = ""
    status: str = ACTIVE
    start: datetime.date | None = None
    end: datetime.date | None = None
    end_reason: str = ""
    review_date: datetime.date | None = None
    review_decision: str = ""

    def is_active_on(self, as_of: datetime.date) -> bool:
        """Active at ``as_of`` (policy-rules.md, Notation: enrollment status).

        Status ``active`` or ``extension``, started (a blank start counts as
        started) and not ended before ``as_of``.  ``pending``, ``suspended``
        and ``ended`` are never active.
        """
        return (
            self.status in ACTIVE_STATUSES
            and (self.start is None or self.start <= as_of)
            and (self.end is None or self.end >= as_of)
        )

    def is_pending_on(self, as_of: datetime.date) -> bool:
        """An application made on or before ``as_of`` (blank date: made)."""
        return self.status == PENDING and (self.start is None or self.start <= as_of)

    @property
    def is_whole_household(self) -> bool:
        """A whole-household (整户) dibao; blank scope reads as 整户.

        The benefit roster's default scope is 整户, so a dibao recorded
        without a scope is taken as whole-household.
        """
        return self.benefit == DIBAO and self.scope in ("household", "")


@dataclass(frozen=True, slots=True)
class GrantFact:
    """A temporary-assistance grant (临时救助) paid to a member."""

    member_id: int
    date: datetime.date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A household member as the rules see it.

    ``id_number`` is as stored: normally valid and normalised, but the
    data-quality rules must also see the rare invalid one.
    """

    id: int
    name: str
    id_number: str
    relation: str = ""
    health: str = ""
    disability_category: str = ""
    disability_grade: int | None = None
    disability_cert_no: str = ""
    self_care: str = ""
    employment: str = ""
    supporter_status: str = "unknown"
    willing_centralized: str = "unknown"
    deceased: bool = False
    removed: bool = False
    enrollments: tuple[EnrollmentFact, ...] = ()
    grants: tuple[GrantFact, ...] = ()

    @property
    def is_living(self) -> bool:
        """Living and not removed: the members coverage rules look at."""
        return not self.deceased and not self.removed


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """A registered household with its members (removed ones included)."""

    id: int
    household_no: str
    village_kind: str = "village"
    poverty_type: str = ""
    poverty_status: str = ""
    income_per_capita: Decimal | None = None
    employment_costs: Decimal | None = None
    rigid_expenses: Decimal | None = None
    members: tuple[MemberFacts, ...] = ()
