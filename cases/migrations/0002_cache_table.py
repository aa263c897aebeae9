"""The database cache's table (settings.CACHES, default ``dbcache://portal_cache``).

``createcachetable`` is idempotent and does nothing for other cache backends,
so ``migrate`` is the only set-up step on every database.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            create_cache_table, migrations.RunPython.noop, elidable=True
        )
    ]
