from django.db import migrations

# A search of one or two characters (芯片, 联盟, 专利: most Chinese words are two) has no trigram
# for pg_trgm to look up (0008): PostgreSQL read every filing for it. Each searched name and number
# is also indexed by its one- and two-character pieces, in capitals: a text contains a one- or
# two-character `q` exactly when UPPER(q) is one of them, so the index answers the search without
# testing a row again (review/search.py). The pieces are its characters, and its pairs starting
# at even and at odd places (a pair cut short at the end is a character, also one of them); a
# text holding the separator, chr(31) (a control character), loses only the pieces across it. Built-in functions only, so that PostgreSQL inlines it: 5 µs a name (one built on
# generate_series took 22).
#
# The registry searches registered filings only, off partial indexes of their own. Their
# condition, UPPER(state) = 'REGISTERED', is how the registry's search asks for registered
# filings (review/registry/selectors.py): no other index serves it, so PostgreSQL never reads the
# registered filings off the state's index to test each one's name by cutting it into pieces.
# PostgreSQL only, as 0008; SQLite searches by scanning.
GRAMS = r"""
CREATE OR REPLACE FUNCTION search_grams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT string_to_array(value, NULL)
        || string_to_array(regexp_replace(value, '(..)', '\1' || chr(31), 'g'), chr(31))
        || string_to_array(regexp_replace(substr(value, 2), '(..)', '\1' || chr(31), 'g'), chr(31))
$$
"""
REGISTERED = "WHERE UPPER(state::text) = 'REGISTERED'"
GRAM_INDEXES = {
    "filing_title_grams": "filings_filing USING gin (search_grams(UPPER(title::text)))",
    "filing_number_grams": "filings_filing USING gin (search_grams(UPPER(number::text)))",
    "registry_title_grams": f"filings_filing USING gin (search_grams(UPPER(title::text))) {REGISTERED}",
    "registry_number_grams": f"filings_filing USING gin (search_grams(UPPER(registry_number::text))) {REGISTERED}",
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
