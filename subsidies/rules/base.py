"""Three-valued facts and the one place that turns them into a verdict.

Every condition of a rule is a :class:`Fact`: true, false, or unknown
(``None``), with a Chinese text that states it (true) or says what is unknown
and what staff should check (unknown).  :func:`judge` applies the spec's
"unknown facts" principle (policy-rules.md, Notation) for every rule:

- a known condition fails -> no finding;
- every condition known and true -> the rule's kind;
- every known condition true, some unknown -> kind ``review``.
"""

from __future__ import annotations

from dataclasses import dataclass

# True / False / None (unknown).
Tri = bool | None

MISSING = "missing"
INCONSISTENT = "inconsistent"
REVIEW = "review"
DATA_QUALITY = "data_quality"
KINDS = (MISSING, INCONSISTENT, REVIEW, DATA_QUALITY)


@dataclass(frozen=True, slots=True)
class Fact:
    """A condition's value and the Chinese text that explains it.

    ``text`` states the fact when ``value`` is True and says what is unknown
    and what to check when ``value`` is None; it is unused when False.
    """

    value: Tri
    text: str = ""

    @classmethod
    def yes(cls, text: str) -> Fact:
        return cls(True, text)

    @classmethod
    def unknown(cls, text: str) -> Fact:
        return cls(None, text)


NO = Fact(False)


def fact(value: bool, text: str) -> Fact:
    """A known fact: ``text`` when true, :data:`NO` otherwise."""
    return Fact(True, text) if value else NO


def all_of(*values: Tri) -> Tri:
    """Tri-state AND: False wins, then unknown, then True."""
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


def any_of(*values: Tri) -> Tri:
    """Tri-state OR: True wins, then unknown, then False."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def first_of(*facts: Fact) -> Fact:
    """Tri-state OR of facts, keeping the text of what decided it."""
    for f in facts:
        if f.value is True:
            return f
    unknown = [f.text for f in facts if f.value is None]
    if unknown:
        return Fact.unknown("；".join(unknown))
    return NO


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a rule found: its kind and a Chinese message."""

    kind: str
    message: str


def judge(*facts: Fact, kind: str, advice: str) -> Verdict | None:
    """Apply the unknown-facts principle to a rule's conditions.

    ``advice`` says what to do when the rule fires (for example
    "应落实困难老年人补贴"); the message states every condition that holds
    and, for a review, what is unknown and what to check.
    """
    known: list[str] = []
    unknown: list[str] = []
    for f in facts:
        if f.value is False:
            return None
        if f.value is None:
            unknown.append(f.text)
        elif f.text:
            known.append(f.text)
    stated = "，".join(known)
    if not unknown:
        return Verdict(kind, f"{stated}。{advice}。")
    then = "如符合条件" if kind == MISSING else "如情况属实"
    lead = f"{stated}；" if stated else ""
    return Verdict(
        REVIEW, f"{lead}待核实：{'；'.join(unknown)}。核实后{then}，{advice}。"
    )
