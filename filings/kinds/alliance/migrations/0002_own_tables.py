# The tables take this app's names; the content types (and so the admin permissions
# granted on them) follow the models to this app.

from django.db import migrations

MODELS = ("alliancedetail", "alliancemember", "patentpool")


def content_types_follow(apps, schema_editor, source="filings", target="alliance"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="alliance", target="filings")


class Migration(migrations.Migration):

    dependencies = [
        ('alliance', '0001_initial'),
        ('filings', '0006_alliance_to_its_own_app'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterModelTable(name='alliancedetail', table=None),
        migrations.AlterModelTable(name='alliancemember', table=None),
        migrations.AlterModelTable(name='patentpool', table=None),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
