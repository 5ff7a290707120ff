from django.db import migrations, models

# A filing keeps its applicant's district (accounts_organisation.district), so that the lists
# filter by district on the filing's own indexes instead of joining every filing of a state to
# its organisation. The database keeps it, however a change is made (a service, a bulk update, a
# fix in the shell): a filing takes its organisation's district when inserted or moved to another
# organisation, and every filing of an organisation follows it when its district changes.
POSTGRESQL = """
CREATE OR REPLACE FUNCTION filing_district_take() RETURNS trigger AS $$
BEGIN
    NEW.district := COALESCE((SELECT o.district FROM accounts_organisation o WHERE o.id = NEW.organisation_id), '');
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER filing_district_take BEFORE INSERT OR UPDATE OF organisation_id, district ON filings_filing
    FOR EACH ROW EXECUTE FUNCTION filing_district_take();

CREATE OR REPLACE FUNCTION filing_district_follow() RETURNS trigger AS $$
BEGIN
    UPDATE filings_filing SET district = NEW.district WHERE organisation_id = NEW.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER filing_district_follow AFTER UPDATE OF district ON accounts_organisation
    FOR EACH ROW WHEN (OLD.district IS DISTINCT FROM NEW.district)
    EXECUTE FUNCTION filing_district_follow();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS filing_district_follow ON accounts_organisation;
DROP TRIGGER IF EXISTS filing_district_take ON filings_filing;
DROP FUNCTION IF EXISTS filing_district_follow();
DROP FUNCTION IF EXISTS filing_district_take();
"""
# SQLite's triggers cannot change the row being written: they write it again after.
SQLITE = [
    """CREATE TRIGGER filing_district_insert AFTER INSERT ON filings_filing BEGIN
        UPDATE filings_filing SET district = COALESCE(
            (SELECT o.district FROM accounts_organisation o WHERE o.id = NEW.organisation_id), '')
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER filing_district_update AFTER UPDATE OF organisation_id, district ON filings_filing
    WHEN NEW.district IS NOT COALESCE(
        (SELECT o.district FROM accounts_organisation o WHERE o.id = NEW.organisation_id), '') BEGIN
        UPDATE filings_filing SET district = COALESCE(
            (SELECT o.district FROM accounts_organisation o WHERE o.id = NEW.organisation_id), '')
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER filing_district_follow AFTER UPDATE OF district ON accounts_organisation
    WHEN OLD.district IS NOT NEW.district BEGIN
        UPDATE filings_filing SET district = NEW.district WHERE organisation_id = NEW.id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS filing_district_follow",
    "DROP TRIGGER IF EXISTS filing_district_update",
    "DROP TRIGGER IF EXISTS filing_district_insert",
]
BACKFILL = """
UPDATE filings_filing SET district = COALESCE(
    (SELECT o.district FROM accounts_organisation o WHERE o.id = filings_filing.organisation_id), '')
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(BACKFILL)
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_role_history_knows_the_district_role"),
        ("filings", "0020_findings_summary_on_the_filing"),
    ]

    operations = [
        migrations.AddField(
            model_name="filing",
            name="district",
            field=models.CharField(blank=True, default="", editable=False, max_length=8, verbose_name="所在区"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(
                condition=models.Q(("state", "draft"), _negated=True),
                fields=["district", "-submitted_at", "-id"],
                name="queue_district_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["district", "state", "-submitted_at", "-id"], name="queue_district_state_idx"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(
                condition=models.Q(("state", "registered")),
                fields=["district", "-registered_at", "-id"],
                name="registry_district_idx",
            ),
        ),
    ]
