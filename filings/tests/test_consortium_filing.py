"""The applicant's path through a 产学研运营联合体 filing (seed 001): steps, drafts, submission, versions."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import OrganisationType
from accounts.tests.factories import OrganisationFactory, UserFactory
from filings import kinds, pdf, services
from filings.kinds.consortium.models import ConsortiumDetail, ConsortiumMember, ConsortiumPartner, UnitNature
from filings.models import FilingEvent, FilingVersion
from filings.states import State
from filings.tests.consortium_factories import (
    CONTACT_ID,
    LEADER_ID,
    LEGAL_REP_ID,
    ConsortiumCallFactory,
    ConsortiumFilingFactory,
    complete_consortium_filing,
    make_ric,
)

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


def ric_ending_in_x() -> str:
    """A valid 身份证号码 whose check character is X (typed in lower case by the tests)."""
    for serial in range(100, 1000):
        number = make_ric(f"31010519880808{serial}")
        if number.endswith("X"):
            return number
    raise AssertionError("no ID number with check character X")


def basic_post(filing, **overrides) -> dict:
    data = {
        "unit_name": filing.organisation.name,
        "unit_nature": UnitNature.ENTERPRISE,
        "uscc": filing.organisation.uscc.lower(),
        "bank_name": "上海浦东发展银行张江科技支行",
        "bank_account": "9716 0078 8012 0000 1234",
        "address": "上海市浦东新区张江路1号",
        "postcode": "２０１２０３",
        "legal_rep_name": "王法人",
        "legal_rep_id": LEGAL_REP_ID,
        "legal_rep_mobile": "+86 138-0013-8000",
        "legal_rep_email": "FaRen@Example.COM",
        "leader_name": "李负责",
        "leader_id": LEADER_ID,
        "leader_mobile": "13900139000",
        "leader_email": "fuze@example.com",
        "contact_name": "张联系",
        "contact_id": CONTACT_ID,
        "contact_mobile": "13700137000",
        "contact_email": "lianxi@example.com",
        "main_business": "集成电路设计",
        "industry": "ic",
        "save": "1",
    }
    data.update(overrides)
    return data


def rows_post(prefix: str, rows: list[dict], initial: int = 0, **extra) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial), "save": "1", **extra}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


# --- registration and start ----------------------------------------------------------------


def test_the_kind_is_registered_as_its_own_app():
    from django.apps import apps

    spec = kinds.get("CONSORTIUM")
    assert (spec.number_prefix, spec.pdf_template) == ("CXY", "pdf/consortium.html")
    assert [s.slug for s in spec.steps] == [
        "basic",
        "partners",
        "capability",
        "plan",
        "team",
        "declaration",
        "materials",
        "submit",
    ]
    assert ConsortiumDetail._meta.app_label == "consortium"
    assert apps.get_app_config("consortium").verbose_name == "产学研运营联合体"
    assert 4 <= len(spec.score_sheet) <= 6
    assert [(m.code, m.required, m.after_submission) for m in spec.materials] == [
        ("M1", False, True),
        ("M2", True, False),
        ("M3", True, False),
        ("M4", True, False),
        ("M5", False, False),
    ]


def test_start_creates_a_draft_prefilled_from_the_organisation(applicant_client, applicant):
    call = ConsortiumCallFactory()

    response = applicant_client.post(reverse("filings:start", args=[call.pk]))

    filing = applicant.organisation.filings.get()
    assert (filing.state, filing.kind, filing.number) == (State.DRAFT, "CONSORTIUM", None)
    assert response.url == step_url(filing, "basic")
    detail = ConsortiumDetail.objects.get(pk=filing.pk)
    organisation = applicant.organisation
    assert (detail.unit_name, detail.uscc, detail.address, detail.unit_nature, detail.is_park) == (
        organisation.name,
        organisation.uscc,
        organisation.address,
        UnitNature.ENTERPRISE,
        False,
    )


def test_start_for_a_park_management_company_prefills_the_park_block(client):
    user = UserFactory(organisation=OrganisationFactory(org_type=OrganisationType.PARK, name="上海某园区管理有限公司"))
    client.force_login(user)

    client.post(reverse("filings:start", args=[ConsortiumCallFactory().pk]))

    detail = ConsortiumDetail.objects.get(filing__organisation=user.organisation)
    assert (detail.is_park, detail.unit_name, detail.park_company, detail.unit_nature) == (
        True,
        "",
        "上海某园区管理有限公司",
        "",
    )


# --- steps -------------------------------------------------------------------------------


def test_basic_step_saves_the_draft_normalised(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    with_x = ric_ending_in_x()

    response = client.post(
        step_url(filing, "basic"),
        basic_post(filing, contact_id=f" {with_x[:6]} {with_x[6:-1]}x ", **{"save-next": "1"}),
    )

    assert response.url == step_url(filing, "partners")
    detail = ConsortiumDetail.objects.get(pk=filing.pk)
    assert (detail.uscc, detail.contact_id, detail.legal_rep_mobile, detail.legal_rep_email) == (
        filing.organisation.uscc,
        with_x,
        "13800138000",
        "FaRen@example.com",
    )
    assert (detail.bank_account, detail.postcode) == ("97160078801200001234", "201203")
    filing.refresh_from_db()
    assert (filing.title, filing.industry) == (filing.organisation.name, "集成电路")


def test_basic_step_lays_out_the_people_as_the_forms_table(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)

    page = client.get(step_url(filing, "basic")).content.decode()

    for heading in (
        "人员信息",
        "姓名",
        "身份证号码",
        "电话（手机）",
        "电子邮箱",
        "单位法人",
        "项目负责人",
        "项目联系人",
    ):
        assert f">{heading}</th>" in page
    assert '<label class="visually-hidden" for="id_leader_id">项目负责人身份证号码</label>' in page
    assert "（公益1类事业单位或已承接浦东、徐汇相同项目的不用填）" in page


def test_a_bad_id_number_is_refused_at_the_field_in_chinese_and_what_was_typed_is_kept(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    wrong_check = LEGAL_REP_ID[:-1] + ("1" if LEGAL_REP_ID[-1] != "1" else "2")

    response = client.post(
        step_url(filing, "basic"),
        basic_post(filing, legal_rep_id=wrong_check, leader_id="31010419820315", contact_id="310110199013320346"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["legal_rep_id"] == ["身份证号码校验位不正确，请核对。"]
    assert errors["leader_id"] == ["身份证号码应为18位，当前为14位。"]
    assert errors["contact_id"] == ["身份证号码中的出生日期（19901332）不是有效日期。"]
    page = response.content.decode()
    assert f'value="{wrong_check}"' in page and 'value="王法人"' in page
    assert "身份证号码校验位不正确，请核对。" in page
    assert ConsortiumDetail.objects.get(pk=filing.pk).legal_rep_name == ""


def test_a_bad_bank_account_is_refused_at_the_field(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(step_url(filing, "basic"), basic_post(filing, bank_account="6222-ABC"))

    assert response.context["form"].errors["bank_account"] == ["银行账号应为8至32位数字。"]


def test_autosave_answers_with_fresh_findings(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)

    response = client.post(step_url(filing, "basic"), basic_post(filing), headers={"X-Autosave": "1"})

    answer = response.json()
    assert answer["saved"] is True and answer["errors"] == {}
    assert "“一、申报单位基本信息”未填写完整" not in answer["findings_html"]
    assert "CO-5" in answer["findings_html"]


def test_partner_rows_are_saved_in_order_and_name_the_parties(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    partner = {"started_on": "2018-03-01", "content": "联合研发", "patents": "6"}

    client.post(
        step_url(filing, "partners"),
        rows_post(
            "partners",
            [{**partner, "name": "上海某大学"}, {**partner, "name": "上海某研究所"}, {"name": ""}],
            cooperation_patents="10",
        ),
    )

    rows = list(ConsortiumPartner.objects.filter(filing=filing).order_by("position"))
    assert [(p.name, p.position, str(p.started_on)) for p in rows] == [
        ("上海某大学", 1, "2018-03-01"),
        ("上海某研究所", 2, "2018-03-01"),
    ]
    assert ConsortiumDetail.objects.get(pk=filing.pk).cooperation_patents == 10
    assert kinds.get("CONSORTIUM").parties(filing) == ["上海某大学", "上海某研究所"]


def test_a_member_row_with_a_bad_id_number_is_refused_at_the_cell(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    member = {"name": "赵成员", "id_number": "310112199501024580", "department": "知识产权部", "task": "专利许可"}

    response = client.post(step_url(filing, "team"), rows_post("members", [member]))

    assert response.status_code == 200
    assert response.context["formsets"][0].errors[0]["id_number"] == ["身份证号码校验位不正确，请核对。"]
    assert not ConsortiumMember.objects.exists()


def test_team_step_saves_the_leader_and_the_members(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    leader = {
        "leader_gender": "male",
        "leader_education": "博士研究生",
        "leader_title": "高级工程师",
        "leader_specialty": "集成电路设计",
        "leader_department": "知识产权部",
        "leader_position": "部长",
        "leader_phone": "（021）5080 1234",
    }
    member = {"name": "赵成员", "id_number": make_ric("31011219950102458").lower(), "task": "专利许可"}

    client.post(step_url(filing, "team"), rows_post("members", [member], **leader))

    detail = ConsortiumDetail.objects.get(pk=filing.pk)
    assert (detail.leader_gender, detail.leader_phone) == ("male", "021-50801234")
    assert list(ConsortiumMember.objects.values_list("name", "id_number")) == [
        ("赵成员", make_ric("31011219950102458"))
    ]


def test_capability_step_asks_only_the_block_of_a_unit(client, settings):
    settings.CONSORTIUM_CAPABILITY_MAX_CHARS = 800
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)

    page = client.get(step_url(filing, "capability")).content.decode()

    assert 'name="rd_spending"' in page and 'name="park_entities"' not in page
    [textarea] = re.findall(r'<textarea name="capability_text"[^>]*>', page)
    assert 'data-max-chars="800"' in textarea
    assert "800字以内（除空格、换行外，每个字符计1字）" in page


def test_capability_step_of_a_park_keeps_the_unit_fields_untouched(client):
    filing = ConsortiumFilingFactory(consortium__is_park=True, consortium__rd_results="旧的研发成果")
    client, _user = owner_client(client, filing)

    page = client.get(step_url(filing, "capability")).content.decode()
    client.post(
        step_url(filing, "capability"),
        {
            "park_entities": "60",
            "park_leaders": "某领军企业",
            "park_university_cooperation": "无",
            "capability_text": "无",
        },
    )

    assert 'name="park_entities"' in page and 'name="rd_spending"' not in page
    detail = ConsortiumDetail.objects.get(pk=filing.pk)
    assert (detail.park_entities, detail.rd_results) == (60, "旧的研发成果")


def test_plan_step_shows_the_targets_table_and_saves_it(client):
    filing = ConsortiumFilingFactory()
    client, _user = owner_client(client, filing)
    targets = {
        f"{m}_{c}": v
        for m in ("deals", "patents", "value", "received")
        for c, v in zip(("base", "year1", "year2"), ("10", "13", "17"), strict=True)
    }

    page = client.get(step_url(filing, "plan")).content.decode()
    client.post(step_url(filing, "plan"), {"plan_text": "工作方案", **targets})

    assert 'data-max-chars="2000"' in page
    assert 'aria-label="成交金额（万元）（第二年目标）"' in page
    detail = ConsortiumDetail.objects.get(pk=filing.pk)
    assert detail.target("value") == (10, 13, 17)


# --- submission ----------------------------------------------------------------------------


def test_submit_is_refused_while_a_text_is_too_long(client):
    filing = complete_consortium_filing(plan_text="字" * 2001)
    client, _user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert [(f.rule, f.step) for f in response.context["refused"]] == [("CO-6", "plan")]
    filing.refresh_from_db()
    assert (filing.state, filing.version) == (State.DRAFT, 0)


def test_submit_freezes_a_version_with_data_findings_badges_and_materials(client):
    filing = complete_consortium_filing()
    client, user = owner_client(client, filing)

    response = client.post(reverse("filings:submit", args=[filing.pk]))

    assert response.url == reverse("filings:detail", args=[filing.pk])
    filing.refresh_from_db()
    assert (filing.state, filing.version) == (State.SUBMITTED, 1)
    assert filing.number == f"CXY{filing.call.year}-{filing.call.pk:03d}-0001"
    version = FilingVersion.objects.get(filing=filing)
    detail = version.data["detail"]
    assert (detail["unit_name"], detail["leader_id"], detail["unit_nature_label"]) == (
        filing.organisation.name,
        LEADER_ID,
        "企业",
    )
    assert (detail["deals_growth"], detail["capability_chars"]) == ("30.0%", 31)
    assert [p["name"] for p in version.data["partners"]] == ["上海某大学"]
    assert [m["id_number"] for m in version.data["members"]] == [LEADER_ID]
    assert sorted(m["code"] for m in version.materials) == ["M2", "M3", "M4"]
    assert [f["rule"] for f in version.findings] == [
        "CO-0",
        "CO-1",
        "CO-2",
        "CO-3",
        "CO-3",
        "CO-4",
        "CO-5",
        "CO-6",
        "CO-7",
        "priority_industry",
    ]
    assert version.findings[-1]["verdict"] == "badge"
    event = FilingEvent.objects.get(filing=filing)
    assert (event.action, event.to_state, event.actor) == ("submit", "submitted", user)
    # Editing the draft afterwards never changes the frozen version.
    ConsortiumDetail.objects.filter(pk=filing.pk).update(unit_name="改名")
    assert FilingVersion.objects.get(pk=version.pk).data["detail"]["unit_name"] == filing.organisation.name


def test_the_submitted_version_prints_as_the_notices_form():
    filing = complete_consortium_filing()
    version = services.filing_submit(filing=filing, actor=filing.created_by)

    data = pdf.render_version_pdf(version)
    filing.refresh_from_db()

    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    for expected in (
        "项目编号：" + filing.number,
        "上海市知识产权产学研运营联合体",
        "项目申报书",
        "上海市知识产权局编制",
        "2.封面中项目编号不需填写。",
        "申报单位基本信息",
        "二、申报单位承担项目能力基本情况",
        "三、项目实施方案、资金安排和绩效目标",
        "四、项目组成员信息",
        "五、申报单位意见",
        "所提交的资料真实有效，并自愿承担相应责任。同意申报。",
        "单位签章：",
        LEADER_ID,
        "上海某大学",
        "30.0%",
    ):
        assert expected in text, expected


def test_staff_read_the_frozen_version(client, staff):
    filing = complete_consortium_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
    client.force_login(staff)

    response = client.get(reverse("review:filing", args=[filing.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "项目负责人身份证号码" in page and LEADER_ID in page
    assert "成交金额年均增幅" in page and "30.0%" in page
    assert "重点支持产业：集成电路（三大先导产业）" in page


def test_the_public_verification_page_names_the_frozen_applicant(client):
    filing = complete_consortium_filing(
        is_park=True,
        unit_name="张江集成电路产业园",
        park_company="上海张江集电港管理有限公司",
        park_entities=60,
        park_leaders="某领军企业",
        park_university_cooperation="与某大学共建实验室",
    )
    version = services.filing_submit(filing=filing, actor=filing.created_by)
    ConsortiumDetail.objects.filter(pk=filing.pk).update(unit_name="改名后的园区")

    page = client.get(reverse("public:verify", args=[version.verification_code])).content.decode()

    assert "张江集成电路产业园；上海张江集电港管理有限公司" in page
    assert "改名后的园区" not in page
