"""The default cache: a database table every process and host shares."""

import pytest
from django.core.cache.backends.db import DatabaseCache

import config.settings as settings_module

pytestmark = pytest.mark.django_db


def test_the_default_is_the_database_cache_whose_table_migrate_makes():
    default = settings_module.CACHES["default"]
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    shared = DatabaseCache(default["LOCATION"], {})
    shared.set("dashboard:test", {"待整改": 3}, 60)
    assert shared.get("dashboard:test") == {"待整改": 3}
    # Another process sees the same entry: a second backend instance.
    assert DatabaseCache(default["LOCATION"], {}).get("dashboard:test") == {"待整改": 3}
