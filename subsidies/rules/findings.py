"""What an evaluation reports: one :class:`Finding` per rule that fired."""

from __future__ import annotations

from dataclasses import dataclass

JSON_KEYS = ("rule", "kind", "household_no", "id_number", "section", "message")


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule that fired for a household or one of its members.

    ``member_id`` and ``id_number`` are None for a household-level finding;
    ``section`` and ``policy`` are None for a data-quality one.  ``message``
    is Chinese and names the facts that triggered the rule.
    """

    rule: str
    kind: str
    level: str
    household_no: str
    member_id: int | None
    id_number: str | None
    section: str | None
    policy: str | None
    message: str

    @property
    def key(self) -> tuple[str, str, int | None]:
        """The ledger's identity of a finding: (rule, household, member)."""
        return (self.rule, self.household_no, self.member_id)

    def to_json(self) -> dict[str, str | None]:
        """The ``evaluate_rules --format json`` finding (roster-format §4)."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "household_no": self.household_no,
            "id_number": self.id_number,
            "section": self.section,
            "message": self.message,
        }
