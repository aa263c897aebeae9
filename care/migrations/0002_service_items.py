"""The care-service list (关爱服务内容清单) ships with common items.

The bureau admin edits the list in the admin site; these are a start.
"""

from django.db import migrations

ITEMS = [
    ("生活照料", "助餐、助洁、代购代办等日常生活帮助"),
    ("精神慰藉", "定期看望、谈心聊天，缓解孤独"),
    ("健康管理", "健康体检、慢病随访、就医陪护"),
    ("安全防护", "排查用火、用电、房屋等安全隐患"),
    ("紧急救援", "突发疾病或意外时的紧急联络与救助"),
    ("权益维护", "赡养纠纷调解、法律援助"),
    ("政策落实", "协助申请低保、特困、高龄补贴等政策"),
]


def create(apps, schema_editor):
    CareServiceItem = apps.get_model("care", "CareServiceItem")
    for order, (name, description) in enumerate(ITEMS, start=1):
        CareServiceItem.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
