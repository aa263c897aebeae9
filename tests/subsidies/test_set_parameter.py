"""``set_parameter NAME VALUE --from YYYY-MM-DD`` (roster-format.md §4)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import base, call_command

from subsidies.management.commands.set_parameter import Command
from subsidies.models import PolicyParameter
from subsidies.parameters import params_for

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def run(monkeypatch):
    """Run like ``manage.py``: returns the exit status (stderr via capsys).

    ``run_from_argv`` closes the connections when done, which would close
    the test transaction's connection too.
    """
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    def run(*args):
        try:
            Command().run_from_argv(["manage.py", "set_parameter", *args])
        except SystemExit as exit_:
            return exit_.code
        return 0

    return run


def test_it_sets_a_dated_value(run, capsys):
    assert run("dibao_standard_rural", "4560", "--from", "2020-01-01") == 0
    out = capsys.readouterr().out
    assert "dibao_standard_rural" in out and "2020-01-01" in out
    assert params_for(D(2020, 4, 15)).dibao_standard_rural == Decimal(4560)
    parameter = PolicyParameter.objects.get()
    assert parameter.history.get().history_change_reason == "命令行"
    assert not parameter.is_placeholder


def test_it_changes_one_care_mode_only():
    call_command(
        "set_parameter",
        "tekun_may_get_nursing",
        "dispersed=yes",
        "--from",
        "2020-07-01",
    )
    assert params_for(D(2020, 7, 1)).tekun_may_get_nursing == {
        "centralized": "no",
        "dispersed": "yes",
    }
    assert params_for(D(2020, 6, 30)).tekun_may_get_nursing["dispersed"] == "review"


@pytest.mark.parametrize(
    "args, reason",
    [
        (["no_such_parameter", "1", "--from", "2020-01-01"], "未知参数"),
        (["dibao_standard_rural", "abc", "--from", "2020-01-01"], "无效"),
        (["tekun_minor_age", "17", "--from", "2020-01-01"], "无效"),
        (["tekun_may_get_nursing", "sometimes=yes", "--from", "2020-01-01"], "无效"),
        (["extension_months", "6", "--from", "2020-02-30"], "生效日期"),
        (["extension_months", "6", "--from", "2020/01/01"], "生效日期"),
        (["extension_months", "6"], "--from"),
    ],
)
def test_it_exits_1_with_the_chinese_reason_on_stderr(run, capsys, args, reason):
    assert run(*args) == 1
    captured = capsys.readouterr()
    assert reason in captured.err
    assert captured.out == ""
    assert not PolicyParameter.objects.exists()
