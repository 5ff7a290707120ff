"""Bulk actions from the queue: a preview, one confirmation, a task with a progress page; each
filing through the one transition writer with its own event; a refusal undoes nothing else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ExpertFactory, StaffFactory
from filings.models import Filing, FilingEvent
from filings.states import State
from review.models import BulkRun, ExpertAssignment, Objection, PublicityBatch, PublicityEntry
from review.tests.desk import queued, score, submitted_filing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]

PREVIEW = reverse("review:bulk-preview")
CONFIRM = reverse("review:bulk-confirm")


def run_bulk(client, capture, action, filings, **extra) -> BulkRun:
    data = {"action": action, "filings": [f.pk for f in filings], **extra}
    with capture(execute=True):
        response = client.post(CONFIRM, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = BulkRun.objects.get()
    assert response.url == reverse("review:bulk-run", args=[run.pk])
    return run


def outcomes(run: BulkRun) -> dict[int, bool]:
    return {r["filing"]: r["ok"] for r in run.results}


def test_the_queue_offers_the_bulk_actions_with_a_checkbox_per_row(staff_client):
    filing = queued()

    html = staff_client.get(reverse("review:queue")).content.decode()

    assert f'name="filings" value="{filing.pk}" form="bulk-form"' in html
    for label in ("形式审查通过", "分配评审专家", "发布公示", "入库/立项"):
        assert f">{label}</option>" in html


def test_preview_lists_what_will_be_done_and_why_not(staff_client):
    ready = queued()
    moved_on = queued(state=State.EXPERT_REVIEW)

    response = staff_client.post(PREVIEW, {"action": "audit_pass", "filings": [ready.pk, moved_on.pk]})

    html = response.content.decode()
    assert [row["refusal"] for row in response.context["rows"]] == [
        None,
        "该申报当前状态为“专家评审中”，不能执行“形式审查通过”。",
    ]
    assert "预计可处理 1 件" in html and "确认处理 1 件" in html
    assert not BulkRun.objects.exists()


def test_preview_without_a_choice_says_so_on_the_queue(staff_client):
    response = staff_client.post(PREVIEW, {"action": "audit_pass", "back": "https://evil.example/"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert "请先勾选要处理的申报。" in response.content.decode()


def test_bulk_audit_pass_of_a_mixed_batch(staff_client, django_capture_on_commit_callbacks):
    first, second = submitted_filing(), submitted_filing()
    refused = queued(state=State.REJECTED)

    run = run_bulk(staff_client, django_capture_on_commit_callbacks, "audit_pass", [first, refused, second])
    page = staff_client.get(reverse("review:bulk-run", args=[run.pk])).content.decode()

    run.refresh_from_db()
    assert outcomes(run) == {first.pk: True, refused.pk: False, second.pk: True}
    assert (
        run.results[1]["message"]
        == "该申报当前状态为“未通过”，不能执行“形式审查通过”。可能已有其他人处理，请刷新页面查看。"
    )
    assert set(Filing.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {
        State.EXPERT_REVIEW
    }
    assert FilingEvent.objects.filter(action="audit_pass").count() == 2
    assert "已完成：成功 2 件，未处理 1 件。" in page
    assert 'http-equiv="refresh"' not in page


def test_bulk_assign_skips_and_reports_conflicts_and_shows_the_load(staff_client, django_capture_on_commit_callbacks):
    one, two = (queued(state=State.EXPERT_REVIEW) for _i in range(2))
    busy = ExpertFactory(name="钱专家")
    ExpertAssignment.objects.create(
        filing=queued(state=State.EXPERT_REVIEW), expert=busy, assigned_by=StaffFactory(), due_at=timezone.now()
    )
    free = ExpertFactory(name="孙专家")
    conflicted = ExpertFactory(name="李专家", expert_organisation_name=two.organisation.name)

    preview = staff_client.post(PREVIEW, {"action": "assign", "filings": [one.pk, two.pk]}).content.decode()
    run = run_bulk(
        staff_client,
        django_capture_on_commit_callbacks,
        "assign",
        [one, two],
        experts=[busy.pk, free.pk, conflicted.pk],
    )

    assert "钱专家" in preview and "在评 1 件" in preview and "在评 0 件" in preview
    run.refresh_from_db()
    assert outcomes(run) == {one.pk: True, two.pk: True}
    # The least loaded expert first.
    name = two.organisation.name
    assert (
        run.results[1]["message"] == f"已分配：孙专家、钱专家。跳过：李专家（专家所在单位“{name}”是申报单位，须回避。）"
    )
    assert ExpertAssignment.objects.filter(filing=one).count() == 3
    assert ExpertAssignment.objects.filter(filing=two).count() == 2
    assert FilingEvent.objects.filter(action="expert_assign").count() == 5


def test_bulk_publish_puts_the_reviewed_ones_in_one_batch(staff_client, django_capture_on_commit_callbacks):
    first = queued(state=State.REVIEWED)
    second = queued(state=State.REVIEWED, call=first.call)
    not_yet = queued(state=State.EXPERT_REVIEW, call=first.call)
    today = timezone.localdate().isoformat()

    run = run_bulk(
        staff_client, django_capture_on_commit_callbacks, "publish", [first, not_yet, second], starts_on=today
    )

    run.refresh_from_db()
    assert outcomes(run) == {first.pk: True, not_yet.pk: False, second.pk: True}
    batch = PublicityBatch.objects.get()
    assert list(batch.entries.values_list("filing", flat=True)) == [first.pk, second.pk]
    assert FilingEvent.objects.filter(action="publish").count() == 2


def test_bulk_register_registers_the_clean_ones_and_refuses_one_with_a_pending_objection(
    staff_client, django_capture_on_commit_callbacks
):
    clean, objected = queued(state=State.PUBLICITY), queued(state=State.PUBLICITY)
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(
        call=clean.call,
        title="公示",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=1),
        published_by=StaffFactory(),
    )
    PublicityEntry.objects.create(batch=batch, filing=clean, position=1)
    entry = PublicityEntry.objects.create(batch=batch, filing=objected, position=2)
    Objection.objects.create(entry=entry, name="赵异议", phone="13912340000", reasons="不实。")

    run = run_bulk(staff_client, django_capture_on_commit_callbacks, "register", [clean, objected])

    run.refresh_from_db()
    assert outcomes(run) == {clean.pk: True, objected.pk: False}
    assert run.results[1]["message"] == "该申报尚有未处理或成立的异议，不能入库。"
    clean.refresh_from_db()
    assert clean.state == State.REGISTERED and clean.registry_number
    assert run.results[0]["message"] == f"已入库/立项，编号 {clean.registry_number}。"


def test_a_decision_after_bulk_assignment_needs_the_scores(staff_client):
    filing = queued(state=State.EXPERT_REVIEW)
    for total in (80, 85, 90):
        score(filing, total)

    response = staff_client.post(reverse("review:filing-decide", args=[filing.pk]), {"decision": "approve"})

    assert response.status_code == 302


def test_confirming_200_filings_only_queues_the_work(staff_client, django_assert_max_num_queries):
    filings = [queued() for _i in range(200)]

    with django_assert_max_num_queries(12):
        response = staff_client.post(CONFIRM, {"action": "audit_pass", "filings": [f.pk for f in filings]})
    page = staff_client.get(response.url).content.decode()

    run = BulkRun.objects.get()
    assert (run.total, run.done, run.finished_at) == (200, 0, None)
    assert "正在处理：0 / 200" in page and 'http-equiv="refresh"' in page


def test_assign_without_experts_is_refused_at_the_field(staff_client):
    filing = queued(state=State.EXPERT_REVIEW)

    response = staff_client.post(CONFIRM, {"action": "assign", "filings": [filing.pk]})

    assert response.status_code == 400
    assert response.context["form"].errors["experts"] == ["请选择至少一位评审专家。"]
    assert not BulkRun.objects.exists()
