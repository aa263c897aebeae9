"""The benefit catalogue (glossary.md, Benefits)."""

from django.db import migrations

BENEFITS = [
    ("dibao", "最低生活保障（低保）", "低保", "social_assistance"),
    ("tekun", "特困人员救助供养", "特困供养", "social_assistance"),
    ("temporary_assistance", "临时救助", "临时救助", "social_assistance"),
    ("disability_living", "困难残疾人生活补贴", "残疾人生活补贴", "social_affairs"),
    ("disability_nursing", "重度残疾人护理补贴", "残疾人护理补贴", "social_affairs"),
    ("elderly", "困难老年人补贴", "老年人补贴", "charity_elderly"),
]


def create(apps, schema_editor):
    BenefitType = apps.get_model("subsidies", "BenefitType")
    for order, (code, name, short_name, section) in enumerate(BENEFITS, start=1):
        BenefitType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "section": section,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
