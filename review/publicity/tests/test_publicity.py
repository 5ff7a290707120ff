"""公示: staff publish and decide objections; the public reads the list and objects in time."""

import datetime
import hashlib
import itertools
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.tests.factories import ExpertFactory, StaffFactory, UserFactory
from filings.kinds.alliance.models import AllianceDetail
from filings.models import Filing, FilingVersion
from filings.services import filing_submit
from filings.states import State
from filings.tests.alliance_factories import AllianceFilingFactory, complete_alliance_filing
from filings.tests.factories import CallFactory
from filings.tests.samples import PDF
from review.models import Objection, PublicityBatch, PublicityEntry
from review.publicity.selectors import OBJECTIONS_PER_IP_PER_DAY
from review.publicity.services import publicity_publish
from review.registry.services import filing_register
from workdays import calendar
from workdays.calendar import working_days_after
from workdays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2025, 6, 6)
ID_NUMBER = "110105194912310022"  # a 身份证号码 with a valid check digit
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _this_year_known(db):
    """Tests that publish from today run on any date: a year past the calendar library's data
    is entered as staff would enter it (the refusal of an unknown year is tested in workdays/)."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        if not calendar._library_knows(year):
            CalendarYear.objects.get_or_create(year=year)


def reviewed(call=None, **fields) -> Filing:
    filing = AllianceFilingFactory(**({"call": call} if call else {}))
    Filing.objects.filter(pk=filing.pk).update(state=State.REVIEWED, **fields)  # test setup
    return Filing.objects.get(pk=filing.pk)


def batch_of(filings, *, starts_on, ends_on, call=None) -> PublicityBatch:
    """A batch placed in time directly (publishing refuses a start in the past)."""
    batch = PublicityBatch.objects.create(
        call=call or filings[0].call,
        title="2024年上海市产业知识产权联盟拟备案名单公示",
        starts_on=starts_on,
        ends_on=ends_on,
        published_by=StaffFactory(),
    )
    for position, filing in enumerate(filings, start=1):
        PublicityEntry.objects.create(batch=batch, filing=filing, position=position)
        Filing.objects.filter(pk=filing.pk).update(state=State.PUBLICITY)  # test setup
    return batch


def running_batch(filings=None) -> PublicityBatch:
    today = timezone.localdate()
    filings = filings or [reviewed(title="上海车规芯片产业知识产权联盟", number=f"LM2024001-{next(_serial):04d}")]
    return batch_of(filings, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=5))


def ended_batch(filings=None) -> PublicityBatch:
    today = timezone.localdate()
    return batch_of(filings or [reviewed()], starts_on=today - timedelta(days=12), ends_on=today - timedelta(days=1))


def objection_post(entry: PublicityEntry, **overrides) -> dict:
    data = {
        "entry": entry.pk,
        "name": "赵异议",
        "organisation": "上海某竞争企业有限公司",
        "phone": "13912340000",
        "email": "objector@example.org",
        "reasons": "该联盟成员名单中的上海晶圆制造有限公司并未签署合作协议。",
    }
    data.update(overrides)
    return data


def next_weekday(weekday: int, after: datetime.date) -> datetime.date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


# --- working days and publishing -------------------------------------------------------


def test_working_days_after_friday_with_five_days_ends_next_thursday():
    assert FRIDAY.weekday() == 4
    assert working_days_after(FRIDAY, 5) == datetime.date(2025, 6, 12)


def test_working_days_after_skips_a_holiday_staff_entered():
    CalendarDay.objects.create(date=datetime.date(2025, 6, 9), is_working=False, name="临时放假")  # the Monday

    assert working_days_after(FRIDAY, 5) == datetime.date(2025, 6, 13)


def test_publicity_publish_friday_five_working_days_ends_next_thursday(staff):
    filing = reviewed()

    batch = publicity_publish(
        call=filing.call, filings=[filing], actor=staff, starts_on=FRIDAY, working_days=5, allow_past_start=True
    )

    assert (batch.starts_on, batch.ends_on) == (FRIDAY, datetime.date(2025, 6, 12))
    filing.refresh_from_db()
    assert filing.state == State.PUBLICITY


def test_publicity_publish_skips_holiday(staff):
    for day in (9, 10):
        CalendarDay.objects.create(date=datetime.date(2025, 6, day), is_working=False)
    filing = reviewed()

    batch = publicity_publish(
        call=filing.call, filings=[filing], actor=staff, starts_on=FRIDAY, working_days=5, allow_past_start=True
    )

    assert batch.ends_on == datetime.date(2025, 6, 16)


def test_publicity_publish_refuses_a_start_in_the_past(staff):
    filing = reviewed()

    with pytest.raises(ValidationError) as refused:
        publicity_publish(call=filing.call, filings=[filing], actor=staff, starts_on=FRIDAY)

    assert refused.value.messages == ["公示开始日期不能早于今天。"]
    filing.refresh_from_db()
    assert filing.state == State.REVIEWED


def test_publicity_new_without_call_lists_calls_with_reviewed_filings(staff_client):
    waiting = reviewed().call
    idle = AllianceFilingFactory().call  # only a draft

    response = staff_client.get(reverse("review:publicity-new"))

    assert list(response.context["calls"]) == [waiting]
    assert idle.title not in response.content.decode()


def test_publicity_new_lists_only_reviewed_filings_with_defaults(staff_client, settings):
    settings.PUBLICITY_WORKING_DAYS = 5
    call = CallFactory()
    ready = reviewed(call=call, title="待公示联盟")
    in_review = AllianceFilingFactory(call=call)
    Filing.objects.filter(pk=in_review.pk).update(state=State.EXPERT_REVIEW, title="评审中联盟")

    response = staff_client.get(reverse("review:publicity-new"), {"call": call.pk})

    form = response.context["form"]
    assert list(form.fields["filings"].queryset) == [ready]
    today = timezone.localdate()
    assert form.initial == {"starts_on": today, "working_days": 5}
    assert response.context["end_date"] == working_days_after(today, 5)
    html = response.content.decode()
    assert "待公示联盟" in html and "评审中联盟" not in html


def test_publicity_new_preview_computes_the_end_date_without_publishing(staff_client):
    filing = reviewed()
    friday = next_weekday(4, timezone.localdate())

    response = staff_client.post(
        f"{reverse('review:publicity-new')}?call={filing.call_id}",
        {"filings": [filing.pk], "starts_on": friday.isoformat(), "working_days": 5, "preview": "1"},
    )

    assert response.status_code == 200
    assert response.context["end_date"] == working_days_after(friday, 5)
    assert not PublicityBatch.objects.exists()


def test_publicity_new_publishes_over_working_days_and_a_holiday(staff_client, settings):
    friday = next_weekday(4, timezone.localdate())
    CalendarDay.objects.create(date=friday + timedelta(days=3), is_working=False)  # the Monday after
    call = CallFactory()
    first, second = reviewed(call=call), reviewed(call=call)

    response = staff_client.post(
        f"{reverse('review:publicity-new')}?call={call.pk}",
        {"filings": [first.pk, second.pk], "starts_on": friday.isoformat(), "working_days": 5, "publish": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("review:publicity-list")
    batch = PublicityBatch.objects.get()
    assert (batch.starts_on, batch.ends_on) == (friday, friday + timedelta(days=7))
    assert list(batch.entries.values_list("filing_id", flat=True)) == [first.pk, second.pk]
    assert set(Filing.objects.filter(call=call).values_list("state", flat=True)) == {State.PUBLICITY}


def test_publicity_new_start_in_the_past_is_refused_at_the_field(staff_client):
    filing = reviewed()
    yesterday = timezone.localdate() - timedelta(days=1)

    response = staff_client.post(
        f"{reverse('review:publicity-new')}?call={filing.call_id}",
        {"filings": [filing.pk], "starts_on": yesterday.isoformat(), "working_days": 5, "publish": "1"},
    )

    assert response.context["form"].errors == {"starts_on": ["公示开始日期不能早于今天。"]}
    assert not PublicityBatch.objects.exists()


def test_publicity_new_nothing_selected_is_refused(staff_client):
    filing = reviewed()

    response = staff_client.post(
        f"{reverse('review:publicity-new')}?call={filing.call_id}",
        {"starts_on": timezone.localdate().isoformat(), "working_days": 5, "publish": "1"},
    )

    assert response.context["form"].errors == {"filings": ["请至少选择一件申报。"]}


@pytest.mark.parametrize("make_user", [UserFactory, ExpertFactory])
def test_publicity_staff_pages_refuse_other_roles(client, make_user):
    client.force_login(make_user())

    assert client.get(reverse("review:publicity-new")).status_code == 403
    assert client.get(reverse("review:publicity-list")).status_code == 403


# --- the public pages ------------------------------------------------------------------


def test_public_publicity_list_running_first_with_period(client):
    today = timezone.localdate()
    old = ended_batch()
    running = running_batch()
    coming = batch_of([reviewed()], starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=9))

    response = client.get(reverse("public:publicity-list"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [running, coming, old]
    html = response.content.decode()
    assert f"公示期：{running.starts_on:%Y}年{running.starts_on.month}月{running.starts_on.day}日" in html
    assert reverse("public:publicity-detail", args=[running.pk]) in html


def test_public_publicity_detail_lists_public_facts_and_how_to_object(client):
    batch = running_batch()
    filing = batch.entries.get().filing

    response = client.get(reverse("public:publicity-detail", args=[batch.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    for fact in (filing.number, filing.title, filing.get_kind_display(), filing.organisation.name, "浦东新区"):
        assert fact in html
    assert "异议须实名提出" in html
    assert "逾期不予受理" in html
    assert "异议成立的，该申报终止入库" in html
    assert response.context["form"] is None  # the list is the same for everyone, and cached
    entry = batch.entries.get()
    assert f"?entry={entry.pk}#objection" in html
    form_page = client.get(reverse("public:publicity-detail", args=[batch.pk]), {"entry": entry.pk})
    assert form_page.context["form"]["entry"].value() == entry.pk


def personal_data() -> set[str]:
    """Every name, phone, e-mail and ID number of a person the database holds."""
    values: set[str] = set()
    person_field = re.compile(r"^(contact|chair|secretary|head|declarant)_name$|_phone$|_mobile$|_email$|_legal_rep$")
    for user in User.objects.all():
        values |= {user.name, user.email, user.mobile}
    for organisation in Organisation.objects.all():
        values |= {organisation.contact_name, organisation.contact_phone}
    for detail in AllianceDetail.objects.all():
        values |= {
            getattr(detail, f.attname) for f in AllianceDetail._meta.concrete_fields if person_field.search(f.name)
        }
    for version in FilingVersion.objects.all():
        frozen = version.data.get("detail", {})
        values |= {str(v) for k, v in frozen.items() if person_field.search(k) or k.endswith("_id_number")}
    for objection in Objection.objects.all():
        values |= {objection.name, objection.phone, objection.email, objection.organisation}
    return {v for v in values if v and len(str(v)) >= 2}


def test_public_pages_show_no_personal_data(client, settings):
    # A filing in a running publicity, with personal data everywhere the portal keeps it.
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    in_publicity = complete_alliance_filing(
        contact_name="钱联系",
        contact_mobile="13812345678",
        contact_email="qian.lianxi@example.com",
        contact_phone="021-61234567",
        chair_name="孙理事长",
        chair_phone="13712345678",
        secretary_name="周秘书长",
        secretary_phone="021-62345678",
        declarant_name="孙理事长",
    )
    Organisation.objects.filter(pk=in_publicity.organisation_id).update(
        contact_name="吴单位联系人", contact_phone="13812345678"
    )
    filing_submit(filing=in_publicity, actor=in_publicity.created_by)
    version = in_publicity.versions.get()
    FilingVersion.objects.create(  # a later version with a person's ID number in it
        filing=in_publicity,
        number=2,
        data={**version.data, "detail": {**version.data["detail"], "legal_rep_id_number": ID_NUMBER}},
        findings=[],
        materials=[],
        submitted_by=in_publicity.created_by,
    )
    Filing.objects.filter(pk=in_publicity.pk).update(state=State.REVIEWED, title="上海车规芯片产业知识产权联盟")
    batch = running_batch([Filing.objects.get(pk=in_publicity.pk)])
    # A registered one, with its own people.
    registered = complete_alliance_filing(contact_name="郑备案联系", contact_email="zheng@example.net")
    Filing.objects.filter(pk=registered.pk).update(
        state=State.REGISTERED,
        title="上海生物医药知识产权联盟",
        registry_number="沪知联备〔2024〕第001号",
        registered_at=timezone.now(),
        industry="生物医药",
    )
    # An objector, whose details must not be echoed to the next visitor.
    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]),
        objection_post(batch.entries.get(), name="冯异议人", phone="13698765432", email="feng@example.org"),
    )
    assert response.status_code == 302
    assert ID_NUMBER in {str(v) for v in personal_data()}

    pages = {
        "publicity-list": client.get(reverse("public:publicity-list")),
        "publicity-detail": client.get(reverse("public:publicity-detail", args=[batch.pk])),
        "registry": client.get(reverse("public:registry")),
        "registry-detail": client.get(reverse("public:registry-detail", args=[registered.pk])),
        "registry-csv": client.get(reverse("public:registry"), {"format": "csv"}),
        "home": client.get(reverse("public:home")),
    }

    personal = personal_data()
    assert {"13812345678", "qian.lianxi@example.com", ID_NUMBER, "吴单位联系人", "冯异议人"} <= personal
    for name, response in pages.items():
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8-sig")
        leaked = sorted(value for value in personal if str(value) in text)
        assert leaked == [], f"{name} shows {leaked}"
    # ...while the public facts are there.
    assert "上海车规芯片产业知识产权联盟" in pages["publicity-detail"].content.decode()
    assert "上海生物医药知识产权联盟" in pages["registry-detail"].content.decode()


def test_public_publicity_pages_query_count_is_constant(client, django_assert_num_queries, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the view's own queries, not the page cache's
    running_batch()
    with CaptureQueriesContext(connection) as one_list:
        client.get(reverse("public:publicity-list"))
    call = CallFactory()
    batch = running_batch([reviewed(call=call)])
    with CaptureQueriesContext(connection) as one_detail:
        client.get(reverse("public:publicity-detail", args=[batch.pk]))
    for _i in range(3):
        running_batch()
    for _i in range(3):
        entry_filing = reviewed(call=call)
        PublicityEntry.objects.create(batch=batch, filing=entry_filing)

    cache.clear()  # a cold page both times: the batch's kept entry count is read again
    with django_assert_num_queries(len(one_list)):
        listing = client.get(reverse("public:publicity-list"))
    with django_assert_num_queries(len(one_detail)):
        response = client.get(reverse("public:publicity-detail", args=[batch.pk]))

    assert len(listing.context["page"].object_list) == 5
    assert response.content.decode().count("提出异议</a>") == 4


def test_public_publicity_next_page_reads_only_its_rows(client, django_assert_num_queries, settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the view's own queries, not the page cache's
    call = CallFactory()
    filings = [reviewed(call=call, title=f"上海产业知识产权联盟{n:02d}", number=f"LM2024001-{n:04d}") for n in range(52)]
    batch = running_batch(filings)
    first = client.get(reverse("public:publicity-detail", args=[batch.pk]))

    # The batch and the order of its entries are fixed once published: read once, not per page.
    with django_assert_num_queries(1):
        second = client.get(reverse("public:publicity-detail", args=[batch.pk]), {"page": 2})

    html = second.content.decode()
    entries = list(batch.entries.order_by("position", "id"))
    assert f"?page=2&amp;entry={entries[50].pk}#objection" in html
    assert "上海产业知识产权联盟50" in html and "上海产业知识产权联盟51" in html
    assert "上海产业知识产权联盟49" not in html
    assert "<td>51</td>" in html and "<td>52</td>" in html
    assert first.content.decode().count("提出异议</a>") == 50


# --- objections ------------------------------------------------------------------------


def test_objection_during_the_period_is_stored_with_its_evidence(client):
    batch = running_batch()
    entry = batch.entries.get()
    evidence = SimpleUploadedFile("证明.pdf", PDF, content_type="application/octet-stream")

    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(entry, evidence=evidence), follow=True
    )

    assert "您的异议已提交" in response.content.decode()
    objection = Objection.objects.get()
    assert objection.receipt == f"YY{timezone.localdate():%Y%m%d}-{objection.pk:06d}"
    assert f"受理编号：{objection.receipt}" in response.content.decode()
    assert (objection.entry, objection.name, objection.phone, objection.email) == (
        entry,
        "赵异议",
        "13912340000",
        "objector@example.org",
    )
    assert objection.client_ip == "127.0.0.1"
    assert objection.decision == Objection.Decision.PENDING
    assert objection.evidence_content_type == "application/pdf"
    assert objection.evidence_sha256 == hashlib.sha256(PDF).hexdigest()
    assert re.fullmatch(rf"objections/{batch.pk}/[0-9a-f]{{32}}\.pdf", objection.evidence.name)
    with objection.evidence.open("rb") as stored:
        assert stored.read() == PDF
    # The form comes back empty: nothing of this objector is echoed.
    assert "赵异议" not in response.content.decode()


def test_objection_without_evidence_and_email_is_accepted(client):
    batch = running_batch()

    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get(), email="")
    )

    assert response.status_code == 302
    assert Objection.objects.get().evidence.name == ""


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "请输入有效的手机号码或固定电话号码。"),
        ({"email": "not-an-address"}, "email", "请输入有效的电子邮箱地址。"),
        ({"name": ""}, "name", "这个字段是必填项。"),
        ({"reasons": ""}, "reasons", "这个字段是必填项。"),
    ],
)
def test_objection_bad_input_is_refused_at_the_field(client, overrides, field, message):
    batch = running_batch()

    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get(), **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not Objection.objects.exists()


def test_objection_entry_of_another_batch_is_refused(client):
    batch = running_batch()
    other = running_batch()

    response = client.post(reverse("public:publicity-detail", args=[batch.pk]), objection_post(other.entries.get()))

    assert list(response.context["form"].errors) == ["entry"]
    assert not Objection.objects.exists()


def test_objection_evidence_by_content_not_by_name(client):
    batch = running_batch()
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get(), evidence=fake)
    )

    assert response.context["form"].errors == {
        "evidence": ["文件内容不是 PDF、JPG 或 PNG，请上传扫描件的 PDF 文件或图片（改扩展名无效）。"]
    }
    assert not Objection.objects.exists()


def test_objection_evidence_over_the_size_limit_is_refused(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    batch = running_batch()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")

    response = client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get(), evidence=big)
    )

    assert response.context["form"].errors == {"evidence": ["文件超过 1 MB 的大小上限，请压缩或分成几个文件后再上传。"]}
    assert not Objection.objects.exists()


def test_objection_after_the_period_is_refused_and_no_form_is_shown(client):
    batch = ended_batch()

    page = client.get(reverse("public:publicity-detail", args=[batch.pk]))
    response = client.post(reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get()))

    assert page.context["form"] is None
    assert "公示期已结束，不再受理异议" in page.content.decode()
    assert response.status_code == 403
    assert "异议只能在公示期内" in response.content.decode()
    assert not Objection.objects.exists()


def test_objection_before_the_period_is_refused(client):
    today = timezone.localdate()
    batch = batch_of([reviewed()], starts_on=today + timedelta(days=2), ends_on=today + timedelta(days=8))

    response = client.post(reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get()))

    assert response.status_code == 403
    assert response.context["form"] is None
    assert not Objection.objects.exists()


def test_objection_throttled_per_ip_per_batch_per_day(client):
    batch = running_batch()
    entry = batch.entries.get()
    url = reverse("public:publicity-detail", args=[batch.pk])
    for _i in range(OBJECTIONS_PER_IP_PER_DAY):
        assert client.post(url, objection_post(entry)).status_code == 302

    refused = client.post(url, objection_post(entry))

    assert refused.status_code == 429
    assert "同一网络地址每天对同一批公示最多可提交 5 条异议" in refused.content.decode()
    assert Objection.objects.count() == OBJECTIONS_PER_IP_PER_DAY
    # Another address, and another batch from the same address, are not affected.
    assert client.post(url, objection_post(entry), REMOTE_ADDR="10.1.2.3").status_code == 302
    other = running_batch()
    other_url = reverse("public:publicity-detail", args=[other.pk])
    assert client.post(other_url, objection_post(other.entries.get())).status_code == 302


# --- staff: objections -----------------------------------------------------------------


def lodged(batch: PublicityBatch, **fields) -> Objection:
    return Objection.objects.create(
        entry=batch.entries.first(),
        name="赵异议",
        phone="13912340000",
        reasons="成员未签署协议。",
        **fields,
    )


def test_staff_list_shows_objections_with_a_decide_form_for_pending_ones(staff_client, staff):
    batch = running_batch()
    pending = lodged(batch)
    decided = lodged(batch, decision=Objection.Decision.DISMISSED, decision_reason="经核实不属实", decided_by=staff)

    response = staff_client.get(reverse("review:publicity-list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("review:objection-decide", args=[pending.pk]) in html
    assert reverse("review:objection-decide", args=[decided.pk]) not in html
    assert "经核实不属实" in html
    assert f'id="id_o{pending.pk}_reason"' in html


def test_staff_list_query_count_is_constant(staff_client, django_assert_num_queries):
    batch = running_batch()
    lodged(batch)
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("review:publicity-list"))
    for _i in range(3):
        more = running_batch([reviewed(), reviewed()])
        lodged(more)
        lodged(more, decision=Objection.Decision.UPHELD, decision_reason="成立", decided_by=StaffFactory())

    with django_assert_num_queries(len(few)):
        response = staff_client.get(reverse("review:publicity-list"))

    assert len(response.context["page"].object_list) == 4


def test_upheld_objection_stops_registration(staff_client, staff):
    batch = running_batch()
    filing = batch.entries.get().filing
    objection = lodged(batch)

    response = staff_client.post(
        reverse("review:objection-decide", args=[objection.pk]), {"decision": "upheld", "reason": "核实成员未签署协议"}
    )

    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.decision, objection.decision_reason, objection.decided_by) == (
        Objection.Decision.UPHELD,
        "核实成员未签署协议",
        staff,
    )
    filing.refresh_from_db()
    assert filing.state == State.REJECTED
    PublicityBatch.objects.filter(pk=batch.pk).update(
        starts_on=timezone.localdate() - timedelta(days=10), ends_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        filing_register(filing=filing, actor=staff)
    filing.refresh_from_db()
    assert (filing.state, filing.registry_number) == (State.REJECTED, None)


def test_dismissed_objection_lets_registration_go_on_after_the_period(staff_client, staff):
    batch = running_batch()
    filing = batch.entries.get().filing
    objection = lodged(batch)

    staff_client.post(
        reverse("review:objection-decide", args=[objection.pk]), {"decision": "dismissed", "reason": "异议人未提供证据"}
    )

    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.DISMISSED
    with pytest.raises(ValidationError) as too_early:
        filing_register(filing=filing, actor=staff)
    assert too_early.value.messages == ["公示期尚未结束，不能入库。"]
    PublicityBatch.objects.filter(pk=batch.pk).update(
        starts_on=timezone.localdate() - timedelta(days=10), ends_on=timezone.localdate() - timedelta(days=1)
    )

    filing_register(filing=filing, actor=staff)

    filing.refresh_from_db()
    assert filing.state == State.REGISTERED
    assert filing.registry_number == "沪知联备〔2024〕第001号"


def test_pending_objection_blocks_registration_after_the_period(staff):
    batch = ended_batch()
    lodged(batch)

    with pytest.raises(ValidationError) as refused:
        filing_register(filing=batch.entries.get().filing, actor=staff)

    assert refused.value.messages == ["该申报尚有未处理或成立的异议，不能入库。"]


def test_objection_decide_needs_a_reason_at_the_field(staff_client):
    objection = lodged(running_batch())

    response = staff_client.post(reverse("review:objection-decide", args=[objection.pk]), {"decision": "upheld"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["请填写处理理由。"]}
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.PENDING


def test_objection_decide_twice_is_refused(staff_client, staff):
    objection = lodged(running_batch(), decision=Objection.Decision.DISMISSED, decision_reason="x", decided_by=staff)

    response = staff_client.post(
        reverse("review:objection-decide", args=[objection.pk]), {"decision": "upheld", "reason": "再议"}
    )

    assert response.status_code == 200
    assert "该异议已处理。" in response.content.decode()
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.DISMISSED


def test_objection_decide_refuses_other_roles(client):
    objection = lodged(running_batch())
    client.force_login(ExpertFactory())

    response = client.post(
        reverse("review:objection-decide", args=[objection.pk]), {"decision": "upheld", "reason": "x"}
    )

    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.decision == Objection.Decision.PENDING


@pytest.fixture
def objection_with_evidence(client):
    batch = running_batch()
    evidence = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("public:publicity-detail", args=[batch.pk]), objection_post(batch.entries.get(), evidence=evidence)
    )
    client.logout()
    return Objection.objects.get()


def test_objection_evidence_staff_downloads_it(client, objection_with_evidence):
    client.force_login(StaffFactory())

    response = client.get(reverse("review:objection-evidence", args=[objection_with_evidence.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("make_user", [UserFactory, ExpertFactory])
def test_objection_evidence_others_get_404(client, objection_with_evidence, make_user):
    client.force_login(make_user())

    assert client.get(reverse("review:objection-evidence", args=[objection_with_evidence.pk])).status_code == 404


def test_objection_evidence_anonymous_goes_to_login(client, objection_with_evidence):
    response = client.get(reverse("review:objection-evidence", args=[objection_with_evidence.pk]))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_objection_evidence_none_uploaded_is_404(staff_client):
    objection = lodged(running_batch())

    assert staff_client.get(reverse("review:objection-evidence", args=[objection.pk])).status_code == 404


def test_publicity_new_query_count_does_not_grow_with_filings(staff_client, django_assert_num_queries):
    call = CallFactory()
    reviewed(call=call)
    url = f"{reverse('review:publicity-new')}?call={call.pk}"
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    for _i in range(5):
        reviewed(call=call)

    with django_assert_num_queries(len(one)):
        response = staff_client.get(url)

    assert response.context["form"].fields["filings"].queryset.count() == 6


def test_two_batches_of_a_call_published_the_same_day_have_different_titles(staff):
    call = CallFactory(title="关于开展2024年上海市产业知识产权联盟备案的通知")
    start = next_weekday(4, timezone.localdate())

    first = publicity_publish(call=call, filings=[reviewed(call=call)], actor=staff, starts_on=start)
    second = publicity_publish(call=call, filings=[reviewed(call=call)], actor=staff, starts_on=start)

    day = f"{start.year}年{start.month}月{start.day}日"
    assert first.title == f"关于开展2024年上海市产业知识产权联盟备案的通知 拟入库名单公示（{day}）"
    assert second.title == first.title + "（第2批）"


def test_the_publicity_page_says_whom_to_ask(client, staff):
    call = CallFactory(contact="联系人：和月磊；联系电话：23170417")
    batch = publicity_publish(
        call=call, filings=[reviewed(call=call)], actor=staff, starts_on=next_weekday(4, timezone.localdate())
    )

    response = client.get(reverse("public:publicity-detail", args=[batch.pk]))

    assert "咨询：联系人：和月磊；联系电话：23170417" in response.content.decode()
