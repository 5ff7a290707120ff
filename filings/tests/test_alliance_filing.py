"""The applicant's path through an alliance filing: drafts, steps, submission, versions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from filings import services
from filings.kinds.alliance.models import AllianceDetail, AllianceMember, MemberCategory
from filings.models import FilingEvent, FilingVersion
from filings.states import State
from filings.tests import samples
from filings.tests.alliance_factories import AllianceFilingFactory, complete_alliance_filing
from filings.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def owner_client(client, filing):
    user = UserFactory(organisation=filing.organisation)
    client.force_login(user)
    return client, user


def step_url(filing, slug):
    return reverse("filings:step", args=[filing.pk, slug])


COVER = {
    "contact_name": "李联系",
    "contact_title": "知识产权部经理",
    "contact_phone": "（021）2317 0417",
    "contact_mobile": "+86 138-0013-8000",
    "contact_email": "Li@Example.com",
}


def test_start_creates_a_draft_and_opens_the_cover(applicant_client, applicant):
    call = CallFactory()

    response = applicant_client.post(reverse("filings:start", args=[call.pk]))

    filing = applicant.organisation.filings.get()
    assert (filing.state, filing.kind, filing.number) == (State.DRAFT, "ALLIANCE", None)
    assert response.url == step_url(filing, "cover")
    assert AllianceDetail.objects.filter(filing=filing).exists()


def test_step_saves_the_draft_normalised_and_survives_logout(client):
    filing = AllianceFilingFactory()
    client, user = owner_client(client, filing)

    response = client.post(step_url(filing, "cover"), {**COVER, "save-next": "1"})

    assert response.url == step_url(filing, "basic")
    detail = AllianceDetail.objects.get(pk=filing.pk)
    assert (detail.contact_phone, detail.contact_mobile, detail.contact_email) == (
        "021-23170417",
        "13800138000",
        "Li@example.com",
    )
    client.post(reverse("accounts:logout"))
    client.force_login(user)
    page = client.get(step_url(filing, "cover")).content.decode()
    assert 'value="021-23170417"' in page and 'value="李联系"' in page


def test_step_with_a_bad_phone_shows_a_chinese_error_and_keeps_what_was_typed(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(step_url(filing, "cover"), {**COVER, "contact_mobile": "1380013800"})

    assert response.status_code == 200
    assert response.context["form"].errors["contact_mobile"] == ["请输入有效的11位手机号码。"]
    page = response.content.decode()
    assert 'value="1380013800"' in page and 'value="李联系"' in page
    assert AllianceDetail.objects.get(pk=filing.pk).contact_name == ""


def test_autosave_saves_and_answers_with_fresh_findings(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(step_url(filing, "cover"), COVER, headers={"X-Autosave": "1"})

    answer = response.json()
    assert answer["saved"] is True and answer["errors"] == {}
    assert "封面" not in answer["findings_html"].split("AL-1")[0]  # the cover no longer fails AL-0
    assert AllianceDetail.objects.get(pk=filing.pk).contact_name == "李联系"


def test_autosave_of_a_bad_value_saves_nothing_and_says_why(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(
        step_url(filing, "cover"), {**COVER, "contact_email": "not-an-address"}, headers={"X-Autosave": "1"}
    )

    assert response.json()["saved"] is False
    assert response.json()["errors"] == {"contact_email": ["请输入有效的电子邮箱地址。"]}


def members_post(rows: list[dict], initial: int = 0, prefix: str = "enterprises") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        "academic-TOTAL_FORMS": "0",
        "academic-INITIAL_FORMS": "0",
        "services-TOTAL_FORMS": "0",
        "services-INITIAL_FORMS": "0",
        "save": "1",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


ENTERPRISE = {"amount": "100", "inventions": "1", "utility_models": "2", "designs": "0", "pool_role": "contributes"}


def test_member_rows_are_added_and_removed(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    client.post(
        step_url(filing, "members"),
        members_post([{**ENTERPRISE, "name": "甲公司"}, {**ENTERPRISE, "name": "乙公司"}, {"pool_role": ""}]),
    )
    rows = list(AllianceMember.objects.filter(filing=filing).order_by("position"))
    assert [(m.name, m.category, m.position) for m in rows] == [
        ("甲公司", MemberCategory.ENTERPRISE, 1),
        ("乙公司", MemberCategory.ENTERPRISE, 2),
    ]

    client.post(
        step_url(filing, "members"),
        members_post(
            [
                {**ENTERPRISE, "name": "甲公司", "id": rows[0].pk, "filing": filing.pk, "DELETE": "on"},
                {**ENTERPRISE, "name": "乙公司", "id": rows[1].pk, "filing": filing.pk},
            ],
            initial=2,
        ),
    )
    assert list(AllianceMember.objects.filter(filing=filing).values_list("name", flat=True)) == ["乙公司"]


def test_add_row_works_without_javascript(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)
    data = members_post([{**ENTERPRISE, "name": "甲公司"}])
    data["add-row"] = "enterprises"
    del data["save"]

    response = client.post(step_url(filing, "members"), data)

    assert response.url == step_url(filing, "members") + "?extra-enterprises=1#enterprises"
    page = client.get(response.url)
    formset = page.context["formsets"][0]
    assert (formset.total_form_count(), formset.initial_form_count()) == (2, 1)


def test_member_row_with_a_negative_amount_is_refused_at_the_cell(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(
        step_url(filing, "members"), members_post([{**ENTERPRISE, "name": "甲", "inventions": "-1"}])
    )

    assert response.status_code == 200
    assert response.context["formsets"][0].errors[0]["inventions"] == ["确保该值大于或等于0。"]
    assert not AllianceMember.objects.exists()


def test_submit_is_refused_while_a_rule_fails(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert response.status_code == 200
    refused = response.context["refused"]
    assert refused and {f.verdict.value for f in refused} == {"fail"}
    assert "不能提交" in response.content.decode()
    filing.refresh_from_db()
    assert (filing.state, filing.number, filing.version) == (State.DRAFT, None, 0)


def test_submit_service_runs_the_rules_itself(applicant):
    filing = AllianceFilingFactory(organisation=applicant.organisation)

    with pytest.raises(services.SubmissionRefused) as refused:
        services.filing_submit(filing=filing, actor=applicant)

    assert "AL-0" in {f.rule for f in refused.value.findings}
    assert not FilingVersion.objects.exists()


def test_submit_freezes_a_version_with_data_findings_and_material_hashes(client):
    filing = complete_alliance_filing()
    client, user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert response.url == reverse("filings:detail", args=[filing.pk])
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED and filing.version == 1
    assert filing.number == f"LM{filing.call.year}-{filing.call.pk:03d}-0001"
    version = FilingVersion.objects.get(filing=filing)
    assert version.data["detail"]["name"] == "上海车规芯片产业知识产权联盟"
    assert version.data["detail"]["count_total"] == 5
    assert [m["name"] for m in version.data["members"]][:2] == [filing.organisation.name, "上海晶圆制造有限公司"]
    assert sorted(m["code"] for m in version.materials) == ["M2", "M3", "M4"]
    assert all(len(m["sha256"]) == 64 for m in version.materials)
    assert {f["rule"] for f in version.findings} >= {"AL-1", "AL-7"}
    event = FilingEvent.objects.get(filing=filing)
    assert (event.action, event.from_state, event.to_state, event.actor) == ("submit", "draft", "submitted", user)


def test_submitted_filing_cannot_be_edited(client):
    filing = complete_alliance_filing()
    client, user = owner_client(client, filing)
    services.filing_submit(filing=filing, actor=user)

    get = client.get(step_url(filing, "cover"))
    post = client.post(step_url(filing, "cover"), {**COVER, "contact_name": "改名"})

    assert get.url == reverse("filings:detail", args=[filing.pk])
    assert post.url == reverse("filings:detail", args=[filing.pk])
    assert AllianceDetail.objects.get(pk=filing.pk).contact_name == "李联系"
    with pytest.raises(ValidationError) as again:
        services.filing_submit(filing=filing, actor=user)
    assert again.value.code == "already_submitted"


def test_submit_after_the_deadline_is_refused_and_the_draft_kept(client):
    filing = complete_alliance_filing()
    client, _user = owner_client(client, filing)
    filing.call.closes_at = timezone.now() - timedelta(minutes=1)
    filing.call.save()

    response = client.post(reverse("filings:submit", args=[filing.pk]), follow=True)

    assert "已截止受理，不能再提交。您的草稿已保存。" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.DRAFT
    assert AllianceDetail.objects.get(pk=filing.pk).name == "上海车规芯片产业知识产权联盟"


def test_filing_numbers_follow_each_other_within_a_call(applicant):
    first = complete_alliance_filing()
    second = complete_alliance_filing()
    second.call = first.call
    second.save()

    services.filing_submit(filing=first, actor=first.created_by)
    services.filing_submit(filing=second, actor=second.created_by)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number[-4:], second.number[-4:]) == ("0001", "0002")


def test_withdraw_before_a_decision(client):
    filing = complete_alliance_filing()
    client, user = owner_client(client, filing)
    services.filing_submit(filing=filing, actor=user)

    client.post(reverse("filings:withdraw", args=[filing.pk]))

    filing.refresh_from_db()
    assert filing.state == State.WITHDRAWN


@pytest.mark.parametrize("page", ["filings:detail", "filings:submit", "filings:withdraw"])
def test_another_organisations_filing_is_a_404(applicant_client, page):
    other = AllianceFilingFactory()

    response = applicant_client.post(reverse(page, args=[other.pk]))

    assert response.status_code == 404


def test_another_organisations_step_is_a_404_like_a_missing_one(applicant_client):
    other = AllianceFilingFactory()

    assert applicant_client.get(step_url(other, "cover")).status_code == 404
    assert applicant_client.get(reverse("filings:step", args=[999999, "cover"])).status_code == 404


def test_dashboard_query_count_does_not_grow_with_filings(client):
    user = UserFactory()
    client.force_login(user)
    AllianceFilingFactory(organisation=user.organisation)
    client.get(reverse("filings:dashboard"))  # the session's and the user's first reads
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("filings:dashboard"))
    for _i in range(6):
        AllianceFilingFactory(organisation=user.organisation)
    with CaptureQueriesContext(connection) as seven:
        response = client.get(reverse("filings:dashboard"))

    assert len(response.context["page"].object_list) == 7
    assert len(seven) == len(one)


def test_signed_scan_m1_is_uploaded_after_submission_while_other_materials_are_frozen(applicant):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings.materials import material_upload

    filing = complete_alliance_filing()
    user = filing.created_by
    scan = SimpleUploadedFile("签字盖章申请书.pdf", samples.pdf_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError) as before:
        material_upload(filing=filing, code="M1", uploaded_file=scan, actor=user)
    assert before.value.code == "not_editable"
    services.filing_submit(filing=filing, actor=user)

    material = material_upload(filing=filing, code="M1", uploaded_file=scan, actor=user)

    assert (material.code, material.original_name) == ("M1", "签字盖章申请书.pdf")
    with pytest.raises(ValidationError) as frozen:
        material_upload(filing=filing, code="M2", uploaded_file=SimpleUploadedFile("章程.pdf", samples.PDF), actor=user)
    assert frozen.value.code == "not_editable"


@pytest.mark.parametrize("initial", [1, 0], ids=["as-an-existing-row", "as-a-new-row"])
def test_a_row_id_of_another_filing_is_refused(client, initial):
    other = AllianceFilingFactory()
    foreign = AllianceMember.objects.create(
        filing=other, category=MemberCategory.ENTERPRISE, name="他人公司", position=1
    )
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(
        step_url(filing, "members"),
        members_post([{**ENTERPRISE, "name": "冒名公司", "id": foreign.pk, "filing": filing.pk}], initial=initial),
    )

    assert response.status_code == 200
    assert "表格“企业”第1行不是本申报中的行" in response.content.decode()
    assert not AllianceMember.objects.filter(filing=filing).exists()
    foreign.refresh_from_db()
    assert (foreign.filing_id, foreign.name) == (other.pk, "他人公司")


def test_table_autosave_gives_new_rows_their_ids_and_saves_them_again_in_place(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)
    data = members_post([{**ENTERPRISE, "name": "甲公司"}, {"pool_role": ""}])

    first = client.post(step_url(filing, "members"), data, headers={"X-Autosave": "1"}).json()
    row = AllianceMember.objects.get(filing=filing)
    # The page keeps the id it was given and saves again: the same row, not a second one.
    data.update({"enterprises-0-id": first["rows"]["enterprises-0-id"], "enterprises-0-name": "甲科技公司"})
    second = client.post(step_url(filing, "members"), data, headers={"X-Autosave": "1"}).json()

    assert first["saved"] is True and second["saved"] is True
    assert first["rows"] == {"enterprises-0-id": str(row.pk), "enterprises-1-id": ""}
    assert list(AllianceMember.objects.filter(filing=filing).values_list("pk", "name")) == [(row.pk, "甲科技公司")]


def test_table_autosave_of_a_bad_cell_saves_nothing_and_names_the_row(client):
    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    answer = client.post(
        step_url(filing, "members"),
        members_post([{**ENTERPRISE, "name": "甲公司", "inventions": "-1"}]),
        headers={"X-Autosave": "1"},
    ).json()

    assert answer["saved"] is False
    assert list(answer["errors"]) == ["enterprises"]
    assert answer["errors"]["enterprises"][0].startswith("企业第1行：")
    assert not AllianceMember.objects.filter(filing=filing).exists()


def test_findings_of_a_new_draft_are_grouped_by_step_with_only_the_current_step_open(client):
    import re

    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)

    page = client.get(step_url(filing, "members")).content.decode()

    groups = re.findall(
        r'<details class="finding-group[^"]*"( open)?>\s*<summary class="small">\s*<span class="fw-semibold">([^<]+)</span>',
        page,
    )
    titles = [title for _open, title in groups]
    assert [title for is_open, title in groups if is_open] == ["二、联盟成员信息"]
    assert len(titles) == len(set(titles)) > 3
    # In the order of the steps.
    assert titles.index("封面") < titles.index("二、联盟成员信息") < titles.index("申报材料")


def test_the_submission_page_shows_the_whole_filing_and_a_draft_preview(client):
    filing = complete_alliance_filing()
    client, _user = owner_client(client, filing)

    page = client.get(reverse("filings:submit", args=[filing.pk])).content.decode()

    assert "将要提交的申报内容" in page
    assert "联盟名称</dt>" in page and "上海车规芯片产业知识产权联盟" in page
    assert "上海晶圆制造有限公司" in page  # a member row
    assert f'src="{reverse("filings:submit-preview", args=[filing.pk])}"' in page
    assert page.count('<form method="post"') == 1 + page.count('action="/accounts/logout/"')
    assert "确认无误，提交申报" in page


def test_the_draft_preview_is_the_application_marked_draft_on_every_page(client):
    import io
    import re

    from pypdf import PdfReader

    filing = complete_alliance_filing(declarant_name="王建国")
    client, _user = owner_client(client, filing)

    response = client.get(reverse("filings:submit-preview", args=[filing.pk]))

    assert response["Content-Type"] == "application/pdf"
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(response.content)).pages]
    assert len(pages) > 1
    assert all("草稿仅供核对不能签章报送" in text for text in pages)
    assert "负责人（签名）：王建国" in "".join(pages)
    filing.refresh_from_db()
    assert (filing.state, filing.version) == (State.DRAFT, 0)


def test_the_draft_preview_of_another_organisation_is_404(client):
    filing = complete_alliance_filing()
    client.force_login(UserFactory())

    assert client.get(reverse("filings:submit-preview", args=[filing.pk])).status_code == 404


def test_the_members_step_costs_the_same_queries_with_40_members_as_with_2(client):
    """The heaviest form step: the rules read each table once, however many rows it has."""
    from filings.tests.alliance_factories import AllianceMemberFactory

    filing = AllianceFilingFactory()
    client, _user = owner_client(client, filing)
    AllianceMemberFactory.create_batch(2, filing=filing, category=MemberCategory.ENTERPRISE)
    client.get(step_url(filing, "members"))  # the session's and the calendar's first reads
    with CaptureQueriesContext(connection) as two:
        client.get(step_url(filing, "members"))
    AllianceMemberFactory.create_batch(38, filing=filing, category=MemberCategory.ENTERPRISE)
    with CaptureQueriesContext(connection) as forty:
        response = client.get(step_url(filing, "members"))

    page = response.content.decode()
    assert 'name="enterprises-39-name"' in page and 'name="enterprises-40-name"' not in page
    # filing with its organisation, the detail row, the members of the three tables in one read
    # (which the rules take too), and the rules' other reads (patent pools, current materials); the
    # session and the user come from the cache
    assert len(forty) == len(two) == 5
