"""备案库: the public registry, its filters, pagination, CSV export and detail page."""

import csv
import datetime
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District
from accounts.tests.factories import OrganisationFactory
from filings.models import Filing
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory
from portal import pagination
from review.registry.views import CSV_HEADER

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def registered(
    *,
    title="上海车规芯片产业知识产权联盟",
    industry="集成电路",
    district=District.PUDONG,
    year=2024,
    kind="ALLIANCE",
    registry_number=None,
) -> Filing:
    filing = AllianceFilingFactory(organisation=OrganisationFactory(district=district))
    seq = next(_seq)
    Filing.objects.filter(pk=filing.pk).update(  # test setup: place the filing in the registry
        state=State.REGISTERED,
        kind=kind,
        title=title,
        industry=industry,
        registry_seq=seq,
        registry_number=registry_number or f"沪知联备〔{year}〕第{seq:03d}号",
        registered_at=datetime.datetime(year, 6, 1, 10, 0, tzinfo=SHANGHAI) + datetime.timedelta(minutes=seq),
    )
    return Filing.objects.get(pk=filing.pk)


def listed(response) -> list[Filing]:
    return list(response.context["page"].object_list)


def csv_rows(response) -> tuple[bytes, list[list[str]]]:
    body = b"".join(response.streaming_content)
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_deep_registry_page_is_read_by_its_ids_in_the_lists_order(client, monkeypatch, settings):
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 20)  # page 2 on, as pages deep in a long registry
    settings.PUBLIC_CACHE_SECONDS = 0  # the view's own queries, not the page cache's
    for n in range(25):
        registered(industry="生物医药" if n % 2 else "集成电路")

    first = client.get(reverse("public:registry"))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("public:registry"), {"page": 2})
    rows = [q["sql"] for q in queries if '"registry_number"' in q["sql"]]
    narrowed = client.get(reverse("public:registry"), {"industry": "集成电路"})

    newest_first = list(Filing.objects.filter(state=State.REGISTERED).order_by("-registered_at", "-id"))
    assert [row["pk"] for row in first.context["rows"]] == [f.pk for f in newest_first[:20]]
    assert [row["pk"] for row in second.context["rows"]] == [f.pk for f in newest_first[20:]]
    assert [row["pk"] for row in narrowed.context["rows"]] == [f.pk for f in newest_first if f.industry == "集成电路"]
    assert len(rows) == 1 and "IN (SELECT" in rows[0] and "OFFSET 20" in rows[0]


def test_registry_lists_only_registered_filings_newest_first(client):
    first = registered()
    second = registered()
    draft = AllianceFilingFactory()
    publicity = AllianceFilingFactory()
    Filing.objects.filter(pk=publicity.pk).update(state=State.PUBLICITY, title="公示中的联盟")

    response = client.get(reverse("public:registry"))

    assert response.status_code == 200
    assert listed(response) == [second, first]
    html = response.content.decode()
    assert first.registry_number in html
    assert reverse("public:registry-detail", args=[first.pk]) in html
    assert "公示中的联盟" not in html
    assert draft not in listed(response)


@pytest.mark.parametrize("q", ["车规", "芯", "第902号", "2号"])  # 1 and 2 characters: filings 0026
def test_registry_search_by_name_or_registry_number(client, q):
    registered(title="上海生物医药知识产权联盟", registry_number="沪知联备〔2024〕第901号")
    wanted = registered(title="上海车规芯片产业知识产权联盟", registry_number="沪知联备〔2024〕第902号")

    assert listed(client.get(reverse("public:registry"), {"q": q})) == [wanted]


@pytest.mark.parametrize("cap", [5000, 2])
def test_registry_search_lists_the_same_whether_it_is_narrow_or_broad(client, monkeypatch, cap):
    from review import search

    monkeypatch.setattr(search, "SEARCH_CAP", cap)  # 2: three matches make the search broad
    registered(title="上海生物医药知识产权联盟")
    matches = [registered(title=f"上海车规芯片产业知识产权联盟{n}", industry="人工智能") for n in range(3)]

    response = client.get(reverse("public:registry"), {"q": "车规芯片", "industry": "人工智能"})

    assert listed(response) == matches[::-1]
    assert "共 3 条" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"industry": "生物医药"}, "bio"),
        ({"district": District.XUHUI.value}, "xuhui"),
        ({"year": "2023"}, "old"),
        ({"kind": "CONSORTIUM"}, "consortium"),
    ],
)
def test_registry_filters(client, params, expected):
    entries = {
        "plain": registered(),
        "bio": registered(industry="生物医药"),
        "xuhui": registered(district=District.XUHUI),
        "old": registered(year=2023),
        "consortium": registered(kind="CONSORTIUM"),
    }

    assert listed(client.get(reverse("public:registry"), params)) == [entries[expected]]


def test_registry_filter_choices_come_from_the_registry(client):
    registered(industry="生物医药", year=2023)
    registered(industry="集成电路", year=2024)
    hidden = AllianceFilingFactory()
    Filing.objects.filter(pk=hidden.pk).update(industry="不公开的领域")

    bar = {field["name"]: field for field in client.get(reverse("public:registry")).context["filter_bar"]}

    assert [value for value, _label, _chosen in bar["year"]["options"]] == ["", "2024", "2023"]
    assert [value for value, _label, _chosen in bar["industry"]["options"]] == ["", "生物医药", "集成电路"]


def test_registry_invalid_filter_shows_nothing_and_says_so(client):
    registered()

    response = client.get(reverse("public:registry"), {"year": "abc"})

    assert response.status_code == 200
    assert listed(response) == []
    assert "查询条件有误" in response.content.decode()


def test_registry_paginates_by_20_and_keeps_the_filters(client):
    for _i in range(23):
        registered(industry="生物医药")
    registered(industry="集成电路")

    first = client.get(reverse("public:registry"), {"industry": "生物医药"})
    second = client.get(reverse("public:registry"), {"industry": "生物医药", "page": 2})

    assert len(listed(first)) == 20
    assert len(listed(second)) == 3
    assert "industry=%E7%94%9F%E7%89%A9%E5%8C%BB%E8%8D%AF&amp;page=2" in first.content.decode()


def test_registry_query_count_does_not_grow_with_entries(client, django_assert_num_queries, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the view's own queries, not the page cache's
    registered()
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("public:registry"))
    for _i in range(15):
        registered(district=District.MINHANG, industry="人工智能")
    cache.clear()  # the filter choices too are computed again: the cost of a first visit

    with django_assert_num_queries(len(one)):
        response = client.get(reverse("public:registry"))

    assert len(listed(response)) == 16


def test_registry_csv_has_bom_header_and_rows(client):
    entry = registered(title="上海车规芯片产业知识产权联盟", district=District.XUHUI)

    response = client.get(reverse("public:registry"), {"format": "csv"})

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body, rows = csv_rows(response)
    assert body.startswith(b"\xef\xbb\xbf")
    assert rows == [
        list(CSV_HEADER),
        [
            entry.registry_number,
            "上海车规芯片产业知识产权联盟",
            "上海市产业知识产权联盟备案",
            entry.organisation.name,
            "徐汇区",
            "集成电路",
            "2024-06-01",
        ],
    ]
    assert rows[0] == ["备案号/立项号", "名称", "类型", "申报单位", "所在区", "产业领域", "入库时间"]


def test_registry_csv_respects_the_filters(client):
    registered(industry="生物医药", title="生物医药联盟")
    registered(industry="集成电路", title="集成电路联盟")

    _body, rows = csv_rows(client.get(reverse("public:registry"), {"format": "csv", "industry": "生物医药"}))

    assert [row[1] for row in rows[1:]] == ["生物医药联盟"]


def test_registry_csv_neutralises_formulas(client):
    registered(title='=HYPERLINK("http://evil.example")')

    _body, rows = csv_rows(client.get(reverse("public:registry"), {"format": "csv"}))

    assert rows[1][1] == '\'=HYPERLINK("http://evil.example")'


def test_registry_csv_query_count_does_not_grow_with_entries(client, django_assert_num_queries):
    registered()
    with CaptureQueriesContext(connection) as one:
        csv_rows(client.get(reverse("public:registry"), {"format": "csv"}))
    for _i in range(10):
        registered()

    cache.clear()  # the filter choices too are computed again: the cost of a first visit
    with django_assert_num_queries(len(one)):
        _body, rows = csv_rows(client.get(reverse("public:registry"), {"format": "csv"}))

    assert len(rows) == 12


def test_registry_detail_shows_the_public_facts(client):
    entry = registered(district=District.JINGAN)

    response = client.get(reverse("public:registry-detail", args=[entry.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for fact in (entry.registry_number, entry.title, "静安区", "集成电路", entry.organisation.name, "2024年6月1日"):
        assert fact in html
    assert entry.call.title in html


@pytest.mark.parametrize("state", [s for s in State.values if s != State.REGISTERED])
def test_registry_detail_of_an_unregistered_filing_is_404(client, state):
    filing = AllianceFilingFactory()
    Filing.objects.filter(pk=filing.pk).update(state=state)

    assert client.get(reverse("public:registry-detail", args=[filing.pk])).status_code == 404


def test_registry_page_is_cached_for_visitors_until_the_next_state_change(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import StaffFactory
    from filings import workflow

    first = registered()
    client.get(reverse("public:registry"))
    with django_assert_num_queries(0):
        cached = client.get(reverse("public:registry"))
    assert first.registry_number in cached.content.decode()

    second = registered()
    other = AllianceFilingFactory()
    Filing.objects.filter(pk=other.pk).update(state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.filing_transition(filing=other, action="reject", actor=StaffFactory(), comment="不符合条件")
    fresh = client.get(reverse("public:registry")).content.decode()

    assert second.registry_number in fresh


def test_registry_finds_a_holder_by_its_name_or_credit_code(client):
    entry = registered(title="上海车规芯片产业知识产权联盟")
    other = registered(title="上海生物医药产业知识产权联盟")
    holder = entry.organisation

    by_name = client.get(reverse("public:registry"), {"q": holder.name[2:8]})
    by_code = client.get(reverse("public:registry"), {"q": holder.uscc[:12].lower()})

    assert entry.registry_number in by_name.content.decode()
    assert other.registry_number not in by_name.content.decode() or other.organisation.name[2:8] == holder.name[2:8]
    assert entry.registry_number in by_code.content.decode()


def test_registry_counts_no_further_than_its_cap(client, monkeypatch):
    from review.registry import views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    for _i in range(5):
        registered()

    response = client.get(reverse("public:registry"))

    assert "3 条以上，请用上方条件缩小范围" in response.content.decode()
    assert len(listed(response)) == 5


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"industry": "生物医药"},
        {"district": District.XUHUI.value},
        {"year": "2023"},
        {"kind": "CONSORTIUM"},
        {"industry": "生物医药", "district": District.XUHUI.value, "year": "2023"},
        {"industry": "集成电路", "kind": "ALLIANCE", "year": "2024"},
    ],
)
def test_registry_counts_any_filtered_list_without_a_query_of_its_own(
    client, django_assert_num_queries, settings, params
):
    settings.PUBLIC_CACHE_SECONDS = 0  # the view's own queries, not the page cache's
    registered()
    registered(industry="生物医药", district=District.XUHUI, year=2023)
    registered(industry="生物医药", district=District.XUHUI, year=2024)
    registered(industry="生物医药", year=2023)
    registered(district=District.XUHUI, kind="CONSORTIUM")
    registered(year=2023, kind="CONSORTIUM")
    client.get(reverse("public:registry"), {"q": "未读过的查询"})  # the registry's choices and counts, read once

    with django_assert_num_queries(1):  # the page's rows alone
        response = client.get(reverse("public:registry"), params)

    assert listed(response)
    assert f"共 {len(listed(response))} 条" in response.content.decode()


def test_registry_search_is_counted_once_for_all_its_pages(client, django_assert_num_queries, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    for n in range(23):
        registered(title=f"上海车规芯片产业知识产权联盟{n}")
    registered(title="上海生物医药知识产权联盟")
    first = client.get(reverse("public:registry"), {"q": "车规芯片"})

    with django_assert_num_queries(1):  # the page's rows: the matches and their count are kept
        second = client.get(reverse("public:registry"), {"q": "车规芯片", "page": 2})

    assert "共 23 条" in first.content.decode()
    assert "共 23 条" in second.content.decode()
    assert len(listed(first)) == 20
    assert len(listed(second)) == 3


def test_registry_count_kept_without_queries_follows_a_registration(
    client, django_assert_num_queries, settings, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import StaffFactory
    from filings import workflow

    settings.PUBLIC_CACHE_SECONDS = 0
    registered(industry="生物医药", year=2024)
    client.get(reverse("public:registry"))
    with django_assert_num_queries(1):
        before = client.get(reverse("public:registry"), {"industry": "生物医药"}).content.decode()

    registered(industry="生物医药", year=2023)
    other = AllianceFilingFactory()
    Filing.objects.filter(pk=other.pk).update(state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):  # a state change retires what was kept
        workflow.filing_transition(filing=other, action="reject", actor=StaffFactory(), comment="不符合条件")
    after = client.get(reverse("public:registry"), {"industry": "生物医药"})

    assert "共 1 条" in before
    assert "共 2 条" in after.content.decode()
    bar = {field["name"]: field for field in after.context["filter_bar"]}
    assert [value for value, _label, _chosen in bar["year"]["options"]] == ["", "2024", "2023"]
