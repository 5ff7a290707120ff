import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Organisation
from accounts.tests.factories import DistrictUserFactory, UserFactory
from filings.models import OutboxMessage
from review.reports.growth import growth_table
from review.reports.models import ReportSchedule, ReportState, YearlyReport
from review.reports.selectors import periods_for_staff
from review.reports.services import report_reminders_queue, report_start, report_submit
from review.reports.tests.factories import (
    CONSORTIUM_YEAR1,
    pdf_upload,
    registered_cluster,
    registered_consortium,
    report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing():
    return registered_consortium()


@pytest.fixture
def unit(client, filing):
    client.force_login(filing.created_by)
    return client


def test_a_report_for_a_year_not_started_or_outside_the_task_period_is_refused(filing):
    year = filing.registered_at.year
    with pytest.raises(ValidationError) as refusal:
        report_start(filing=filing, year=year + 1, actor=filing.created_by)
    assert refusal.value.messages == [f"{year + 1} 年度尚未开始，{year + 1}-01-01 起方可填报该年度报告。"]
    with pytest.raises(ValidationError) as refusal:
        report_start(filing=filing, year=year - 1, actor=filing.created_by)
    assert refusal.value.messages == [f"{year - 1} 年不在本项目的任务期内。"]


def test_a_second_report_for_the_same_year_is_refused(unit, filing):
    year = filing.registered_at.year
    first = report_start(filing=filing, year=year, actor=filing.created_by)

    response = unit.post(reverse("reports:start", args=[filing.pk, year]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [f"{year} 年度报告已经存在，请打开原报告继续填写。"]
    assert list(YearlyReport.objects.values_list("pk", flat=True)) == [first.pk]


def test_the_unit_sees_its_years_and_starts_a_report(unit, filing):
    response = unit.get(reverse("reports:home"))
    periods = response.context["rows"][0]["periods"]
    assert [(p.year, p.status_label) for p in periods] == [
        (filing.registered_at.year, "待填报"),
        (filing.registered_at.year + 1, "未开始"),
    ]

    response = unit.post(reverse("reports:start", args=[filing.pk, filing.registered_at.year]))

    created = YearlyReport.objects.get()
    assert response.url == reverse("reports:report", args=[created.pk])
    assert (created.state, created.created_by) == (ReportState.DRAFT, filing.created_by)


def test_bad_figures_get_a_chinese_message_at_the_field_and_nothing_is_lost(unit, filing):
    row = report(filing, filing.registered_at.year)
    data = {**CONSORTIUM_YEAR1, "deals": "-3", "value": "12.345", "patents": "一百", "sme_count": "12.5", "save": ""}

    response = unit.post(reverse("reports:report", args=[row.pk]), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "deals": ["不能为负数。"],
        "value": ["最多保留两位小数。"],
        "patents": ["请填写数字（整数），不要填写文字或单位。"],
        "sme_count": ["请填写整数。"],
    }
    # What was typed is shown again, and what passed its checks is saved in the draft.
    assert form["patents"].value() == "一百"
    saved = YearlyReport.objects.get(pk=row.pk).figures
    assert saved == {
        "received": "130.00",
        "pledge_projects": "3",
        "pledge_amount": "500.00",
        "sme_revenue": "8000.00",
        "sme_employees": "450",
    }


def test_a_report_is_not_submitted_while_a_field_is_refused(unit, filing):
    row = report(filing, filing.registered_at.year, files=("R1",))

    unit.post(reverse("reports:report", args=[row.pk]), {**CONSORTIUM_YEAR1, "deals": "x", "submit": ""})

    assert YearlyReport.objects.get(pk=row.pk).state == ReportState.DRAFT


def test_the_unit_saves_uploads_and_submits(unit, filing):
    row = report(filing, filing.registered_at.year)
    unit.post(reverse("reports:report", args=[row.pk]), {**CONSORTIUM_YEAR1, "notes": "数据来自台账。", "save": ""})

    refused = unit.post(
        reverse("reports:upload", args=[row.pk]),
        {"code": "R1", "file": SimpleUploadedFile("报告.pdf", b"not a pdf at all", content_type="application/pdf")},
    )
    assert refused.context["upload_form"].errors == {
        "file": ["文件内容不是 PDF、JPG 或 PNG，请上传扫描件的 PDF 文件或图片（改扩展名无效）。"]
    }
    unit.post(reverse("reports:upload", args=[row.pk]), {"code": "R1", "file": pdf_upload()})
    unit.post(reverse("reports:report", args=[row.pk]), {**CONSORTIUM_YEAR1, "notes": "数据来自台账。", "submit": ""})

    row.refresh_from_db()
    assert (row.state, row.version, row.notes) == (ReportState.SUBMITTED, 1, "数据来自台账。")
    assert row.versions.get().figures == CONSORTIUM_YEAR1


def test_another_organisations_report_and_filing_are_404(client, filing):
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED, files=("R1",))
    client.force_login(UserFactory())

    for url in (
        reverse("reports:report", args=[row.pk]),
        reverse("reports:file", args=[row.pk, row.files.get().pk]),
        reverse("reports:document", args=[row.pk, 1]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("reports:start", args=[filing.pk, filing.registered_at.year])).status_code == 404
    assert client.post(reverse("reports:report", args=[row.pk]), {"deals": "1", "save": ""}).status_code == 404


def test_staff_list_shows_overdue_reports_and_filters(staff_client, django_assert_max_num_queries):
    late = registered_consortium(year=2023)
    ReportSchedule.objects.create(call=late.call, first_year=2023, years=2)
    report(late, 2023, CONSORTIUM_YEAR1, state=ReportState.ACCEPTED)
    on_time = registered_cluster()
    registered_cluster()

    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("review:reports"))
    rows = [(p.filing.pk, p.year, p.status) for p in response.context["page"].object_list]
    this_year = on_time.registered_at.year
    assert rows[:2] == [(late.pk, 2023, "accepted"), (late.pk, 2024, "overdue")]
    assert len(rows) == 4  # the two clusters' first years

    overdue = staff_client.get(reverse("review:reports"), {"status": "overdue"})
    assert [(p.filing.pk, p.year) for p in overdue.context["page"].object_list] == [(late.pk, 2024)]
    found = staff_client.get(reverse("review:reports"), {"q": on_time.registry_number})
    assert [(p.filing.pk, p.year) for p in found.context["page"].object_list] == [(on_time.pk, this_year)]


def test_staff_return_then_accept_from_the_report_page(
    staff_client, filing, mailoutbox, django_capture_on_commit_callbacks
):
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, files=("R1",))
    report_submit(report=row, actor=filing.created_by)
    url = reverse("review:report-decide", args=[row.pk])

    refused = staff_client.post(url, {"decision": "return", "comment": ""})
    assert refused.context["decision_form"].errors == {"comment": ["请填写退回理由，写明需要修改的内容。"]}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"decision": "return", "comment": "成交金额请附合同清单。"})
    assert YearlyReport.objects.get(pk=row.pk).state == ReportState.RETURNED
    assert "成交金额请附合同清单。" in mailoutbox[-1].body

    report_submit(report=YearlyReport.objects.get(pk=row.pk), actor=filing.created_by)
    staff_client.post(url, {"decision": "accept"})
    row.refresh_from_db()
    assert (row.state, row.version) == (ReportState.ACCEPTED, 2)
    assert list(row.events.values_list("action", flat=True)) == ["submit", "return", "resubmit", "accept"]


def test_reminders_are_queued_once_on_commit_before_the_deadline_and_when_overdue(
    filing, django_capture_on_commit_callbacks
):
    year = filing.registered_at.year
    due = datetime.date(year + 1, 3, 31)

    assert report_reminders_queue(today=datetime.date(year + 1, 3, 1)) == 0
    with django_capture_on_commit_callbacks() as callbacks:
        assert report_reminders_queue(today=due - datetime.timedelta(days=14)) == 1
    assert len(callbacks) == 1
    assert report_reminders_queue(today=due) == 0
    assert report_reminders_queue(today=due + datetime.timedelta(days=1)) == 1
    assert sorted(OutboxMessage.objects.values_list("key", "kwargs")) == [
        (
            f"report-due:{filing.pk}:{year}",
            {"filing_id": filing.pk, "year": year, "due_on": due.isoformat(), "overdue": False},
        ),
        (
            f"report-overdue:{filing.pk}:{year}",
            {"filing_id": filing.pk, "year": year, "due_on": due.isoformat(), "overdue": True},
        ),
    ]


def test_a_submitted_report_gets_no_reminder(filing):
    year = filing.registered_at.year
    report(filing, year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED)

    assert report_reminders_queue(today=datetime.date(year + 1, 4, 1)) == 0


def test_reminder_mail_names_the_year_deadline_and_materials(filing, mailoutbox):
    from review.reports.tasks import notify_report_reminder

    assert notify_report_reminder(filing.pk, 2025, "2026-03-31", True) == 1
    assert mailoutbox[0].subject == f"[知识产权备案申报] 逾期提醒：“{filing.title}”2025年度绩效报告"
    assert "已超过 2026-03-31 的报送截止日期" in mailoutbox[0].body
    assert "数据统计报告及年度工作报告" in mailoutbox[0].body


def test_report_reminders_are_scheduled_by_beat(settings):
    assert settings.CELERY_BEAT_SCHEDULE["report-reminders"]["task"] == "reports.tasks.report_reminders_task"


def test_the_pdfs_code_opens_its_public_check(client, filing, django_capture_on_commit_callbacks):
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, files=("R1",))
    with django_capture_on_commit_callbacks(execute=True):
        version = report_submit(report=row, actor=filing.created_by)

    response = client.get(reverse("reports:verify", args=[version.verification_code]))

    assert response.status_code == 200
    assert response.context["version"] == version
    assert response.context["version"].document.sha256 in response.content.decode()
    assert client.get(reverse("reports:verify", args=["ABCDEFGHJKLMNPQR"])).status_code == 404


def test_demo_has_a_lixiang_consortium_and_cluster_with_one_report_accepted_and_one_due():
    from review import demo

    demo.load()
    demo.load()  # twice changes nothing

    periods = periods_for_staff()
    this_year = datetime.date.today().year
    by_kind = sorted((p.filing.kind, p.year, p.status) for p in periods)
    assert by_kind == [
        ("CLUSTER", this_year - 1, "accepted"),
        ("CLUSTER", this_year, "open"),
        ("CONSORTIUM", this_year - 1, "accepted"),
        ("CONSORTIUM", this_year, "open"),
    ]
    consortium = next(p for p in periods if p.filing.kind == "CONSORTIUM" and p.report)
    assert [row.falls_short for row in growth_table(consortium.report)][:4] == [False, True, False, True]


def test_a_submitted_report_cannot_be_changed_by_the_unit(unit, filing):
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED, files=("R1",))

    response = unit.post(
        reverse("reports:report", args=[row.pk]), {**CONSORTIUM_YEAR1, "deals": "999", "save": ""}, follow=True
    )
    upload = unit.post(reverse("reports:upload", args=[row.pk]), {"code": "R1", "file": pdf_upload()})

    assert [str(m) for m in response.context["messages"]] == ["年度报告当前状态为“已报送，待审核”，不能修改。"]
    assert YearlyReport.objects.get(pk=row.pk).figures == CONSORTIUM_YEAR1
    assert upload.context["upload_form"].errors == {"file": ["年度报告当前状态为“已报送，待审核”，不能修改。"]}
    assert row.files.count() == 1


def test_staff_pages_are_for_staff_only(client, filing):
    row = report(filing, filing.registered_at.year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED)
    urls = [reverse("review:reports"), reverse("review:report", args=[row.pk])]

    assert [client.get(url).status_code for url in urls] == [302, 302]
    client.force_login(filing.created_by)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.post(reverse("review:report-decide", args=[row.pk]), {"decision": "accept"}).status_code == 403
    assert YearlyReport.objects.get(pk=row.pk).state == ReportState.SUBMITTED


def test_a_district_bureau_reads_its_own_areas_reports_and_decides_none(client):
    ours = registered_consortium()
    theirs = registered_cluster()
    Organisation.objects.filter(pk=ours.organisation_id).update(district="徐汇区")
    Organisation.objects.filter(pk=theirs.organisation_id).update(district="浦东新区")
    ours_report = report(ours, ours.registered_at.year, CONSORTIUM_YEAR1, state=ReportState.SUBMITTED)
    theirs_report = report(theirs, theirs.registered_at.year, state=ReportState.SUBMITTED)
    client.force_login(DistrictUserFactory(area="徐汇区"))

    listed = client.get(reverse("review:reports"))
    page = client.get(reverse("review:report", args=[ours_report.pk]))

    assert {p.filing.pk for p in listed.context["page"].object_list} == {ours.pk}
    assert page.status_code == 200 and not page.context["actions"]
    assert client.get(reverse("review:report", args=[theirs_report.pk])).status_code == 404
    decided = client.post(reverse("review:report-decide", args=[ours_report.pk]), {"decision": "accept"})
    assert decided.status_code == 403
    ours_report.refresh_from_db()
    assert ours_report.state == ReportState.SUBMITTED
