"""Registry entries and publicity batches placed directly (the staff's steps are tested in review/)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import District
from accounts.tests.factories import OrganisationFactory, StaffFactory
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from review.models import PublicityBatch, PublicityEntry

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def registered(
    *, title="上海车规芯片产业知识产权联盟", industry="集成电路", district=District.PUDONG, year=2024, call=None
) -> Filing:
    filing = AllianceFilingFactory(
        organisation=OrganisationFactory(district=district), **({"call": call} if call else {})
    )
    seq = next(_seq)
    Filing.objects.filter(pk=filing.pk).update(  # test setup: place the filing in the registry
        state=State.REGISTERED,
        title=title,
        industry=industry,
        registry_seq=seq,
        registry_number=f"沪知联备〔{year}〕第{seq:03d}号",
        registered_at=datetime.datetime(year, 6, 1, 10, 0, tzinfo=SHANGHAI) + datetime.timedelta(minutes=seq),
    )
    return Filing.objects.get(pk=filing.pk)


def in_publicity(filings, *, days_ago: int = 1, days: int = 6, title="2024年上海市产业知识产权联盟拟备案名单公示"):
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filings[0].call,
        title=title,
        starts_on=today - datetime.timedelta(days=days_ago),
        ends_on=today - datetime.timedelta(days=days_ago) + datetime.timedelta(days=days),
        published_by=StaffFactory(),
    )
    for position, filing in enumerate(filings, start=1):
        PublicityEntry.objects.create(batch=batch, filing=filing, position=position)
        Filing.objects.filter(pk=filing.pk).update(state=State.PUBLICITY)  # test setup
    return batch
