"""The demo benefits: placeholders marked, every benefit rule fires."""

import datetime
import random
from collections import Counter

import pytest

from households.demo import generate
from households.models import Household
from subsidies.demo import plan_enrollments, seed_enrollments, seed_parameters
from subsidies.evaluation import load_facts, run_rules
from subsidies.models import Enrollment, PolicyParameter, TemporaryGrant
from subsidies.parameters import params_for
from subsidies.rules import RULES

TODAY = datetime.date(2020, 4, 15)
# Rules about the registry itself (ID numbers, certificates, the head) are
# the household generator's to seed; every other rule must fire.
REGISTRY_RULES = {
    "ID_INVALID",
    "ID_DUPLICATE",
    "ID_AREA_NOT_LOCAL",
    "DISABILITY_CERT_MISMATCH",
    "DISABILITY_INCOMPLETE",
    "HOUSEHOLD_HEAD_INVALID",
}


def _seed(count=160, seed=7):
    seed_parameters()
    households, _members, _summary = generate(households=count, seed=seed, today=TODAY)
    written = seed_enrollments(households, random.Random(seed + 1), today=TODAY)
    return households, written


@pytest.mark.django_db
def test_it_marks_the_placeholder_standards():
    seed_parameters()
    rows = PolicyParameter.objects.order_by("name")
    assert [(r.name, r.value, r.is_placeholder) for r in rows] == [
        ("dibao_standard_rural", "4560", True),
        ("dibao_standard_urban", "7440", True),
    ]
    assert all("示例值" in r.note for r in rows)
    params = params_for(TODAY)
    assert params.dibao_standard_rural == 4560


@pytest.mark.django_db
def test_it_never_overwrites_a_standard_the_admin_entered():
    from subsidies.parameters import parameter_set

    parameter_set(
        name="dibao_standard_rural",
        value_text="5000",
        effective_from=datetime.date(2020, 1, 1),
    )
    seed_parameters()
    assert PolicyParameter.objects.get(name="dibao_standard_rural").value == "5000"


@pytest.mark.django_db
def test_it_makes_every_benefit_rule_fire_somewhere():
    _households, written = _seed()
    assert written == Enrollment.objects.count() + TemporaryGrant.objects.count()
    facts = load_facts(Household.objects.all())
    findings = run_rules(facts, as_of=TODAY, params=params_for(TODAY))
    fired = Counter(f.rule for f in findings)
    expected = {rule.code for rule in RULES} - REGISTRY_RULES
    assert expected - set(fired) == set()
    # Gaps, not a wall of findings: most dibao households are in order.
    statuses = Counter(Enrollment.objects.values_list("benefit_id", flat=True))
    assert statuses["dibao"] > statuses["tekun"] > 0
    assert fired["POVERTY_TYPE_MISMATCH"] < 10


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed():
    seed_parameters()
    generate(households=60, seed=3, today=TODAY)

    def planned():
        households = list(Household.objects.select_related("village"))
        plan = plan_enrollments(households, random.Random(4), today=TODAY)
        return [
            (e.member.id_number, e.benefit_id, e.status, e.start, e.end)
            for e in plan.enrollments
        ] + [(g.member.id_number, g.date, g.amount) for g in plan.grants]

    first = planned()
    assert first
    assert planned() == first


@pytest.mark.django_db
def test_it_finds_a_showcase_for_every_rule_in_a_small_county():
    seed_parameters()
    households, _, _ = generate(households=80, seed=11, today=TODAY)
    plan = plan_enrollments(households, random.Random(12), today=TODAY)
    assert plan.missing == []


@pytest.mark.django_db
def test_it_writes_history_with_the_demo_reason():
    _seed(count=30, seed=5)
    reasons = set(Enrollment.history.values_list("history_change_reason", flat=True))
    assert reasons == {"演示数据"}
