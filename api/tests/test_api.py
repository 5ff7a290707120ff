"""The open data API: what it lists, its filters, pages, CSV, conditional requests, rate limit,
and that every response it gives matches its own OpenAPI schema."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import District
from api.filters import RegistryFilter
from api.tests.factories import in_publicity, registered
from filings.models import Filing
from filings.tests.alliance_factories import AllianceFilingFactory
from filings.tests.factories import CallFactory
from portal.cache import bump_state_generation
from portal.lookups import contains_text

pytestmark = pytest.mark.django_db

REGISTRY = "/api/v1/registry/"
PUBLICITY = "/api/v1/publicity/"


def conforming(api_schema, path: str, response):
    api_schema[path]["GET"].validate_response(response)
    return json.loads(response.get_data())


def test_registry_lists_registered_filings_of_every_kind_newest_first_without_personal_data(wsgi, api_schema):
    first = registered(title="上海生物医药知识产权联盟")
    second = registered(title="上海车规芯片产业知识产权联盟")
    AllianceFilingFactory(title="草稿中的联盟")

    response = wsgi.get(REGISTRY)

    assert response.status_code == 200
    body = conforming(api_schema, "/api/v1/registry/", response)
    assert [entry["registry_number"] for entry in body["results"]] == [second.registry_number, first.registry_number]
    entry = body["results"][0]
    assert entry["title"] == "上海车规芯片产业知识产权联盟"
    assert entry["organisation"] == second.organisation.name
    assert entry["district"] == "浦东新区"
    assert entry["call"]["id"] == second.call_id
    assert entry["url"].endswith(f"/api/v1/registry/{second.pk}/")
    assert entry["page_url"].endswith(reverse("public:registry-detail", args=[second.pk]))
    text = response.get_data(as_text=True)
    assert "草稿中的联盟" not in text
    organisation = second.organisation
    for private in (organisation.contact_name, organisation.uscc, second.created_by.email, second.created_by.mobile):
        assert private not in text


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("kind=ALLIANCE", {"车规", "医药", "旧"}),
        ("kind=PRODUCT", set()),
        ("year=2023", {"旧"}),
        ("district=徐汇区", {"医药"}),
        ("industry=生物医药", {"医药"}),
        ("q=车规", {"车规"}),
        ("q=〔2023〕", {"旧"}),
        ("year=2024&district=浦东新区", {"车规"}),
    ],
)
def test_registry_filters_and_search(wsgi, api_schema, query, wanted):
    names = {
        "车规": registered(title="上海车规芯片产业知识产权联盟"),
        "医药": registered(title="上海生物医药知识产权联盟", industry="生物医药", district=District.XUHUI),
        "旧": registered(title="上海旧年度联盟", year=2023),
    }

    body = conforming(api_schema, "/api/v1/registry/", wsgi.get(f"{REGISTRY}?{query}"))

    assert {entry["id"] for entry in body["results"]} == {names[name].pk for name in wanted}


def test_registry_filters_by_call(wsgi, api_schema):
    call = CallFactory(kind="ALLIANCE")
    wanted = registered(call=call)
    registered()

    body = conforming(api_schema, "/api/v1/registry/", wsgi.get(f"{REGISTRY}?call={call.pk}"))

    assert [entry["id"] for entry in body["results"]] == [wanted.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=1800", "year"),
        ("year=二〇二四", "year"),
        ("call=99999999999999999999", "call"),
        ("district=火星", "district"),
    ],
)
def test_registry_bad_filter_is_refused_at_the_field(wsgi, query, field):
    response = wsgi.get(f"{REGISTRY}?{query}")

    assert response.status_code == 400
    assert list(json.loads(response.get_data())) == [field]


def test_registry_cursor_pages_walk_every_entry_once_in_order(wsgi, api_schema, django_assert_num_queries):
    entries = [registered(title=f"联盟{n}") for n in range(5)]
    seen, url = [], f"{REGISTRY}?page_size=2"

    while url:
        with django_assert_num_queries(1):  # the page and its calls and organisations; no COUNT
            response = wsgi.get(url)
        body = conforming(api_schema, "/api/v1/registry/", response)
        seen += [entry["id"] for entry in body["results"]]
        url = body["next"]

    assert seen == [filing.pk for filing in reversed(entries)]


def test_registry_forged_cursor_is_a_clear_404(wsgi):
    response = wsgi.get(f"{REGISTRY}?cursor=cD1ub3QtYS1kYXRl")  # "p=not-a-date"

    assert response.status_code == 404
    assert json.loads(response.get_data()) == {"detail": "分页游标无效，请从第一页重新开始。"}


def test_registry_as_csv_with_the_same_rows_and_no_formulas(wsgi):
    registered(title='=HYPERLINK("http://evil")')
    registered(title="上海车规芯片产业知识产权联盟")

    response = wsgi.get(f"{REGISTRY}?format=csv")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["上海车规芯片产业知识产权联盟", '\'=HYPERLINK("http://evil")']
    assert rows[0]["call.title"] == Filing.objects.get(title="上海车规芯片产业知识产权联盟").call.title
    assert wsgi.get(REGISTRY, headers={"Accept": "text/csv"}).headers["Content-Type"].startswith("text/csv")


def test_registry_detail_and_a_filing_not_in_the_registry_is_404(wsgi, api_schema):
    filing = registered()
    draft = AllianceFilingFactory(title="草稿")

    body = conforming(api_schema, "/api/v1/registry/{id}/", wsgi.get(f"{REGISTRY}{filing.pk}/"))

    assert body["registry_number"] == filing.registry_number
    missing = wsgi.get(f"{REGISTRY}{draft.pk}/")
    assert (missing.status_code, json.loads(missing.get_data())) == (404, {"detail": "不存在。"})
    assert wsgi.get(f"{REGISTRY}99999999999999/").status_code == 404


def test_unchanged_list_answers_304_and_a_new_registration_changes_the_etag(wsgi):
    registered()
    first = wsgi.get(REGISTRY)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    again = wsgi.get(REGISTRY, headers={"If-None-Match": etag})
    since = wsgi.get(REGISTRY, headers={"If-Modified-Since": modified})

    assert (again.status_code, again.get_data()) == (304, b"")
    assert (since.status_code, since.get_data()) == (304, b"")
    assert "no-cache" in first.headers["Cache-Control"]

    registered(title="新入库的联盟")
    bump_state_generation()  # what every state change does after commit (filings.workflow)
    changed = wsgi.get(REGISTRY, headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "新入库的联盟" in changed.get_data(as_text=True)


def test_rate_limit_per_address(wsgi, settings):
    settings.API_RATE_LIMIT = "3/min"

    statuses = [wsgi.get(REGISTRY).status_code for _ in range(4)]
    other = wsgi.get(REGISTRY, environ_overrides={"REMOTE_ADDR": "198.51.100.7"})

    assert statuses == [200, 200, 200, 429]
    refused = wsgi.get(REGISTRY)
    assert int(refused.headers["Retry-After"]) > 0
    assert json.loads(refused.get_data())["detail"].startswith("请求过于频繁，请 ")
    assert other.status_code == 200


def test_publicity_batches_their_entries_and_status(wsgi, api_schema):
    running = in_publicity([registered(title="公示中的联盟"), registered(title="第二个联盟")])
    ended = in_publicity([registered(title="已结束的联盟")], days_ago=20, title="2023年公示")

    listed = conforming(api_schema, "/api/v1/publicity/", wsgi.get(PUBLICITY))
    detail = conforming(api_schema, "/api/v1/publicity/{id}/", wsgi.get(f"{PUBLICITY}{ended.pk}/"))
    entries_url = f"{PUBLICITY}{running.pk}/entries/"
    entries = conforming(api_schema, "/api/v1/publicity/{batch_pk}/entries/", wsgi.get(entries_url))

    assert [(b["id"], b["status"], b["filing_count"]) for b in listed["results"]] == [
        (running.pk, "running", 2),
        (ended.pk, "ended", 1),
    ]
    assert detail["title"] == "2023年公示"
    assert listed["results"][0]["entries_url"].endswith(entries_url)
    assert [(e["position"], e["title"]) for e in entries["results"]] == [(1, "公示中的联盟"), (2, "第二个联盟")]
    assert wsgi.get(f"{PUBLICITY}99999/entries/").status_code == 404


def test_schema_is_valid_openapi_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "/api/v1/registry/" in target.read_text()


def test_docs_page_uses_the_portals_own_assets_and_no_inline_script(wsgi):
    page = wsgi.get("/api/v1/docs/").get_data(as_text=True)
    script = wsgi.get("/api/v1/docs/?script=")

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page and "<style" not in page
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.get_data(as_text=True)


def test_registry_search_finds_what_the_registry_page_finds(wsgi, api_schema):
    by_holder = registered(title="上海车规芯片产业知识产权联盟")
    registered(title="上海生物医药知识产权联盟")
    holder = by_holder.organisation

    by_name = conforming(api_schema, "/api/v1/registry/", wsgi.get(f"{REGISTRY}?q={holder.name}"))
    by_code = conforming(api_schema, "/api/v1/registry/", wsgi.get(f"{REGISTRY}?q={holder.uscc}"))

    assert [entry["id"] for entry in by_name["results"]] == [by_holder.pk]
    assert [entry["id"] for entry in by_code["results"]] == [by_holder.pk]


@pytest.mark.parametrize(
    "query", ["", "?kind=ALLIANCE&year=2024", "?district=浦东新区&industry=集成电路", "?q=联盟", "?format=csv"]
)
def test_registry_page_costs_the_same_queries_however_many_entries(wsgi, django_assert_num_queries, query):
    for n in range(12):
        registered(title=f"联盟{n}")

    # A search also reads its matches once (kept until the next state change, review/search.py):
    # on PostgreSQL in a block that sets its scans, a statement more (here, inside the test's
    # transaction, a savepoint's three more).
    searched = 2 if connection.vendor == "sqlite" else 2 + 4
    with django_assert_num_queries(searched if "q=" in query else 1):
        response = wsgi.get(f"{REGISTRY}{query}&page_size=5" if query else f"{REGISTRY}?page_size=5")

    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "?district=浦东新区", "?q=联盟"])
def test_publicity_lists_cost_the_same_queries_however_many_entries(wsgi, django_assert_num_queries, query):
    batch = in_publicity([registered(title=f"联盟{n}") for n in range(12)])

    with django_assert_num_queries(1):
        assert wsgi.get(f"{PUBLICITY}{query}").status_code == 200
    with django_assert_num_queries(2):  # the batch, then its entries with their filings and holders
        response = wsgi.get(f"{PUBLICITY}{batch.pk}/entries/{query}")

    assert len(json.loads(response.get_data())["results"]) == 12


def test_filtersets_share_their_filters_and_form_fields_between_requests():
    first = RegistryFilter(data=QueryDict("kind=ALLIANCE"), queryset=Filing.objects.all())
    second = RegistryFilter(data=QueryDict("year=1800"), queryset=Filing.objects.all())

    assert first.filters is second.filters
    assert first.form.fields is second.form.fields
    assert (first.is_valid(), second.is_valid()) == (True, False)
    assert (dict(first.errors), list(second.errors)) == ({}, ["year"])


def test_filters_of_one_request_do_not_reach_the_next(wsgi):
    pudong = registered(title="上海车规芯片产业知识产权联盟")
    xuhui = registered(title="上海生物医药知识产权联盟", industry="生物医药", district=District.XUHUI)

    refused = wsgi.get(f"{REGISTRY}?district=火星&year=1800")
    by_district = json.loads(wsgi.get(f"{REGISTRY}?district=徐汇区").get_data())
    unfiltered = json.loads(wsgi.get(REGISTRY).get_data())
    refused_year = wsgi.get(f"{REGISTRY}?year=1800")

    assert sorted(json.loads(refused.get_data())) == ["district", "year"]
    assert [entry["id"] for entry in by_district["results"]] == [xuhui.pk]
    assert [entry["id"] for entry in unfiltered["results"]] == [xuhui.pk, pudong.pk]
    assert list(json.loads(refused_year.get_data())) == ["year"]


def test_publicity_rows_read_alike_in_the_list_and_alone(wsgi, api_schema):
    running = in_publicity([registered(title="公示中的联盟")])
    upcoming = in_publicity([registered(title="未开始的联盟"), registered(title="第二个")], days_ago=-3)
    ended = in_publicity([registered(title="已结束的联盟")], days_ago=20, title="2023年公示")

    listed = conforming(api_schema, "/api/v1/publicity/", wsgi.get(f"{PUBLICITY}?page_size=2"))
    rest = conforming(api_schema, "/api/v1/publicity/", wsgi.get(listed["next"]))
    alone = [
        conforming(api_schema, "/api/v1/publicity/{id}/", wsgi.get(f"{PUBLICITY}{batch.pk}/"))
        for batch in (upcoming, running, ended)
    ]

    assert listed["results"] + rest["results"] == alone
    assert [(b["id"], b["status"], b["filing_count"]) for b in alone] == [
        (upcoming.pk, "upcoming", 2),
        (running.pk, "running", 1),
        (ended.pk, "ended", 1),
    ]
    assert alone[0]["call"] == {
        "id": upcoming.call_id,
        "kind": upcoming.call.kind,
        "title": upcoming.call.title,
        "notice_number": upcoming.call.notice_number,
        "year": upcoming.call.year,
    }
    assert alone[0]["starts_on"] == upcoming.starts_on.isoformat()
    assert alone[0]["page_url"].endswith(reverse("public:publicity-detail", args=[upcoming.pk]))


def test_publicity_entries_read_their_batch_once(wsgi, django_assert_num_queries):
    batch = in_publicity([registered(title=f"联盟{n}") for n in range(3)])
    wsgi.get(f"{PUBLICITY}{batch.pk}/entries/")

    with django_assert_num_queries(1):  # the entries only: the batch is kept (review.publicity.selectors)
        response = wsgi.get(f"{PUBLICITY}{batch.pk}/entries/?q=联盟1")
    assert [entry["title"] for entry in json.loads(response.get_data())["results"]] == ["联盟1"]


def test_publicity_entries_search_by_name_or_number_reads_the_search_indexes(wsgi):
    filings = [registered(title="上海车规芯片产业知识产权联盟"), registered(title="上海生物医药知识产权联盟")]
    number = "LM2024-001-0002"
    Filing.objects.filter(pk=filings[1].pk).update(number=number)  # as submitting gives it
    batch = in_publicity(filings)
    url = f"{PUBLICITY}{batch.pk}/entries/"

    by_name = json.loads(wsgi.get(f"{url}?q=车规芯片").get_data())["results"]
    by_number = json.loads(wsgi.get(f"{url}?q={number[2:].lower()}").get_data())["results"]

    assert [entry["title"] for entry in by_name] == ["上海车规芯片产业知识产权联盟"]
    assert [entry["number"] for entry in by_number] == [number]
    if connection.vendor != "postgresql":
        return
    # The filings a search matches come from the two trigram indexes (filings 0008, 0018),
    # combined, not from a scan of every filing (disallowed here so that the tiny table is no excuse).
    matching = Filing.objects.filter(Q(title__icontains="车规芯片") | Q(number__icontains="车规芯片"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matching.explain()
    assert "filing_title_trgm" in plan and "filing_number_trgm" in plan
    # A word of two characters has no trigram: it is asked through the pieces (filings 0026),
    # whose indexes answer it.
    with CaptureQueriesContext(connection) as queries:
        by_word = json.loads(wsgi.get(f"{url}?q=芯片").get_data())["results"]
    assert [entry["title"] for entry in by_word] == ["上海车规芯片产业知识产权联盟"]
    assert any("search_grams(" in query["sql"] for query in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Filing.objects.filter(contains_text("title", "芯片") | contains_text("number", "芯片")).explain()
    assert "filing_title_grams" in plan and "filing_number_grams" in plan
