"""A small programme whose every figure is counted by hand in the tests (review/statistics).

Rows are written directly, with the events the workflow would have written: the workflow
itself is tested in filings/ and review/.

    F1 联盟   浦东新区 (临港)  集成电路  registered   submit 2024-09-27, audit 10-08, experts 10-15 & 10-18 (due 10-20), registered 11-15
    F2 联盟   徐汇区           生物医药  rejected     submit 10-09, returned 10-10, resubmitted 10-14, rejected 10-16
    F3 产品   浦东新区         集成电路  registered   submit 11-04, 备案成功 11-06
    F4 产品   徐汇区           人工智能  withdrawn    submit 11-05, 备案成功 11-07, withdrawn 12-02
    F5 联盟   浦东新区         集成电路  expert_review submit 12-02, audit 12-03; one expert late (12-12, due 12-10), one overdue
    F6 联盟   浦东新区 (临港)  —         draft (counted nowhere)
"""

from datetime import datetime

from django.utils import timezone

from accounts.models import District
from accounts.tests.factories import ExpertFactory, OrganisationFactory, StaffFactory
from filings.models import Filing, FilingEvent
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.factories import CallFactory
from filings.tests.product_factories import ProductCallFactory, ProductFilingFactory
from review.models import ExpertAssignment


def at(month: int, day: int, year: int = 2024, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour))


def _filing(factory, call, organisation, *, state, industry, number, registered=None):
    filing = factory(call=call, organisation=organisation)
    Filing.objects.filter(pk=filing.pk).update(
        state=state, industry=industry, number=number, title=f"测试申报{number}", registered_at=registered, version=1
    )
    return Filing.objects.get(pk=filing.pk)


def _events(filing, staff, *steps):
    for action, from_state, to_state, when in steps:
        actor = filing.created_by if action in ("submit", "resubmit", "withdraw", "withdraw_record") else staff
        FilingEvent.objects.create(
            filing=filing, actor=actor, action=action, from_state=from_state, to_state=to_state, created_at=when
        )


def programme() -> dict:
    staff = StaffFactory()
    lingang = OrganisationFactory(name="临港芯片有限公司", district=District.PUDONG, in_lingang=True)
    pudong = OrganisationFactory(name="张江药谷有限公司", district=District.PUDONG)
    xuhui = OrganisationFactory(name="徐汇智能有限公司", district=District.XUHUI)
    alliance_call = CallFactory(title="2024年联盟备案")
    product_call = ProductCallFactory(title="2024年专利产品备案")
    S = State

    f1 = _filing(AllianceFilingFactory, alliance_call, lingang, state=S.REGISTERED, industry="集成电路",
                 number="LM2024-001-0001", registered=at(11, 15))  # fmt: skip
    _events(
        f1,
        staff,
        ("submit", S.DRAFT, S.SUBMITTED, at(9, 27)),
        ("audit_pass", S.SUBMITTED, S.EXPERT_REVIEW, at(10, 8)),
        ("review_pass", S.EXPERT_REVIEW, S.REVIEWED, at(10, 21)),
        ("publish", S.REVIEWED, S.PUBLICITY, at(10, 22)),
        ("register", S.PUBLICITY, S.REGISTERED, at(11, 15)),
    )
    for when in (at(10, 15), at(10, 18)):
        ExpertAssignment.objects.create(
            filing=f1, expert=ExpertFactory(), assigned_by=staff, assigned_at=at(10, 8), due_at=at(10, 20),
            submitted_at=when, total=80, recommendation="approve",
        )  # fmt: skip

    f2 = _filing(AllianceFilingFactory, alliance_call, xuhui, state=S.REJECTED, industry="生物医药",
                 number="LM2024-001-0002")  # fmt: skip
    _events(
        f2,
        staff,
        ("submit", S.DRAFT, S.SUBMITTED, at(10, 9)),
        ("return", S.SUBMITTED, S.RETURNED, at(10, 10)),
        ("resubmit", S.RETURNED, S.SUBMITTED, at(10, 14)),
        ("reject", S.SUBMITTED, S.REJECTED, at(10, 16)),
    )

    f3 = _filing(ProductFilingFactory, product_call, pudong, state=S.REGISTERED, industry="集成电路",
                 number="CP2024-001-0001", registered=at(11, 6))  # fmt: skip
    _events(
        f3,
        staff,
        ("submit", S.DRAFT, S.SUBMITTED, at(11, 4)),
        ("product_register", S.SUBMITTED, S.REGISTERED, at(11, 6)),
    )

    f4 = _filing(ProductFilingFactory, product_call, xuhui, state=S.WITHDRAWN, industry="人工智能",
                 number="CP2024-001-0002", registered=at(11, 7))  # fmt: skip
    _events(
        f4,
        staff,
        ("submit", S.DRAFT, S.SUBMITTED, at(11, 5)),
        ("product_register", S.SUBMITTED, S.REGISTERED, at(11, 7)),
        ("withdraw_record", S.REGISTERED, S.WITHDRAWN, at(12, 2)),
    )

    f5 = _filing(AllianceFilingFactory, alliance_call, pudong, state=S.EXPERT_REVIEW, industry="集成电路",
                 number="LM2024-001-0003")  # fmt: skip
    _events(
        f5,
        staff,
        ("submit", S.DRAFT, S.SUBMITTED, at(12, 2)),
        ("audit_pass", S.SUBMITTED, S.EXPERT_REVIEW, at(12, 3)),
    )
    ExpertAssignment.objects.create(
        filing=f5, expert=ExpertFactory(), assigned_by=staff, assigned_at=at(12, 3), due_at=at(12, 10),
        submitted_at=at(12, 12), total=70, recommendation="approve",
    )  # fmt: skip
    ExpertAssignment.objects.create(
        filing=f5, expert=ExpertFactory(), assigned_by=staff, assigned_at=at(12, 3), due_at=at(12, 10)
    )

    f6 = AllianceFilingFactory(call=alliance_call, organisation=lingang)
    return {
        "staff": staff,
        "calls": {"alliance": alliance_call, "product": product_call},
        "organisations": {"lingang": lingang, "pudong": pudong, "xuhui": xuhui},
        "filings": {"f1": f1, "f2": f2, "f3": f3, "f4": f4, "f5": f5, "draft": f6},
    }
