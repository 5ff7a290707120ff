from django.db import migrations

# Searches must be planned off the index of the searched name (0008, 0018, 0026). Two things made
# PostgreSQL read every registered filing instead and test each name by cutting it into pieces
# (5 µs a row):
# - Rows added since the last vacuum wait in a GIN index's pending list, which every search reads
#   whole, and which PostgreSQL counts into a search's cost. A pending list grown by a few thousand
#   rows priced the pieces' index above reading every registered filing. Without the pending list
#   (fastupdate off), a name is entered in the index as it is written: a filing's save costs a
#   little more, a search never reads more than the index.
# - The registry asks for registered filings as UPPER(state) = 'REGISTERED' (0026), an expression
#   PostgreSQL kept no statistics of: it took half a percent of the filings to be registered.
#   Statistics on the expression (PostgreSQL 14 and later) give it the share at each ANALYZE.
# PostgreSQL only; SQLite searches by scanning.
SEARCH_INDEXES = [
    "filing_title_trgm", "filing_registry_number_trgm", "organisation_name_trgm", "filing_number_trgm",
    "filing_title_grams", "filing_number_grams", "registry_title_grams", "registry_number_grams",
    "organisation_name_grams",
]  # fmt: skip
STATISTICS = "filing_registered_share"


def plan_searches_as_they_are(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} SET (fastupdate = off)")
        # What already waits is entered now (the setting only stops the list from growing).
        schema_editor.execute(f"SELECT gin_clean_pending_list(oid) FROM pg_class WHERE relname = '{name}'")
    if connection.pg_version >= 140000:
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (UPPER(state::text)) FROM filings_filing"
        )
        schema_editor.execute("ANALYZE filings_filing")


def plan_searches_as_before(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
    for name in SEARCH_INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("filings", "0026_short_search_grams")]

    operations = [migrations.RunPython(plan_searches_as_they_are, plan_searches_as_before)]
