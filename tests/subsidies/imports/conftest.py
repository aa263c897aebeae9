"""Fixtures of the benefit roster import tests."""

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Committed imports keep the uploaded file: keep it out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
