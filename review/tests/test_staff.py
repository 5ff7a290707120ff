"""The bureau staff's side of the review: the queue, the filing page and the actions taken on it."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pgtrigger
import pytest
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
from filings import kinds
from filings.models import Filing, FilingEvent, FilingVersion, Kind
from filings.services import filing_submit
from filings.states import State
from filings.tests.alliance_factories import COMPLETE_DETAIL, AllianceFilingFactory, complete_alliance_filing
from filings.tests.factories import CallFactory
from review.models import AuditRecord, ExpertAssignment, PublicityBatch, PublicityEntry
from review.services import score_sheet

pytestmark = pytest.mark.django_db

QUEUE = reverse("review:queue")
IP = "203.0.113.7"
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def finding(rule: str, verdict: str) -> dict:
    return {
        "rule": rule,
        "verdict": verdict,
        "message": f"{rule} 的结论",
        "source": "seed 000 一.1",
        "step": "",
        "evidence": "",
    }


def badge(code: str, label: str) -> dict:
    return {"rule": code, "verdict": "badge", "message": label, "source": "seed 002 五(二)", "step": "", "evidence": ""}


def queued(*, state=State.SUBMITTED, findings=(), versions=1, **fields) -> Filing:
    """A filing as the queue sees it: submitted `versions` times, the last with these findings.

    Test setup writes the rows directly; the submit service and its rules are tested in filings/.
    """
    filing = AllianceFilingFactory(**{k: v for k, v in fields.items() if k in ("call", "organisation")})
    n = next(_serial)
    Filing.objects.filter(pk=filing.pk).update(
        state=state,
        title=fields.get("title", f"上海测试产业知识产权联盟{n}"),
        number=fields.get("number", f"LM2024-{n:04d}"),
        version=versions,
        submitted_at=fields.get("submitted_at", timezone.now()),
    )
    for number in range(1, versions + 1):
        FilingVersion.objects.create(
            filing=filing,
            number=number,
            data={},
            findings=list(findings) if number == versions else [],
            materials=[],
            submitted_by=filing.created_by,
        )
    return Filing.objects.get(pk=filing.pk)


def listed(response) -> list[str]:
    return [row["filing"].number for row in response.context["rows"]]


def submitted_filing(**detail) -> Filing:
    """A complete ALLIANCE filing, submitted through the service (version 1, frozen findings)."""
    filing = complete_alliance_filing(**detail)
    filing_submit(filing=filing, actor=filing.created_by)
    return Filing.objects.get(pk=filing.pk)


def in_state(filing: Filing, state: str) -> Filing:
    Filing.objects.filter(pk=filing.pk).update(state=state)  # test setup: the earlier steps are tested elsewhere
    return Filing.objects.get(pk=filing.pk)


def page_url(filing: Filing, name: str = "review:filing") -> str:
    return reverse(name, args=[filing.pk])


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
        QUEUE, {"call": call.pk, "kind": Kind.ALLIANCE, "state": State.EXPERT_REVIEW, "district": District.XUHUI}
    )

    assert listed(response) == [target.number]


def test_queue_filters_by_kind_other_kind_lists_nothing(staff_client):
    queued()

    response = staff_client.get(QUEUE, {"kind": Kind.CLUSTER})

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
        ("晶圆科技", "organisation"),
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


@pytest.mark.parametrize("filings", [1, 30])
def test_queue_query_count_is_constant(staff_client, django_assert_num_queries, filings):
    for i in range(filings):
        queued(findings=[finding("AL-2", "review"), badge("full_chain", "齐全")], versions=1 + i % 2)

    # user, state counts (which also give the total), page, latest versions, calls in the filter form;
    # the session comes from the cache
    with django_assert_num_queries(5):
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
    assert response.context["kind_templates"][0] == "review/kinds/alliance.html"


def test_filing_page_unknown_diff_is_a_message_not_an_error(staff_client):
    filing = submitted_filing()

    response = staff_client.get(page_url(filing), {"diff": "1..9"})

    assert response.status_code == 200
    assert "所选版本不存在" in response.content.decode()


# --- material audit ------------------------------------------------------------------


def audit_post(filing: Filing, outcome: str, *, comment: str = "", unticked: tuple[str, ...] = ()) -> dict:
    data = {"outcome": outcome, "comment": comment}
    for key, _label in kinds.get(filing.kind).audit_checklist:
        if key not in unticked:
            data[f"check_{key}"] = "on"
    return data


def test_audit_pass_moves_to_expert_review_with_the_checklist(staff_client, staff):
    filing = submitted_filing()

    response = staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, "pass"), REMOTE_ADDR=IP)

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW
    record = AuditRecord.objects.get(filing=filing)
    assert (record.outcome, record.staff, record.version.number) == ("pass", staff, 1)
    assert all(record.checklist.values()) and len(record.checklist) == len(kinds.get("ALLIANCE").audit_checklist)
    event = FilingEvent.objects.filter(filing=filing).latest("id")
    assert (event.action, event.client_ip) == ("audit_pass", IP)


def test_audit_pass_with_incomplete_checklist_is_refused_on_the_form(staff_client):
    filing = submitted_filing()

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "pass", unticked=("m2_signed",))
    )

    assert response.status_code == 200
    assert "核查清单尚有未勾选的项目" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    assert not AuditRecord.objects.exists()


def test_audit_return_records_the_items_to_fix(staff_client):
    filing = submitted_filing()
    comment = "M2 章程缺少成员单位法定代表人签字\n补充专利池许可合同备案证明"

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "return", comment=comment, unticked=("m2_signed",))
    )

    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.RETURNED
    record = AuditRecord.objects.get(filing=filing)
    assert record.fix_items == ["M2 章程缺少成员单位法定代表人签字", "补充专利池许可合同备案证明"]
    assert record.checklist["m2_signed"] is False


@pytest.mark.parametrize(
    ("outcome", "message"), [("return", "退回补正须列明需修改的内容，每行一项。"), ("reject", "不予通过须写明理由。")]
)
def test_audit_return_or_reject_without_comment_is_refused_at_the_field(staff_client, outcome, message):
    filing = submitted_filing()

    response = staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, outcome, comment="  "))

    assert response.status_code == 200
    assert response.context["audit_form"].errors["comment"] == [message]
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_audit_reject_ends_the_filing_with_the_reason(staff_client):
    filing = submitted_filing()

    staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "reject", comment="联盟成员均非本市单位")
    )

    filing.refresh_from_db()
    assert filing.state == State.REJECTED
    assert FilingEvent.objects.filter(filing=filing).latest("id").comment == "联盟成员均非本市单位"


def test_audit_after_someone_else_acted_shows_the_refresh_message(staff_client):
    filing = submitted_filing()
    staff_client.post(page_url(filing, "review:filing-audit"), audit_post(filing, "pass"))

    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "return", comment="请补充章程"), follow=True
    )

    assert "可能已有其他人处理，请刷新页面查看" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW
    assert AuditRecord.objects.filter(filing=filing).count() == 1


# --- experts -------------------------------------------------------------------------


def test_expert_assign_assigns_an_active_expert(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    expert = ExpertFactory(expert_organisation_name="复旦大学")
    ExpertFactory(is_active=False)

    page = staff_client.get(page_url(filing))
    offered = list(page.context["assign_form"].fields["expert"].queryset)
    response = staff_client.post(page_url(filing, "review:filing-assign"), {"expert": expert.pk})

    assert offered == [expert]
    assert "复旦大学" in page.content.decode()
    assert response.status_code == 302
    assert list(ExpertAssignment.objects.filter(filing=filing).values_list("expert", flat=True)) == [expert.pk]


@pytest.mark.parametrize(("party", "reason"), [("member", "是该申报的成员单位"), ("applicant", "是申报单位")])
def test_expert_assign_conflict_is_refused_with_the_reason(staff_client, party, reason):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    name = "上海晶圆制造有限公司" if party == "member" else filing.organisation.name
    expert = ExpertFactory(expert_organisation_name=name)

    response = staff_client.post(page_url(filing, "review:filing-assign"), {"expert": expert.pk})

    assert response.status_code == 200
    assert response.context["assign_form"].errors["expert"] == [f"专家所在单位“{name}”{reason}，须回避。"]
    assert reason in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def score(filing: Filing, total: int, recommendation: str = "approve") -> ExpertAssignment:
    sheet = score_sheet(filing.call)
    scores = {c["key"]: c["max"] * total / 100 for c in sheet}
    return ExpertAssignment.objects.create(
        filing=filing,
        expert=ExpertFactory(),
        assigned_by=StaffFactory(),
        due_at=timezone.now() + timedelta(days=3),
        scores=scores,
        total=Decimal(total),
        recommendation=recommendation,
        comment="方案可行。",
        submitted_at=timezone.now(),
    )


def test_decide_with_three_scored_assignments_shows_the_mean_and_approves(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    for total in (80, 85, 93):
        score(filing, total)

    page = staff_client.get(page_url(filing))
    response = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "approve"}, REMOTE_ADDR=IP)

    assert page.context["review_summary"] == {"done": 3, "needed": 3, "mean": Decimal("86.0"), "approve": 3}
    html = page.content.decode()
    assert "86.0" in html and "建议通过" in html
    assert "assign_form" not in page.context  # three of three assigned
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.REVIEWED
    assert FilingEvent.objects.filter(filing=filing).latest("id").client_ip == IP


def test_decide_before_every_expert_has_scored_is_refused_on_the_form(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)
    score(filing, 80)

    response = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "approve"})

    assert response.status_code == 200
    assert response.context["decide_form"].non_field_errors() == [
        "已有 1 位专家提交评审意见，需 3 位全部完成后方可决定。"
    ]
    filing.refresh_from_db()
    assert filing.state == State.EXPERT_REVIEW


def test_decide_reject_needs_a_reason_then_rejects(staff_client):
    filing = in_state(submitted_filing(), State.EXPERT_REVIEW)

    refused = staff_client.post(page_url(filing, "review:filing-decide"), {"decision": "reject"})
    rejected = staff_client.post(
        page_url(filing, "review:filing-decide"), {"decision": "reject", "comment": "得分过低"}
    )

    assert refused.context["decide_form"].errors["comment"] == ["不予通过须写明理由。"]
    assert rejected.status_code == 302
    filing.refresh_from_db()
    assert filing.state == State.REJECTED


# --- registration --------------------------------------------------------------------


def publicise(filing: Filing, *, ended: bool) -> Filing:
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=filing.call,
        title="拟入库名单公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=3) if ended else today + timedelta(days=3),
        published_by=StaffFactory(),
    )
    PublicityEntry.objects.create(batch=batch, filing=filing)
    return in_state(filing, State.PUBLICITY)


def test_register_after_a_finished_publicity_gives_the_number_in_the_call_format(staff_client):
    filing = publicise(queued(), ended=True)

    response = staff_client.post(page_url(filing, "review:filing-register"), follow=True)

    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.REGISTERED, "沪知联备〔2024〕第001号")
    assert "已入库/立项，编号 沪知联备〔2024〕第001号。" in response.content.decode()


def test_register_during_publicity_is_refused_with_a_message(staff_client):
    filing = publicise(queued(), ended=False)

    response = staff_client.post(page_url(filing, "review:filing-register"), follow=True)

    assert "公示期尚未结束，不能入库。" in response.content.decode()
    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.PUBLICITY, None)


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

    # user, filing, its assignments, versions, materials, events, audits (the session comes from the cache)
    with django_assert_num_queries(7):
        staff_client.get(page_url(filing), {"diff": f"1..{rounds}"})
