"""Fixtures of the import tests (no database)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture
def sample_path() -> Path:
    """The example village roster of the shared samples, copied to tests/data."""
    return DATA / "village-roster-example.xlsx"
