"""The 补正 deadline: set on return in the call's working days, shown to the applicant and to
staff, reminded before it ends, overdue ones found in the queue; the signed scan after submission."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings.models import Call, Filing
from filings.states import State
from review.audit.tasks import correction_reminders_task
from review.tests.desk import audit_post, listed, page_url, queued, submitted_filing
from workdays import calendar
from workdays.calendar import add_working_days
from workdays.models import CalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("this_year_known")]


def returned(staff_client, *, days=None):
    filing = submitted_filing()
    if days is not None:
        Call.objects.filter(pk=filing.call_id).update(correction_working_days=days)
    response = staff_client.post(
        page_url(filing, "review:filing-audit"), audit_post(filing, "return", comment="补充成员单位协议")
    )
    filing.refresh_from_db()
    return filing, response


def test_return_sets_the_deadline_in_the_calls_working_days(staff_client):
    filing, response = returned(staff_client, days=7)

    assert response.status_code == 302
    assert filing.state == State.RETURNED
    assert filing.correction_due_on == add_working_days(timezone.localdate(), 7)


def test_return_past_the_known_calendar_is_refused_at_the_action(staff_client):
    beyond = timezone.localdate().year + 2
    if calendar._library_knows(beyond):
        pytest.skip("the calendar library already knows the year after next")
    CalendarYear.objects.filter(year=beyond).delete()

    filing, response = returned(staff_client, days=400)

    assert response.status_code == 200
    assert f"尚无 {beyond} 年的法定节假日和调休安排" in response.context["audit_form"].non_field_errors()[0]
    assert filing.state == State.SUBMITTED


def test_the_applicant_sees_the_deadline_on_the_filing_and_the_dashboard(staff_client):
    filing, _response = returned(staff_client)
    client = Client()
    client.force_login(filing.created_by)
    due = f"{filing.correction_due_on.year}年{filing.correction_due_on.month}月{filing.correction_due_on.day}日"

    detail = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    dashboard = client.get(reverse("filings:dashboard")).content.decode()

    assert f"补正期限：{due}前重新提交" in detail
    assert "待您办理" in dashboard and "按审核意见补正后重新提交" in dashboard and f"截止 {due}" in dashboard


def test_the_applicant_is_reminded_once_before_the_deadline(mailoutbox):
    today = timezone.localdate()
    near = queued(state=State.RETURNED)
    far = queued(state=State.RETURNED)
    Filing.objects.filter(pk=near.pk).update(correction_due_on=add_working_days(today, 1))
    Filing.objects.filter(pk=far.pk).update(correction_due_on=add_working_days(today, 8))

    first = correction_reminders_task()
    second = correction_reminders_task()

    assert (first, second) == (1, 0)
    assert mailoutbox[0].to == [near.created_by.email]
    assert near.number in mailoutbox[0].body and "补正期限至" in mailoutbox[0].body
    assert Filing.objects.get(pk=far.pk).correction_reminded_at is None


def test_staff_see_and_filter_overdue_corrections(staff_client):
    overdue = queued(state=State.RETURNED)
    in_time = queued(state=State.RETURNED)
    Filing.objects.filter(pk=overdue.pk).update(correction_due_on=timezone.localdate() - timedelta(days=1))
    Filing.objects.filter(pk=in_time.pk).update(correction_due_on=timezone.localdate() + timedelta(days=3))

    everything = staff_client.get(reverse("review:queue"))
    only = staff_client.get(reverse("review:queue"), {"correction": "overdue"})

    assert everything.content.decode().count("补正已逾期") == 1 + 1  # the row and the filter's choice
    assert listed(only) == [overdue.number]


def test_after_submission_the_applicant_is_told_to_upload_the_signed_scan_and_staff_see_it_missing(staff_client):
    filing = submitted_filing()
    client = Client()
    client.force_login(filing.created_by)

    detail = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    dashboard = client.get(reverse("filings:dashboard")).content.decode()
    staff_page = staff_client.get(page_url(filing)).content.decode()

    assert "下一步：上传签字盖章的申请书扫描件" in detail
    assert reverse("filings:materials", args=[filing.pk]) in detail
    assert "签字盖章后上传扫描件（M1" in dashboard
    assert "尚未上传" in staff_page
