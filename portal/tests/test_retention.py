"""Retention: objectors' personal data anonymised and abandoned drafts deleted, nothing else."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from filings.models import Filing, Material
from filings.services import filing_submit
from filings.tests.alliance_factories import MaterialFactory, complete_alliance_filing
from filings.tests.consortium_factories import complete_consortium_filing
from filings.tests.product_factories import complete_product_filing
from portal import retention
from portal.tasks import retention_task
from review.models import Objection, PublicityBatch, PublicityEntry

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=365)


def batch_ended(days_ago: int) -> PublicityBatch:
    filing = complete_alliance_filing()
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="公示",
        starts_on=today - timedelta(days=days_ago + 7),
        ends_on=today - timedelta(days=days_ago),
        published_by=StaffFactory(),
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)
    return batch


def objection(batch: PublicityBatch, **fields) -> Objection:
    return Objection.objects.create(
        entry=batch.entries.get(),
        name="赵异议",
        organisation="上海某竞争企业有限公司",
        phone="13912340000",
        email="objector@example.org",
        reasons="成员未签署协议。",
        client_ip="203.0.113.9",
        **fields,
    )


def decided(batch: PublicityBatch) -> Objection:
    return objection(
        batch,
        decision=Objection.Decision.DISMISSED,
        decision_reason="经核实不成立",
        decided_by=StaffFactory(),
        decided_at=timezone.now(),
    )


def personal(o: Objection) -> tuple:
    o.refresh_from_db()
    return (o.name, o.organisation, o.phone, o.email, o.client_ip)


def test_decided_objection_of_an_old_publicity_is_anonymised_but_its_decision_kept():
    old = decided(batch_ended(days_ago=366))

    assert retention.objections_anonymise(after=YEAR) == 1

    assert personal(old) == ("（已匿名）", "", "", "", None)
    assert (old.reasons, old.decision, old.decision_reason) == ("成员未签署协议。", "dismissed", "经核实不成立")
    assert old.decided_by_id is not None and old.decided_at is not None
    assert retention.objections_anonymise(after=YEAR) == 0  # once is enough


def test_recent_or_pending_objections_keep_their_details():
    recent = decided(batch_ended(days_ago=30))
    pending = objection(batch_ended(days_ago=400))

    assert retention.objections_anonymise(after=YEAR) == 0

    assert personal(recent)[0] == personal(pending)[0] == "赵异议"


def abandon(filing: Filing, days: int) -> Filing:
    """Test setup: last saved and last uploaded to `days` ago."""
    then = timezone.now() - timedelta(days=days)
    Filing.objects.filter(pk=filing.pk).update(updated_at=then)
    Material.objects.filter(filing=filing).update(uploaded_at=then)
    return filing


@pytest.mark.parametrize("make", [complete_alliance_filing, complete_consortium_filing, complete_product_filing])
def test_abandoned_draft_is_deleted_with_its_detail_rows_and_files(make, django_capture_on_commit_callbacks):
    draft = make()
    upload = MaterialFactory(filing=draft, code="M6")
    stored = upload.file.name
    assert default_storage.exists(stored)
    abandon(draft, days=400)
    organisation = draft.organisation

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.drafts_delete(untouched_for=YEAR) == 1

    assert not Filing.objects.filter(pk=draft.pk).exists()
    assert not Material.objects.filter(pk=upload.pk).exists()
    assert not default_storage.exists(stored)
    organisation.refresh_from_db()  # the applicant's organisation stays


def test_drafts_in_use_and_submitted_filings_are_kept():
    recent = abandon(complete_alliance_filing(), days=30)
    uploaded_lately = abandon(complete_alliance_filing(), days=400)
    MaterialFactory(filing=uploaded_lately, code="M6")
    submitted = complete_alliance_filing()
    filing_submit(filing=submitted, actor=submitted.created_by)
    abandon(submitted, days=400)

    assert retention.drafts_delete(untouched_for=YEAR) == 0

    assert Filing.objects.filter(pk__in=[recent.pk, uploaded_lately.pk, submitted.pk]).count() == 3


def test_retention_runs_daily_from_beat_with_the_configured_periods(settings):
    settings.OBJECTOR_DATA_DAYS = 100
    settings.DRAFT_RETENTION_DAYS = 200
    old = decided(batch_ended(days_ago=101))
    draft = abandon(complete_alliance_filing(), days=201)
    kept = abandon(complete_alliance_filing(), days=199)

    result = retention_task.delay().get()

    assert result == {"objections_anonymised": 1, "drafts_deleted": 1}
    assert personal(old)[0] == "（已匿名）"
    assert not Filing.objects.filter(pk=draft.pk).exists() and Filing.objects.filter(pk=kept.pk).exists()


def test_retention_is_on_the_beat_schedule():
    schedule = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert (schedule["task"], schedule["schedule"]) == ("portal.tasks.retention_task", 86400.0)
