import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from checklists.evaluation import evaluate
from households.models import Household, Member
from subsidies.rules.catalogue import RULE_CODES

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 4, 15)


def _snapshot():
    return sorted(
        Member.objects.values_list(
            "household__household_no", "name", "id_number", "relation", "health"
        )
    )


class _Undo(Exception):
    pass


def test_it_is_deterministic_for_a_seed(capsys):
    try:
        with transaction.atomic():
            call_command("generate_demo", households=60, seed=7)
            first = _snapshot()
            raise _Undo
    except _Undo:
        pass
    assert not Household.objects.exists()
    call_command("generate_demo", households=60, seed=7)
    assert _snapshot() == first
    assert Household.objects.count() == 60
    assert "已生成演示数据：60 户" in capsys.readouterr().out


def test_it_covers_acheng_and_qiji():
    call_command("generate_demo", households=30, seed=3)
    names = set(Household.objects.values_list("township__name", flat=True))
    assert {"阿城镇", "七级镇"} <= names


def test_it_makes_every_rule_fire_except_the_impossible_duplicate():
    """ID_DUPLICATE cannot occur: the database allows one current member per
    number; every other rule has a household in the demo."""
    call_command("generate_demo", households=400, seed=2020)
    result = evaluate(as_of=datetime.date.today(), dry_run=True)
    fired = {finding.rule for finding in result.findings}
    assert set(RULE_CODES) - fired == {"ID_DUPLICATE"}


def test_it_refuses_a_non_positive_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_demo", households=0)
