"""The staff queue and a filing's page; who may open the review pages; the 补正 round trip."""

import re
from datetime import timedelta

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import District
from accounts.tests.factories import (
    AdminFactory,
    ExpertFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    make_uscc,
)
from filings.models import Filing, FilingEvent, FilingVersion
from filings.rules import findings_summary
from filings.states import State
from filings.tests.alliance_factories import COMPLETE_DETAIL, AllianceFilingFactory
from filings.tests.factories import CallFactory
from portal import pagination
from review.models import AuditRecord
from review.tests.desk import (
    audit_post,
    badge,
    finding,
    listed,
    page_url,
    queued,
    score,
    submitted_filing,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")


# --- access ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [UserFactory, ExpertFactory])
@pytest.mark.parametrize(
    "page", ["queue", "filing", "filing-audit", "filing-assign", "filing-decide", "filing-register"]
)
def test_staff_pages_other_roles_are_forbidden(client, role, page):
    filing = queued()
    client.force_login(role())
    url = QUEUE if page == "queue" else page_url(filing, f"review:{page}")

    response = client.get(url) if page in ("queue", "filing") else client.post(url)

    assert response.status_code == 403


@pytest.mark.parametrize("page", ["queue", "filing"])
def test_staff_pages_anonymous_is_sent_to_login(client, page):
    url = QUEUE if page == "queue" else page_url(queued())

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [StaffFactory, AdminFactory])
def test_staff_pages_bureau_roles_may_open_them(client, role):
    filing = queued()
    client.force_login(role())

    assert client.get(QUEUE).status_code == 200
    assert client.get(page_url(filing)).status_code == 200


def test_filing_page_draft_is_not_found(staff_client):
    draft = AllianceFilingFactory()

    assert staff_client.get(page_url(draft)).status_code == 404


# --- the queue -----------------------------------------------------------------------


def test_queue_lists_submitted_filings_but_not_drafts(staff_client):
    shown = queued()
    AllianceFilingFactory()  # a draft

    response = staff_client.get(QUEUE)

    assert listed(response) == [shown.number]


def test_queue_filters_by_call_kind_state_and_district(staff_client):
    call = CallFactory()
    target = queued(call=call, state=State.EXPERT_REVIEW, organisation=OrganisationFactory(district=District.XUHUI))
    queued(call=call, state=State.EXPERT_REVIEW)  # 浦东新区
    queued(call=call, organisation=OrganisationFactory(district=District.XUHUI))  # 待形式审查
    queued(state=State.EXPERT_REVIEW, organisation=OrganisationFactory(district=District.XUHUI))  # another call

    response = staff_client.get(
        QUEUE, {"call": call.pk, "kind": "ALLIANCE", "state": State.EXPERT_REVIEW, "district": District.XUHUI}
    )

    assert listed(response) == [target.number]


def test_queue_filters_by_kind_other_kind_lists_nothing(staff_client):
    queued()

    response = staff_client.get(QUEUE, {"kind": "CLUSTER"})

    assert listed(response) == []


def test_queue_filters_by_badge_of_the_latest_version(staff_client):
    centre = badge("national_centre", "国家专利技术展示交易中心为成员单位")
    target = queued(findings=[finding("AL-1", "pass"), centre])
    queued(findings=[finding("AL-1", "pass"), badge("full_chain", "资源要素齐全")])
    # The badge was in version 1 only: the latest version is what counts.
    earlier = queued(findings=[], versions=2)
    with pgtrigger.ignore("filings.FilingVersion:versions_append_only"):  # test setup edits a frozen version
        FilingVersion.objects.filter(filing=earlier, number=1).update(findings=[centre])

    response = staff_client.get(QUEUE, {"badge": "national_centre"})

    assert listed(response) == [target.number]
    assert response.context["badge_label"] == "国家专利技术展示交易中心为成员单位"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("车规芯片", "title"),
        ("芯片", "title"),  # two characters: no trigram (filings 0026)
        ("规", "title"),
        ("晶圆科技", "organisation"),
        ("晶圆", "organisation"),
        ("91310115", "uscc prefix"),  # every factory USCC starts so: narrowed below by the full code
        ("LM2024-77", "number"),
    ],
)
def test_queue_search_matches_title_organisation_uscc_and_number(staff_client, query, expected):
    by_title = queued(title="上海车规芯片产业知识产权联盟")
    by_org = queued(organisation=OrganisationFactory(name="上海晶圆科技有限公司", uscc=make_uscc(770001, "310104")))
    by_number = queued(number="LM2024-7788")

    response = staff_client.get(QUEUE, {"q": query})

    numbers = {"title": [by_title.number], "organisation": [by_org.number], "number": [by_number.number]}
    if expected == "uscc prefix":
        assert set(listed(response)) == {by_title.number, by_number.number}  # 310104 is not a prefix match
    else:
        assert listed(response) == numbers[expected]


def test_queue_search_by_full_uscc_finds_exactly_that_organisation(staff_client):
    organisation = OrganisationFactory()
    target = queued(organisation=organisation)
    queued()

    response = staff_client.get(QUEUE, {"q": organisation.uscc.lower()})

    assert listed(response) == [target.number]


def test_a_search_under_a_state_lists_that_states_matches_and_asks_only_for_them(staff_client):
    # A search's matches are kept with their states: the page under a state asks the database
    # among that state's matches only (a tenth of the ids to plan for), and lists exactly them.
    returned = [queued(state=State.RETURNED, title=f"上海车规芯片联盟{n}") for n in range(2)]
    others = [queued(state=state, title=f"上海车规芯片联盟{state}") for state in (State.SUBMITTED, State.REGISTERED)]
    queued(state=State.RETURNED, title="上海生物医药联盟")

    with CaptureQueriesContext(connection) as ctx:
        response = staff_client.get(QUEUE, {"q": "芯片", "state": State.RETURNED})

    assert sorted(listed(response)) == sorted(f.number for f in returned)
    if connection.vendor == "postgresql":
        page = next(q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().startswith("SELECT f.id"))
        asked = re.search(r"'\{([\d,]*)\}'::bigint\[\]", page)[1].split(",")
        assert sorted(asked) == sorted(str(f.pk) for f in returned)
        assert not {str(f.pk) for f in others} & set(asked)


@pytest.mark.parametrize("key", ["submitted_at", "updated_at", "number", "title"])
def test_queue_sorts_by_each_column_both_ways(staff_client, key):
    now = timezone.now()
    a = queued(number="LM-A", title="甲联盟", submitted_at=now - timedelta(days=3))
    b = queued(number="LM-B", title="乙联盟", submitted_at=now - timedelta(days=2))
    c = queued(number="LM-C", title="丙联盟", submitted_at=now - timedelta(days=1))
    for filing, days in ((a, 3), (b, 2), (c, 1)):
        Filing.objects.filter(pk=filing.pk).update(updated_at=now - timedelta(days=days))
    ascending = sorted([a, b, c], key=lambda f: getattr(Filing.objects.get(pk=f.pk), key))

    up = staff_client.get(QUEUE, {"sort": key})
    down = staff_client.get(QUEUE, {"sort": f"-{key}"})

    assert listed(up) == [f.number for f in ascending]
    assert listed(down) == [f.number for f in reversed(ascending)]
    assert up.context["sorts"][key]["direction"] == "asc"


def test_a_deep_queue_page_is_read_by_its_ids_in_the_lists_order(staff_client, monkeypatch):
    monkeypatch.setattr(pagination, "DEFERRED_FROM", 25)  # page 2 on, as pages deep in a long queue
    now = timezone.now()
    for n in range(30):
        filing = queued(
            number=f"LM-{(n * 7) % 30:02d}", title=f"联盟{(n * 11) % 30:02d}", submitted_at=now - timedelta(hours=n)
        )
        Filing.objects.filter(pk=filing.pk).update(updated_at=now - timedelta(minutes=(n * 13) % 30))

    for key in ("submitted_at", "updated_at", "number", "title"):
        for sort in (key, f"-{key}"):
            whole = listed(staff_client.get(QUEUE, {"sort": sort})) + listed(
                staff_client.get(QUEUE, {"sort": sort, "page": 2})
            )
            with CaptureQueriesContext(connection) as queries:
                second = staff_client.get(QUEUE, {"sort": sort, "page": 2})
            rows = [q["sql"] for q in queries if "findings_summary" in q["sql"]]

            expected = sorted(Filing.objects.exclude(state=State.DRAFT), key=lambda f: (getattr(f, key), f.pk))
            expected = [f.number for f in (expected if sort == key else reversed(expected))]
            assert whole == expected, sort
            assert listed(second) == expected[25:], sort
            assert len(rows) == 1 and "IN (SELECT" in rows[0] and "OFFSET 25" in rows[0], sort


def test_queue_unknown_filter_values_are_ignored(staff_client):
    shown = queued()

    response = staff_client.get(QUEUE, {"sort": "password", "state": "nonsense", "call": "abc", "badge": '"x'})

    assert response.status_code == 200
    assert listed(response) == [shown.number]


def test_queue_paginates_25_a_page_keeping_the_query(staff_client):
    call = CallFactory()
    for _i in range(27):
        queued(call=call)
    queued()  # another call

    first = staff_client.get(QUEUE, {"call": call.pk, "sort": "number"})
    second = staff_client.get(QUEUE, {"call": call.pk, "sort": "number", "page": 2})

    assert (len(listed(first)), len(listed(second))) == (25, 2)
    assert first.context["query"] == f"call={call.pk}&sort=number"
    assert f'href="?call={call.pk}&amp;sort=number&amp;page=2"' in first.content.decode()
    assert set(listed(first)).isdisjoint(listed(second))


def test_queue_counts_filings_per_state_under_the_other_filters(staff_client):
    call = CallFactory()
    queued(call=call)
    queued(call=call)
    queued(call=call, state=State.RETURNED)
    queued(state=State.RETURNED)  # another call

    response = staff_client.get(QUEUE, {"call": call.pk, "state": State.SUBMITTED})

    counts = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {
        "": 3,
        **dict.fromkeys([s for s in State.values if s != State.DRAFT], 0),
        "submitted": 2,
        "returned": 1,
    }
    assert len(listed(response)) == 2


def test_queue_row_shows_findings_summary_and_badges(staff_client):
    queued(
        organisation=OrganisationFactory(district=District.JINGAN),
        findings=[
            finding("AL-1", "pass"),
            finding("AL-2", "review"),
            finding("AL-3", "review"),
            badge("full_chain", "“产、学、研、金、介、用”资源要素齐全"),
        ],
    )

    response = staff_client.get(QUEUE)

    html = response.content.decode()
    assert "待人工审核 2" in html
    assert "不符合" not in html
    assert "静安区" in html
    assert "资源要素齐全" in html
    assert "badge=full_chain" in html


def test_a_submitted_filing_keeps_its_latest_versions_summary_for_the_queue_row(staff_client):
    """The submit service writes the summary with the version; the row shows it, reading no version."""
    filing = submitted_filing()
    version = filing.versions.get(number=filing.version)

    response = staff_client.get(QUEUE)

    expected = findings_summary(version.findings)
    assert filing.findings_summary == expected and expected["fail"] + expected["review"] + len(expected["badges"]) > 0
    assert [row["summary"] for row in response.context["rows"]] == [expected]


def test_the_migration_summarises_each_filings_latest_version():
    from importlib import import_module

    from django.apps import apps

    older = queued(findings=[finding("AL-2", "review"), badge("full_chain", "齐全")], versions=2)
    never = queued(findings=[finding("AL-1", "fail")], versions=1)
    Filing.objects.update(findings_summary={})

    import_module("filings.migrations.0020_findings_summary_on_the_filing").summarise_latest_versions(apps, None)

    older.refresh_from_db()
    never.refresh_from_db()
    assert older.findings_summary == {"fail": 0, "review": 1, "badges": [badge("full_chain", "齐全")]}
    assert never.findings_summary == {"fail": 1, "review": 0, "badges": []}


def test_queue_broad_search_is_counted_up_to_a_cap_and_its_tabs_carry_no_numbers(staff_client, monkeypatch):
    from review import search

    monkeypatch.setattr(search, "SEARCH_CAP", 3)
    for _i in range(3):
        queued(title="上海车规芯片产业知识产权联盟")
    queued(title="生物医药产业知识产权联盟", state=State.RETURNED)

    narrow = staff_client.get(QUEUE, {"q": "车规芯片"})
    broad = staff_client.get(QUEUE, {"q": "联盟"})

    assert "共 3 件" in narrow.content.decode()
    assert {tab["value"]: tab["count"] for tab in narrow.context["tabs"]}[""] == 3
    assert all(tab["count"] is None for tab in broad.context["tabs"])
    assert "rounded-pill" not in broad.content.decode()
    assert "3 件以上，请用上方条件缩小范围" in broad.content.decode()
    assert len(listed(broad)) == 4  # the page still lists every match
    returned = staff_client.get(QUEUE, {"q": "联盟", "state": State.RETURNED})
    assert listed(returned) == [Filing.objects.get(state=State.RETURNED).number]


@pytest.mark.parametrize("filings", [1, 30])
def test_queue_query_count_is_constant(staff_client, django_assert_num_queries, filings):
    for i in range(filings):
        queued(findings=[finding("AL-2", "review"), badge("full_chain", "齐全")], versions=1 + i % 2)

    # the search's matches (kept until the next state change), state counts (which also give the
    # total), page (with each row's findings summary), pending objections (kept thereafter), calls
    # in the filter form; the session and the user come from the cache. On PostgreSQL the matches
    # and the counts are each read in a block that sets its scans (review/search.py): a statement
    # more each, and here, inside the test's transaction, a savepoint's three.
    with django_assert_num_queries(5 if connection.vendor == "sqlite" else 5 + 2 * 4):
        response = staff_client.get(QUEUE, {"q": "联盟", "sort": "-updated_at"})

    assert len(response.context["rows"]) == min(filings, 25)


# --- the filing page ----------------------------------------------------------------


def test_filing_page_shows_header_frozen_content_findings_materials_and_history(staff_client):
    filing = submitted_filing()

    response = staff_client.get(page_url(filing))

    html = response.content.decode()
    assert filing.number in html
    assert filing.organisation.uscc in html
    assert "浦东新区" in html
    assert "联盟名称" in html and COMPLETE_DETAIL["name"] in html
    assert "上海晶圆制造有限公司" in html  # the members table
    assert "成员数量合计（个）" in html  # the per-kind template
    assert "AL-2" in html and "待人工审核" in html
    for material in filing.material_files.all():
        assert reverse("filings:material-download", args=[filing.pk, material.pk]) in html
    assert "待形式审查" in html  # the submission event
    assert response.context["kind_templates"][0] == "review/queue/kinds/alliance.html"


def test_filing_page_unknown_diff_is_a_message_not_an_error(staff_client):
    filing = submitted_filing()

    response = staff_client.get(page_url(filing), {"diff": "1..9"})

    assert response.status_code == 200
    assert "所选版本不存在" in response.content.decode()


# --- 补正: the round trip -------------------------------------------------------------


def test_return_for_correction_round_trip_shows_the_change_in_the_diff(client, staff):
    filing = submitted_filing()
    applicant = filing.created_by
    client.force_login(staff)
    client.post(
        page_url(filing, "review:filing-audit"),
        audit_post(filing, "return", comment="联系人应为联盟秘书处人员\n补充M5专利池许可合同备案证明"),
    )

    client.force_login(applicant)
    detail = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    cover = {
        name: COMPLETE_DETAIL[name] for name in ("contact_title", "contact_phone", "contact_mobile", "contact_email")
    }
    edited = client.post(reverse("filings:step", args=[filing.pk, "cover"]), {**cover, "contact_name": "陈秘书"})
    submitted = client.post(reverse("filings:submit", args=[filing.pk]))

    assert "请按以下意见修改后重新提交" in detail
    assert "联系人应为联盟秘书处人员" in detail and "补充M5专利池许可合同备案证明" in detail
    assert reverse("filings:step", args=[filing.pk, "cover"]) in detail
    assert (edited.status_code, submitted.status_code) == (302, 302)
    filing.refresh_from_db()
    assert (filing.state, filing.version) == (State.SUBMITTED, 2)
    assert list(filing.versions.values_list("number", flat=True)) == [1, 2]

    client.force_login(staff)
    response = client.get(page_url(filing), {"diff": "1..2"})

    changes = [(c.field, c.old, c.new) for c in response.context["diff"]["changes"]]
    assert changes == [("联系人", "李联系", "陈秘书")]
    html = response.content.decode()
    assert "<del>李联系</del>" in html and "<ins>陈秘书</ins>" in html


@pytest.mark.parametrize("rounds", [3, 6])
def test_filing_page_query_count_does_not_grow_with_versions_events_or_experts(
    staff_client, django_assert_num_queries, rounds
):
    # At least the call's three experts, so that the assignment form (one query more) is not offered.
    filing = queued(versions=rounds, state=State.EXPERT_REVIEW)
    for _i in range(rounds):
        score(filing, 80)
        FilingEvent.objects.create(
            filing=filing, actor=StaffFactory(), action="return", from_state="submitted", to_state="returned"
        )
        AuditRecord.objects.create(
            filing=filing, version=filing.versions.first(), outcome="return", comment="补正", staff=StaffFactory()
        )

    # filing, its assignments, versions, materials, events, audits, objections (the session and the
    # user come from the cache)
    with django_assert_num_queries(7):
        staff_client.get(page_url(filing), {"diff": f"1..{rounds}"})


def test_queue_call_filter_offers_a_new_call_at_once(staff_client, django_capture_on_commit_callbacks):
    CallFactory(title="2025年上海市产业知识产权联盟备案")
    staff_client.get(QUEUE)  # the calls are kept until something changes

    with django_capture_on_commit_callbacks(execute=True):
        CallFactory(title="2026年上海市产业知识产权联盟备案")
    bar = {field["name"]: field for field in staff_client.get(QUEUE).context["filter_bar"]}

    assert "2026年上海市产业知识产权联盟备案" in [label for _value, label, _chosen in bar["call"]["options"]]
