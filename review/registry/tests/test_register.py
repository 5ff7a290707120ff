"""Registration on a filing's page after a clean publicity."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import (
    StaffFactory,
)
from filings.models import Filing
from filings.states import State
from review.models import PublicityBatch, PublicityEntry
from review.tests.desk import (
    in_state,
    page_url,
    queued,
)

pytestmark = pytest.mark.django_db


# --- registration --------------------------------------------------------------------


def publicise(filing: Filing, *, ended: bool) -> Filing:
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="拟入库名单公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=3) if ended else today + timedelta(days=3),
        published_by=StaffFactory(),
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)
    return in_state(filing, State.PUBLICITY)


def test_register_after_a_finished_publicity_gives_the_number_in_the_call_format(staff_client):
    filing = publicise(queued(), ended=True)

    response = staff_client.post(page_url(filing, "review:filing-register"), follow=True)

    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.REGISTERED, "沪知联备〔2024〕第001号")
    assert "已入库/立项，编号 沪知联备〔2024〕第001号。" in response.content.decode()


def test_register_during_publicity_is_refused_with_a_message(staff_client):
    filing = publicise(queued(), ended=False)

    response = staff_client.post(page_url(filing, "review:filing-register"), follow=True)

    assert "公示期尚未结束，不能入库。" in response.content.decode()
    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.PUBLICITY, None)
