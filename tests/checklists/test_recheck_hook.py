"""The re-check hook: after commit, once, and not for huge bulk writes."""

import logging

import pytest

from checklists import recheck


@pytest.fixture
def calls(monkeypatch):
    seen = []
    monkeypatch.setattr(recheck, "_handlers", [seen.append])
    return seen


@pytest.mark.django_db
def test_it_runs_the_handlers_after_the_commit(
    calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert recheck.household_changed([3, 1, 3])
        assert calls == []
    assert calls == [[1, 3]]


@pytest.mark.django_db
def test_it_leaves_a_bulk_write_to_the_full_rule_run(
    calls, settings, django_capture_on_commit_callbacks
):
    settings.RECHECK_INLINE_MAX_HOUSEHOLDS = 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not recheck.household_changed([1, 2, 3])
    assert callbacks == [] and calls == []


@pytest.mark.django_db
def test_a_failing_handler_is_logged_not_raised(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(ids):
        raise RuntimeError("boom")

    monkeypatch.setattr(recheck, "_handlers", [broken])
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        recheck.household_changed([7])
    assert "re-check failed for households [7]" in caplog.text


def test_nothing_to_do_for_no_households(calls):
    assert not recheck.household_changed([])
