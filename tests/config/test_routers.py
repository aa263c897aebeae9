"""The replica router: report reads go to the replica, all else to primary."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from config import routers
from config.routers import PrimaryReplicaRouter, replica_reads
from households.models import Household


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)


def test_it_reads_from_the_primary_by_default(with_replica):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Household) == "default"
    assert router.db_for_write(Household) == "default"


def test_it_reads_from_the_replica_inside_replica_reads(with_replica):
    router = PrimaryReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Household) == "replica"
        assert router.db_for_write(Household) == "default"
        with replica_reads():
            assert router.db_for_read(Household) == "replica"
        assert router.db_for_read(Household) == "replica"
    assert router.db_for_read(Household) == "default"


def test_it_stays_on_the_primary_without_a_replica():
    with replica_reads():
        assert PrimaryReplicaRouter().db_for_read(Household) == "default"


def test_it_migrates_only_the_primary():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "households")
    assert not router.allow_migrate("replica", "households")


@pytest.mark.django_db
def test_the_progress_report_reads_inside_replica_reads(monkeypatch):
    from cases.reports import build_progress_report

    seen = []
    original = PrimaryReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append(getattr(routers._state, "on", False))
        return original(self, model, **hints)

    monkeypatch.setattr(PrimaryReplicaRouter, "db_for_read", spy)
    build_progress_report(as_of=datetime.date(2020, 4, 15))
    assert seen and all(seen)


def test_settings_add_the_replica_from_the_environment():
    root = Path(__file__).resolve().parents[2]
    code = (
        "import django;django.setup();from django.conf import settings;"
        "print(settings.DATABASES['replica']['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PATH": "/usr/bin:/bin",
            "DATABASE_REPLICA_URL": "postgres://reader@10.0.0.2:5432/portal",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "portal", result.stderr
