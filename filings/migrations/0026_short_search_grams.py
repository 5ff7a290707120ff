from django.db import migrations

# A search of one or two characters (芯片, 联盟, 专利: most Chinese words are two) has no trigram
# for pg_trgm to look up (0008): PostgreSQL read every filing for it. Each searched name and number
# is also indexed by the set of its one- and two-character pieces, in capitals: a text contains a
# one- or two-character `q` exactly when UPPER(q) is one of them, so the index answers the search
# without a recheck (review/search.py). PostgreSQL only, as 0008; SQLite searches by scanning.
GRAMS = """
CREATE OR REPLACE FUNCTION search_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, n)), '{}')
    FROM generate_series(1, 2) AS n, generate_series(1, char_length(value) - n + 1) AS i
$$
"""
GRAM_INDEXES = {
    "filing_title_grams": "filings_filing USING gin (search_grams(UPPER(title::text)))",
    "filing_number_grams": "filings_filing USING gin (search_grams(UPPER(number::text)))",
    "filing_registry_number_grams": "filings_filing USING gin (search_grams(UPPER(registry_number::text)))",
    "organisation_name_grams": "accounts_organisation USING gin (search_grams(UPPER(name::text)))",
}


def create_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GRAMS)
    for name, definition in GRAM_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_gram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in GRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_grams(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_role_history_knows_the_district_role"),
        ("filings", "0025_queue_district_state_sort_indexes"),
    ]

    operations = [
        migrations.RunPython(create_gram_indexes, drop_gram_indexes),
    ]
