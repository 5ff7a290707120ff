from django.db import migrations

# The dashboard counts the expert sheets still awaited (overdue or pending by the clock) on every
# view: an index that holds only those keeps that read as small as the work under way, whatever the
# number of sheets ever sent. PostgreSQL only, like the kept figures it sits beside.
CREATE = (
    "CREATE INDEX IF NOT EXISTS statistics_awaited_sheet_idx ON review_expertassignment (filing_id, due_at) "
    "WHERE submitted_at IS NULL"
)
DROP = "DROP INDEX IF EXISTS statistics_awaited_sheet_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0004_kept_figure_indexes"),
        ("review", "0004_assignment_history_follows_the_assignment"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
