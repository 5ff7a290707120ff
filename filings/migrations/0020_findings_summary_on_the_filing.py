from collections import Counter

from django.db import migrations, models
from django.db.models import F


def summary(findings: list) -> dict:
    # filings.rules.findings_summary as it was when this migration was written.
    counts = Counter(f.get("verdict") for f in findings or [])
    return {
        "fail": counts["fail"],
        "review": counts["review"],
        "badges": [f for f in findings or [] if f.get("verdict") == "badge"],
    }


def summarise_latest_versions(apps, schema_editor):
    """Each submitted filing's summary, from its latest version's frozen findings, in batches."""
    Filing = apps.get_model("filings", "Filing")
    FilingVersion = apps.get_model("filings", "FilingVersion")
    latest = FilingVersion.objects.filter(number=F("filing__version")).values_list("filing_id", "findings")
    batch = []
    for filing_id, findings in latest.iterator(chunk_size=2000):
        batch.append(Filing(pk=filing_id, findings_summary=summary(findings)))
        if len(batch) == 2000:
            Filing.objects.bulk_update(batch, ["findings_summary"])
            batch = []
    Filing.objects.bulk_update(batch, ["findings_summary"])


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0019_queue_sort_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="filing",
            name="findings_summary",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(summarise_latest_versions, migrations.RunPython.noop, elidable=True),
    ]
