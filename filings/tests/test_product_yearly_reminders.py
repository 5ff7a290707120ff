"""The product holders' yearly update: the reminder at the start of the window, and staff's list of
registered records whose update is missing."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from filings.kinds.product import services as product_services
from filings.kinds.product.models import ProductYearlyData
from filings.models import Filing, OutboxMessage
from filings.states import State
from filings.tests.product_factories import complete_product_filing

pytestmark = pytest.mark.django_db


_serial = itertools.count(1)


def registered_in(year: int) -> Filing:
    """A registered record, its rows written directly (registration is tested in test_product_filing)."""
    n = next(_serial)
    filing = complete_product_filing(model=f"Y{n}")
    Filing.objects.filter(pk=filing.pk).update(
        state=State.REGISTERED,
        title=f"智能手表 Y{n}",
        number=f"CP2024-{n:04d}",
        registry_number=f"沪知产品备〔2024〕第{n:05d}号",
        registered_at=timezone.make_aware(datetime.datetime(year, 5, 1)),
    )
    return Filing.objects.get(pk=filing.pk)


def updated(filing: Filing, year: int) -> None:
    ProductYearlyData.objects.create(
        filing=filing,
        year=year,
        sales=Decimal("1"),
        exports=Decimal("0"),
        profit=Decimal("0"),
        ip_investment=Decimal("0"),
        reported_by=filing.created_by,
        reported_at=timezone.now(),
    )


def test_reminders_are_queued_once_at_the_start_of_the_window_on_commit(django_capture_on_commit_callbacks, mailoutbox):
    owing = registered_in(2023)
    done = registered_in(2023)
    updated(done, 2024)
    registered_in(2025)  # registered in the window's year: it filed that year's data with its record

    assert product_services.product_yearly_reminders_queue(today=datetime.date(2024, 12, 31)) == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert product_services.product_yearly_reminders_queue(today=datetime.date(2025, 1, 1)) == 1
    assert product_services.product_yearly_reminders_queue(today=datetime.date(2025, 1, 2)) == 0

    assert len(callbacks) == 1
    assert list(OutboxMessage.objects.filter(key__startswith="product-yearly:").values_list("key", flat=True)) == [
        f"product-yearly:{owing.pk}:2024"
    ]
    assert [mail.subject for mail in mailoutbox] == [
        f"[知识产权备案申报] 请更新专利产品“{owing.title}”的2024年度经济数据"
    ]
    assert f"/filings/{owing.pk}/product-yearly/" in mailoutbox[0].body


def test_the_reminder_is_scheduled_by_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["product-yearly-reminders"]
    assert schedule["task"] == "product.tasks.product_yearly_reminders_task"


def test_staff_list_the_records_whose_update_is_missing(staff_client, django_assert_max_num_queries):
    last_year = timezone.localdate().year - 1
    owing = registered_in(last_year)
    done = registered_in(last_year)
    updated(done, last_year)
    registered_in(last_year + 1)

    with django_assert_max_num_queries(8):
        response = staff_client.get(reverse("review:product-yearly-missing"))

    assert [filing.pk for filing in response.context["page"].object_list] == [owing.pk]
    assert response.context["year"] == last_year
    searched = staff_client.get(reverse("review:product-yearly-missing"), {"q": "没有这个产品"})
    assert list(searched.context["page"].object_list) == []
    assert (
        staff_client.get(reverse("review:product-yearly-missing"), {"q": owing.registry_number})
        .context["page"]
        .object_list[0]
        == owing
    )
