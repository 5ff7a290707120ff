"""The growth table against hand-computed figures."""

from decimal import Decimal

import pytest

from filings.growth import yearly_growth
from review.reports.growth import growth_table
from review.reports.models import ReportState
from review.reports.tests.factories import (
    CLUSTER_YEAR1,
    CONSORTIUM_YEAR1,
    registered_cluster,
    registered_consortium,
    report,
)

pytestmark = pytest.mark.django_db


def _row(rows, code):
    return next(row for row in rows if row.metric.code == code)


def _summary(row):
    return (row.year_on_year_text, row.average_text, row.target_met, row.floor_met, row.falls_short)


def test_yearly_growth_is_compound_for_any_number_of_years():
    assert yearly_growth(100, 130, 1) == Decimal("0.3")
    assert yearly_growth(100, 169, 2) == Decimal("0.3")
    assert round(yearly_growth(Decimal("100"), Decimal("219.7"), 3), 10) == Decimal("0.3")
    assert yearly_growth(100, 80, 1) == Decimal("-0.2")
    assert yearly_growth(0, 10, 3) is None


def test_first_year_meeting_the_target_exactly_is_met():
    # The consortium declared base 100, first-year target 130 and second-year 169 (30% a year).
    filing = registered_consortium(year=2025)
    rows = growth_table(report(filing, 2025, CONSORTIUM_YEAR1))

    deals = _row(rows, "deals")
    assert (deals.previous, deals.value, deals.target) == (Decimal("100"), Decimal("130"), Decimal("130"))
    assert _summary(deals) == ("30.0%", "30.0%", True, True, False)
    assert deals.floor_text == "年均增幅 ≥ 30.0%"
    assert deals.metric.clause == "seed 001 工作目标"


def test_second_year_below_target_and_floor_falls_short_with_its_clause():
    filing = registered_consortium(year=2025)
    report(filing, 2025, CONSORTIUM_YEAR1, state=ReportState.ACCEPTED)
    rows = growth_table(report(filing, 2026, {**CONSORTIUM_YEAR1, "deals": "150"}))

    # 同比 150/130 − 1 = 15.4%; 年均 √(150/100) − 1 = 22.5%; target 169 not reached.
    assert _summary(_row(rows, "deals")) == ("15.4%", "22.5%", False, False, True)
    # Unchanged at 130 in year 2: 0% on the year, √1.3 − 1 = 14.0% a year on average.
    assert _summary(_row(rows, "patents")) == ("0.0%", "14.0%", False, False, True)


def test_a_decline_shows_negative_growth_and_stands_out():
    filing = registered_consortium(year=2025)
    rows = growth_table(report(filing, 2025, {**CONSORTIUM_YEAR1, "value": "80.00"}))

    assert _summary(_row(rows, "value")) == ("-20.0%", "-20.0%", False, False, True)


def test_a_zero_base_says_growth_cannot_be_computed_and_never_divides():
    filing = registered_consortium(year=2025, received_base=Decimal("0"))
    rows = growth_table(report(filing, 2025, CONSORTIUM_YEAR1))

    received = _row(rows, "received")
    assert _summary(received) == ("—", "—", True, None, False)
    assert received.notes == [
        "上年度数值为 0，同比增幅无法计算。",
        "基准年度实际值为 0，年均增幅无法计算，请审核人员判断。",
    ]


def test_metrics_without_a_declared_target_have_no_verdict():
    filing = registered_consortium(year=2025)
    rows = growth_table(report(filing, 2025, CONSORTIUM_YEAR1))

    assert _summary(_row(rows, "sme_count")) == ("—", "—", None, None, False)


def test_cluster_floors_twenty_percent_satisfaction_and_task_counts():
    filing = registered_cluster(year=2025)
    figures = {**CLUSTER_YEAR1, "pledge_projects": "11", "satisfaction": "89.50"}
    rows = growth_table(report(filing, 2025, figures))

    # 1300/1000 − 1 = 30% ≥ 30%; 11/10 − 1 = 10% < 20% (seed 004 三（二）1).
    assert _summary(_row(rows, "pledge_amount")) == ("30.0%", "30.0%", True, True, False)
    assert _summary(_row(rows, "pledge_projects")) == ("10.0%", "10.0%", False, False, True)
    assert _row(rows, "pledge_projects").metric.clause == "seed 004 三（二）1"
    # 满意度 below 90% in any year falls short (三（二）4).
    satisfaction = _row(rows, "satisfaction")
    assert (satisfaction.floor_met, satisfaction.falls_short, satisfaction.floor_text) == (False, True, "每年 ≥ 90%")
    # 需求信息 ≥1000 条 over the task period: 400 in the first year is not yet a shortfall.
    demand = _row(rows, "demand_items")
    assert (demand.floor_met, demand.notes) == (None, ["任务期累计 400 条。"])


def test_cluster_task_counts_fall_short_only_in_the_last_year():
    filing = registered_cluster(year=2023)
    report(filing, 2023, CLUSTER_YEAR1, state=ReportState.ACCEPTED)
    report(filing, 2024, CLUSTER_YEAR1, state=ReportState.ACCEPTED)
    rows = growth_table(report(filing, 2025, {**CLUSTER_YEAR1, "supply_items": "10"}))

    # 400 × 3 = 1200 ≥ 1000; 40 + 40 + 10 = 90 < 100 at the end of the task period.
    assert _row(rows, "demand_items").floor_met is True
    supply = _row(rows, "supply_items")
    assert (supply.floor_met, supply.notes) == (False, ["任务期累计 90 条。"])
