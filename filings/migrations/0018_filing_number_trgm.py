from django.db import migrations

# The open data API searches a 公示's entries by name or 申报编号 (icontains on both): with a
# trigram index on the number as on the name (0008), the two combine (BitmapOr) and a search
# reads the few filings that match. Without it, PostgreSQL scanned every filing for each search.
# PostgreSQL only, as 0008.
DEFINITION = "filing_number_trgm ON filings_filing USING gin (UPPER(number::text) gin_trgm_ops)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {DEFINITION}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS filing_number_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("filings", "0017_registry_call_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
