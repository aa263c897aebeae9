from django.db import migrations, models


class Migration(migrations.Migration):
    """Each rule run looks up the outcomes already stored for its households
    and date; without this index that lookup scans the whole date (the first
    run over 60,000 households took 19 minutes)."""

    dependencies = [("checklists", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="policyoutcome",
            index=models.Index(
                fields=["household", "as_of"], name="outcome_household_as_of_idx"
            ),
        ),
    ]
