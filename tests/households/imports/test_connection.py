"""The one place that says and handles "the database connection was lost"."""

import logging
from unittest import mock

from django.db.utils import InterfaceError, OperationalError

from households.imports import command as import_command
from households.imports import connection as lost
from tests.households.imports.helpers import make_id


def test_every_import_says_it_in_the_same_words():
    from care import views as care_views
    from households import import_views

    assert lost.CONNECTION_LOST == "数据库连接中断，本次导入未写入任何数据，请稍后重试"
    for module in (import_command, import_views, care_views):
        assert module.CONNECTION_LOST is lost.CONNECTION_LOST
    assert set(lost.CONNECTION_ERRORS) == {OperationalError, InterfaceError}


def test_it_closes_the_connection_outside_a_transaction(caplog):
    id_number = make_id()
    db = mock.Mock(in_atomic_block=False)
    with (
        mock.patch.object(lost, "connection", db),
        caplog.at_level(logging.WARNING, logger=lost.__name__),
    ):
        lost.connection_lost(
            OperationalError(f"server closed the connection {id_number}\n"),
            what="household_roster batch 7 confirm",
        )
    db.close.assert_called_once_with()
    assert "household_roster batch 7 confirm" in caplog.text
    assert "OperationalError: server closed the connection" in caplog.text
    assert id_number not in caplog.text


def test_it_leaves_an_outer_transaction_alone():
    db = mock.Mock(in_atomic_block=True)
    with mock.patch.object(lost, "connection", db):
        lost.connection_lost(InterfaceError("connection already closed"), what="x")
    db.close.assert_not_called()
