import importlib

from django.db import migrations

# A filing's change of state (or call, kind, applicant) moves it from one kept count to another
# (filings 0009). Taken as two statements, a filing returned for 补正 while another of the same
# call and district was resubmitted could each hold the count the other wanted next: a deadlock,
# and one of the two users' actions refused. Both rows are now changed by one statement, in key
# order, so that two changes at the same instant lock the counts they share in the same order.
# SQLite: nothing here.
COUNT_TABLE = "filings_filingstatecount"
SQL = f"""
CREATE OR REPLACE FUNCTION filing_state_count_track() RETURNS trigger AS $$
BEGIN
    INSERT INTO {COUNT_TABLE} (call_id, kind, district, state, n)
    SELECT m.call_id, m.kind, o.district, m.state, SUM(m.delta)
    FROM (SELECT OLD.call_id, OLD.kind, OLD.organisation_id, OLD.state, -1 WHERE TG_OP IN ('UPDATE', 'DELETE')
          UNION ALL
          SELECT NEW.call_id, NEW.kind, NEW.organisation_id, NEW.state, 1 WHERE TG_OP IN ('UPDATE', 'INSERT'))
         AS m(call_id, kind, organisation_id, state, delta)
    JOIN accounts_organisation o ON o.id = m.organisation_id
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (call_id, kind, district, state) DO UPDATE SET n = {COUNT_TABLE}.n + EXCLUDED.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def _as_before() -> str:
    """filing_state_count_track() as 0009 wrote it, for going back."""
    sql = importlib.import_module("filings.migrations.0009_state_counts").SQL
    return sql[sql.index("CREATE OR REPLACE FUNCTION filing_state_count_track()") : sql.index("CREATE TRIGGER")]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_as_before())


class Migration(migrations.Migration):
    dependencies = [("filings", "0023_registry_district_industry_index")]

    operations = [migrations.RunPython(forwards, backwards)]
