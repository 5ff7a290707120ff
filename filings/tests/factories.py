from datetime import timedelta

import factory
from django.utils import timezone

from filings.models import Call


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    kind = "ALLIANCE"
    title = factory.Sequence(lambda n: f"关于开展上海市产业知识产权联盟备案的通知（第{n}批）")
    notice_number = "沪知局促〔2024〕40号"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    number_format = "沪知联备〔{year}〕第{seq:03d}号"
    year = 2024


class ClosedCallFactory(CallFactory):
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
