"""Every figure of the dashboard against the hand-counted programme (tests/programme.py)."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Area
from review.statistics import selectors
from review.statistics.calendar import workday_table_ensure
from review.statistics.tests.programme import programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_for():
    programme()
    workday_table_ensure()
    return selectors.dashboard


def table(rows, *keys):
    return {row["label"]: tuple(row[k] for k in keys) for row in rows}


BUCKETS = ("total", "registered", "in_progress", "rejected", "withdrawn")


def test_counts_by_state_kind_district_and_industry(figures_for):
    figures = figures_for({})

    assert {row["state"]: row["n"] for row in figures["states"]} == {
        "submitted": 0,
        "returned": 0,
        "expert_review": 1,
        "reviewed": 0,
        "publicity": 0,
        "registered": 2,
        "rejected": 1,
        "withdrawn": 1,
    }
    assert table(figures["by"]["kind"], *BUCKETS) == {
        "上海市产业知识产权联盟备案": (3, 1, 1, 1, 0),
        "专利产品备案": (2, 1, 0, 0, 1),
    }
    assert table(figures["by"]["district"], *BUCKETS) == {
        "徐汇区": (2, 0, 0, 1, 1),
        "浦东新区": (3, 2, 1, 0, 0),
        "临港新片区（其中）": (1, 1, 0, 0, 0),
    }
    assert table(figures["by"]["industry"], *BUCKETS) == {
        "人工智能": (1, 0, 0, 0, 1),
        "生物医药": (1, 0, 0, 1, 0),
        "集成电路": (3, 2, 1, 0, 0),
    }
    assert table(figures["by"]["call"], "total") == {"2024年联盟备案": (3,), "2024年专利产品备案": (2,)}


def test_months_count_each_event_where_it_happened(figures_for):
    figures = figures_for({})

    assert table(figures["monthly"], "submitted", "registered", "rejected", "withdrawn") == {
        "2024-09": (1, 0, 0, 0),
        "2024-10": (1, 0, 1, 0),  # the resubmission after 补正 is not a new submission
        "2024-11": (2, 3, 0, 0),
        "2024-12": (1, 0, 0, 1),
    }


def test_product_records_by_district_and_industry(figures_for):
    products = figures_for({})["products"]

    assert table(products["district"], "registered", "withdrawn") == {"徐汇区": (0, 1), "浦东新区": (1, 0)}
    assert table(products["industry"], "registered", "withdrawn") == {"人工智能": (0, 1), "集成电路": (1, 0)}


def test_processing_times_in_working_days_of_the_official_calendar(figures_for):
    times = {row["key"]: (row["count"], row["median"], row["p90"]) for row in figures_for({})["times"]}

    # Audit: 3 (9-27 → 10-08 over 国庆, 9-29 a 调休 Sunday), 1, 2, 2, 1.
    assert times["audit"] == (5, 2, 3)
    # Experts: F1 only (F5 still waits for one expert): 12 working days, 10-12 a 调休 Saturday.
    assert times["experts"] == (1, 12, 12)
    # Registration: 32, 2, 2.
    assert times["registered"] == (3, 2, 32)


def test_return_rounds_and_expert_timeliness(figures_for):
    figures = figures_for({})

    assert figures["rounds"] == [{"rounds": 0, "n": 4}, {"rounds": 1, "n": 1}]
    experts = figures["experts"]
    assert (experts["on_time"], experts["late"], experts["overdue"], experts["due"], experts["rate"]) == (
        2,
        1,
        1,
        4,
        50.0,
    )


def test_filters_narrow_every_figure(figures_for):
    xuhui = figures_for({"area": Area.XUHUI})
    assert {row["state"]: row["n"] for row in xuhui["states"] if row["n"]} == {"rejected": 1, "withdrawn": 1}

    lingang = figures_for({"area": Area.LINGANG})
    assert table(lingang["by"]["kind"], "total", "registered") == {"上海市产业知识产权联盟备案": (1, 1)}
    assert lingang["experts"]["rate"] == 100.0

    products = figures_for({"kind": "PRODUCT"})
    assert table(products["by"]["district"], "total") == {"徐汇区": (1,), "浦东新区": (1,)}

    november = figures_for({"date_from": date(2024, 11, 1), "date_to": date(2024, 11, 30)})
    assert table(november["by"]["kind"], "total") == {"专利产品备案": (2,)}
    assert table(november["monthly"], "submitted", "registered") == {"2024-11": (2, 3)}


def test_dashboard_shows_the_figures_and_a_chart_beside_each_table(client, figures_for):
    client.force_login(programme_staff())

    response = client.get(reverse("review:statistics"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "vendor/echarts/echarts.common.min.js" in html
    assert response.context["charts"]["chart-district"]["categories"] == ["徐汇区", "浦东新区", "临港新片区（其中）"]
    assert html.count('data-chart="') == len(response.context["charts"]) == 7
    assert "50.0%" in html


def programme_staff():
    from accounts.tests.factories import StaffFactory

    return StaffFactory()


def test_the_dashboards_period_is_whole_months(client, figures_for):
    client.force_login(programme_staff())

    response = client.get(reverse("review:statistics"), {"date_from": "2024-11", "date_to": "2024-11"})

    assert response.context["form"].filters() == {"date_from": date(2024, 11, 1), "date_to": date(2024, 11, 30)}
    assert table(response.context["figures"]["by"]["kind"], "total") == {"专利产品备案": (2,)}
    assert 'type="month"' in response.content.decode() and 'value="2024-11"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "kept"),
    [("", True), ("?kind=PRODUCT", True), ("?area=徐汇区&date_from=2024-10&date_to=2024-12", True),
     ("?area=徐汇区&date_from=2024-10-09", False)],
)  # fmt: skip
def test_dashboard_costs_the_same_queries_whatever_it_shows(
    client, figures_for, django_assert_num_queries, django_capture_on_commit_callbacks, query, kept
):
    client.force_login(programme_staff())
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("review:statistics"))  # the session warm, the calendar table checked

    # the figures: from the sums PostgreSQL keeps (1, its four reads in one statement), else
    # counted from the filings (11); the session, the user and the call filter's choices are cached
    figures = 1 if kept and connection.vendor == "postgresql" else 11
    with django_assert_num_queries(figures):
        response = client.get(reverse("review:statistics") + query)
    assert response.status_code == 200


def test_a_bad_filter_is_refused_at_the_field_not_an_error_page(client, figures_for):
    client.force_login(programme_staff())

    response = client.get(reverse("review:statistics"), {"date_from": "2024-12-01", "date_to": "2024-11-01"})

    assert response.status_code == 200
    assert "截止日期不能早于起始日期。" in response.content.decode()


def test_a_day_staff_enter_in_the_calendar_changes_the_working_days(
    figures_for, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from workdays.models import CalendarDay

    with django_capture_on_commit_callbacks(execute=True):
        assert workday_table_ensure() is False  # checked against the calendar, and kept as checked
    with django_assert_num_queries(0):
        assert workday_table_ensure() is False

    CalendarDay.objects.create(date=date(2024, 10, 8), is_working=False, name="测试放假")

    assert workday_table_ensure() is True
    times = {row["key"]: (row["median"], row["p90"]) for row in figures_for({})["times"]}
    assert times["audit"] == (2, 2)  # F1's decision on 10-08 is now 2 working days after 9-27


def test_the_filters_show_what_was_chosen_and_keep_what_was_typed(client, figures_for):
    from filings.models import Call

    client.force_login(programme_staff())
    call = Call.objects.get(title="2024年联盟备案")

    chosen = client.get(reverse("review:statistics"), {"call": call.pk, "kind": "PRODUCT", "date_from": "2024-10"})
    typed = client.get(reverse("review:statistics"), {"date_from": "2024-13"}).content.decode()

    page = chosen.content.decode()
    assert f'<option value="{call.pk}" selected>2024年联盟备案</option>' in page
    assert '<option value="PRODUCT" selected>' in page
    assert 'type="month" name="date_from" id="id_date_from" value="2024-10"' in page
    assert (
        'name="date_from" id="id_date_from" value="2024-13" class="form-control form-control-sm" aria-invalid="true"'
        in typed
    )


def test_the_call_filter_offers_a_new_call_at_once(client, figures_for, django_capture_on_commit_callbacks):
    from filings.tests.factories import CallFactory

    client.force_login(programme_staff())
    client.get(reverse("review:statistics"))  # the calls are kept until something changes

    with django_capture_on_commit_callbacks(execute=True):
        call = CallFactory(title="2026年上海市产业知识产权联盟备案")
    page = client.get(reverse("review:statistics"), {"call": call.pk}).content.decode()

    assert f'<option value="{call.pk}" selected>2026年上海市产业知识产权联盟备案</option>' in page
