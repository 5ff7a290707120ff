"""The figures PostgreSQL keeps (review.statistics 0003, review.directory 0002) against a full count
of the filings: exact after transitions, bulk updates, an applicant's move and changes made at the
same instant."""

from datetime import date

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Area, District
from accounts.tests.factories import ExpertFactory, StaffFactory
from filings import workflow
from filings.models import Filing, FilingEvent
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.threads import run_at_once, skip_unless_postgres
from review.directory.models import ProductHolder
from review.models import ExpertAssignment
from review.statistics import selectors
from review.statistics.calendar import workday_table_ensure
from review.statistics.tests.programme import at, programme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    skip_unless_postgres()


@pytest.fixture
def world():
    world = programme()
    workday_table_ensure()
    return world


def plain(figures: dict) -> dict:
    """The figures as a person reads them (labels and numbers), whichever path counted them."""
    buckets = ("total", "registered", "in_progress", "rejected", "withdrawn")

    def rows(items, keys):
        return [(row["label"], *(row[k] for k in keys)) for row in items]

    return {
        "states": figures["states"],
        "by": {name: rows(items, buckets) for name, items in figures["by"].items()},
        "monthly": rows(figures["monthly"], ("submitted", "registered", "rejected", "withdrawn")),
        "products": {name: rows(items, ("registered", "withdrawn")) for name, items in figures["products"].items()},
        "times": figures["times"],
        "rounds": figures["rounds"],
        "experts": figures["experts"],
    }


def filter_sets(world) -> list[dict]:
    return [
        {},
        {"kind": "PRODUCT"},
        {"kind": "ALLIANCE", "call": world["calls"]["alliance"].pk},
        {"area": District.XUHUI},
        {"area": Area.LINGANG},
        {"date_from": date(2024, 10, 1), "date_to": date(2024, 11, 30)},
        {"date_from": date(2024, 12, 1), "area": District.PUDONG},
        {"date_to": date(2024, 10, 31)},
        # Whole years, read from the yearly sums: alone, and between months of the years around.
        {"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)},
        {"date_from": date(2023, 7, 1), "date_to": date(2025, 2, 28), "kind": "ALLIANCE"},
    ]


def assert_kept_matches_a_full_count(world):
    for filters in filter_sets(world):
        assert selectors.kept_answers(filters)
        assert plain(selectors.kept_dashboard(filters)) == plain(selectors.scanned_dashboard(filters)), filters


def test_kept_figures_match_a_full_count_of_the_programme(world):
    assert_kept_matches_a_full_count(world)
    assert plain(selectors.kept_dashboard({}))["by"]["kind"] == [
        ("上海市产业知识产权联盟备案", 3, 1, 1, 1, 0),
        ("专利产品备案", 2, 1, 0, 0, 1),
    ]


def test_kept_figures_follow_transitions_bulk_updates_and_an_applicants_move(world):
    staff, filings, organisations = world["staff"], world["filings"], world["organisations"]
    # The last awaited expert sends a sheet, late: the experts are done, on-time rate changes.
    ExpertAssignment.objects.filter(filing=filings["f5"], submitted_at__isnull=True).update(submitted_at=at(12, 16))
    # A new filing submitted through the workflow, then returned for 补正 and resubmitted.
    fresh = AllianceFilingFactory(call=world["calls"]["alliance"], organisation=organisations["xuhui"])
    Filing.objects.filter(pk=fresh.pk).update(state=State.SUBMITTED, industry="新材料")  # a bulk update
    FilingEvent.objects.create(filing=fresh, actor=fresh.created_by, action="submit", from_state=State.DRAFT,
                               to_state=State.SUBMITTED, created_at=at(12, 9))  # fmt: skip
    workflow.filing_transition(filing=fresh, action="return", actor=staff, comment="请补充材料")
    # A bulk change of industry, and an applicant that moves district and leaves 临港.
    Filing.objects.filter(industry="集成电路").update(industry="集成电路设计")
    lingang = organisations["lingang"]
    lingang.district, lingang.in_lingang = District.FENGXIAN, False
    lingang.save(update_fields=["district", "in_lingang"])
    # An assignment given and then taken back.
    extra = ExpertAssignment.objects.create(filing=filings["f1"], expert=ExpertFactory(), assigned_by=staff,
                                            due_at=timezone.now(), submitted_at=at(10, 25))  # fmt: skip
    extra.delete()

    assert_kept_matches_a_full_count(world)
    figures = plain(selectors.kept_dashboard({}))
    assert ("奉贤区", 1, 1, 0, 0, 0) in figures["by"]["district"]
    assert ("新材料", 1, 0, 1, 0, 0) in figures["by"]["industry"]
    assert figures["rounds"] == [{"rounds": 0, "n": 4}, {"rounds": 1, "n": 2}]


def test_kept_figures_stay_exact_when_staff_act_at_the_same_instant(world):
    call = world["calls"]["alliance"]
    filings = [AllianceFilingFactory(call=call) for _i in range(6)]
    Filing.objects.filter(pk__in=[f.pk for f in filings]).update(state=State.SUBMITTED)
    staff = StaffFactory()

    results = run_at_once(
        [lambda f=f: workflow.filing_transition(filing=f, action="audit_pass", actor=staff) for f in filings]
        + [lambda: ExpertAssignment.objects.filter(filing=world["filings"]["f5"]).update(submitted_at=at(12, 11))]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    assert_kept_matches_a_full_count(world)
    states = {row["state"]: row["n"] for row in selectors.kept_dashboard({"call": call.pk})["states"]}
    assert states["expert_review"] == 7


@pytest.mark.parametrize(
    ("field", "there", "back"),
    [("state", State.SUBMITTED, State.RETURNED), ("industry", "新材料", "高端装备")],
)
def test_opposite_moves_in_one_scope_at_the_same_instant_never_wait_for_each_other(world, field, there, back):
    """One filing returned for 补正 while another of the same call, applicant and industry, submitted
    in another month of the same year, is resubmitted (or two filings swap industries): each moves
    one filing between the same two rows of the counts, in opposite directions. Neither may wait for
    the other, or one of the two users' actions would be refused as a deadlock."""
    call, organisation = world["calls"]["alliance"], world["organisations"]["pudong"]
    pairs = []
    for month in range(1, 7):
        going, coming = (AllianceFilingFactory(call=call, organisation=organisation) for _i in range(2))
        for filing, when in ((going, at(month, 3)), (coming, at(month + 6, 20))):
            FilingEvent.objects.create(filing=filing, actor=filing.created_by, action="submit",
                                       from_state=State.DRAFT, to_state=State.SUBMITTED, created_at=when)  # fmt: skip
        start = {"state": State.SUBMITTED, "industry": "新材料"}
        Filing.objects.filter(pk=going.pk).update(**{**start, field: there})
        Filing.objects.filter(pk=coming.pk).update(**{**start, field: back})
        pairs.append((going, coming))

    for _round in range(3):
        results = run_at_once(
            [lambda f=going: Filing.objects.filter(pk=f.pk).update(**{field: back}) for going, _c in pairs]
            + [lambda f=coming: Filing.objects.filter(pk=f.pk).update(**{field: there}) for _g, coming in pairs]
        )
        assert [r for r in results if isinstance(r, Exception)] == []
        pairs = [(coming, going) for going, coming in pairs]
    assert_kept_matches_a_full_count(world)


def test_a_period_of_days_is_counted_from_the_filings(world):
    assert not selectors.kept_answers({"date_from": date(2024, 10, 9), "date_to": date(2024, 11, 30)})
    figures = selectors.dashboard({"date_from": date(2024, 10, 9), "date_to": date(2024, 11, 30)})
    assert plain(figures)["by"]["district"] == [("徐汇区", 2, 0, 0, 1, 1), ("浦东新区", 1, 1, 0, 0, 0)]


def holders_by_scan() -> dict[str, tuple[int, int]]:
    rows = (
        Filing.objects.filter(kind="PRODUCT")
        .values("organisation__uscc")
        .annotate(
            registered=Count("id", filter=Q(state=State.REGISTERED)),
            in_progress=Count("id", filter=Q(state__in=[State.SUBMITTED, State.RETURNED])),
        )
    )
    return {
        r["organisation__uscc"]: (r["registered"], r["in_progress"])
        for r in rows
        if r["registered"] or r["in_progress"]
    }


def kept_holders() -> dict[str, tuple[int, int]]:
    return {h.uscc: (h.registered, h.in_progress) for h in ProductHolder.objects.all() if h.registered or h.in_progress}


def test_kept_product_holders_match_a_full_count(world):
    filings, organisations = world["filings"], world["organisations"]
    assert kept_holders() == holders_by_scan()

    pudong, old = organisations["pudong"], organisations["pudong"].uscc
    pudong.uscc = "91310115MA1K4XXX8A"
    pudong.save(update_fields=["uscc"])
    assert kept_holders() == holders_by_scan()
    assert kept_holders()[pudong.uscc] == (1, 0) and old not in kept_holders()

    Filing.objects.filter(pk=filings["f4"].pk).update(state=State.SUBMITTED)  # a withdrawn record back in progress
    Filing.objects.filter(pk=filings["f3"].pk).update(organisation=organisations["xuhui"])
    assert kept_holders() == holders_by_scan()
    assert kept_holders()[organisations["xuhui"].uscc] == (1, 1) and pudong.uscc not in kept_holders()
