# The alliance kind's models now belong to the `alliance` app (filings.kinds.alliance),
# which took them into its state on the same tables (alliance 0001). Here `filings`
# only lets go of them: no table or row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('filings', '0005_queue_indexes'),
        ('alliance', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='PatentPool'),
                migrations.DeleteModel(name='AllianceMember'),
                migrations.DeleteModel(name='AllianceDetail'),
            ],
        ),
    ]
