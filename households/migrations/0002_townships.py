"""The county's 18 township-level units, with suffix-free names and aliases.

Shipped as data so every migrated database already knows them
(policy-rules.md, Reference facts).
"""

from django.db import migrations

TOWNSHIPS = [
    ("博济桥街道", "博济桥", []),
    ("侨润街道", "侨润", []),
    ("狮子楼街道", "狮子楼", []),
    ("阎楼镇", "阎楼", ["闫楼镇", "闫楼"]),
    ("阿城镇", "阿城", []),
    ("七级镇", "七级", []),
    ("安乐镇", "安乐", []),
    ("定水镇", "定水", []),
    ("石佛镇", "石佛", []),
    ("李台镇", "李台", []),
    ("寿张镇", "寿张", []),
    ("十五里园镇", "十五里园", []),
    ("张秋镇", "张秋", []),
    ("郭店屯镇", "郭店屯", ["郭屯镇", "郭屯"]),
    ("西湖镇", "西湖", []),
    ("高庙王镇", "高庙王", []),
    ("金斗营镇", "金斗营", []),
    ("大布乡", "大布", []),
]


def create(apps, schema_editor):
    Township = apps.get_model("households", "Township")
    for order, (name, short_name, aliases) in enumerate(TOWNSHIPS, start=1):
        Township.objects.update_or_create(
            name=name,
            defaults={"short_name": short_name, "aliases": aliases, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
