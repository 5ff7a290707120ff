"""The key-enterprise directory: coverage by 统一社会信用代码, the all-or-nothing import, reminders."""

import io
import time
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import District
from accounts.tests.factories import (
    DistrictUserFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
    make_uscc,
)
from filings.models import Filing, OutboxMessage
from filings.states import State
from filings.tests.product_factories import ProductFilingFactory
from review.directory import selectors
from review.directory.models import KeyEntry, KeyList

pytestmark = pytest.mark.django_db

HEADER = ["单位名称", "统一社会信用代码", "所在区", "目录清单"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("list.xlsx", buffer.getvalue())


def product(organisation, state) -> Filing:
    filing = ProductFilingFactory(organisation=organisation)
    Filing.objects.filter(pk=filing.pk).update(state=state)
    return filing


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def lists(staff):
    return {
        "demo": KeyList.objects.create(name="国家知识产权优势示范企业", deadline=date(2022, 12, 31), created_by=staff),
        "pilot": KeyList.objects.create(
            name="市级企事业专利工作试点示范单位", deadline=date(2099, 3, 31), created_by=staff
        ),
    }


@pytest.fixture
def listed(lists):
    """Four enterprises on the 示范 list: registered, in progress, none (with an account), none (no account)."""
    registered = OrganisationFactory(name="注册名称与清单不同的公司", district=District.PUDONG)
    product(registered, State.REGISTERED)
    product(registered, State.SUBMITTED)
    in_progress = OrganisationFactory(district=District.XUHUI)
    product(in_progress, State.RETURNED)
    idle = OrganisationFactory(district=District.XUHUI)
    UserFactory(organisation=idle)
    same_name = OrganisationFactory(name="同名但代码不同的公司", district=District.XUHUI)
    product(same_name, State.REGISTERED)
    demo = lists["demo"]
    entries = {
        "registered": KeyEntry.objects.create(
            key_list=demo, name="清单上的名称", uscc=registered.uscc, area="浦东新区"
        ),
        "in_progress": KeyEntry.objects.create(key_list=demo, name="办理中", uscc=in_progress.uscc, area="徐汇区"),
        "idle": KeyEntry.objects.create(key_list=demo, name="有账户无备案", uscc=idle.uscc, area="徐汇区"),
        # Same name as a registered enterprise, another code: not covered.
        "stranger": KeyEntry.objects.create(
            key_list=demo, name="同名但代码不同的公司", uscc=make_uscc(777001), area="临港新片区"
        ),
    }
    return entries


def test_coverage_matches_by_code_never_by_name(listed, lists):
    rows = {row["list"].name: row for row in selectors.coverage_by_list()}

    demo = rows["国家知识产权优势示范企业"]
    assert (demo["total"], demo["registered"], demo["in_progress"], demo["none"], demo["rate"]) == (4, 1, 1, 2, 25.0)
    pilot = rows["市级企事业专利工作试点示范单位"]
    assert (pilot["total"], pilot["registered"]) == (0, 0)


def test_coverage_by_district_and_for_a_district_bureau(listed):
    by_area = {row["area"]: (row["total"], row["registered"], row["in_progress"], row["none"])
               for row in selectors.coverage_by_district()}  # fmt: skip

    assert by_area == {"临港新片区": (1, 0, 0, 1), "徐汇区": (2, 0, 1, 1), "浦东新区": (1, 1, 0, 0)}
    assert [(row["area"], row["total"]) for row in selectors.coverage_by_district(area="徐汇区")] == [("徐汇区", 2)]


def test_lists_past_their_deadline_stand_out(client, staff, listed):
    client.force_login(staff)

    html = client.get(reverse("review:coverage")).content.decode()

    demo_row = html.split("国家知识产权优势示范企业</a>")[0].rsplit("<tr", 1)[1]
    assert "table-warning" in demo_row
    assert html.count("已逾期") == 1


def test_entries_show_their_status_and_filter_by_it(client, staff, listed, lists):
    client.force_login(staff)
    url = reverse("review:key-list", args=[lists["demo"].pk])

    none = client.get(url, {"status": "none"})

    assert [entry.name for entry in none.context["page"].object_list] == ["同名但代码不同的公司", "有账户无备案"]
    assert none.content.decode().count(">逾期<") == 2
    assert "共 2 家" in none.content.decode()
    assert [entry.has_account for entry in none.context["page"].object_list] == [False, True]


def test_import_of_good_rows_lists_them_all(client, staff, lists):
    client.force_login(staff)
    rows = [[f"上海重点企业{n}", make_uscc(500000 + n), "浦东新区", "国家知识产权优势示范企业"] for n in range(3)]
    rows.append(["临港企业", make_uscc(600000), "临港新片区", "市级企事业专利工作试点示范单位"])

    response = client.post(reverse("review:key-list-import"), {"file": xlsx(rows)})

    assert response.status_code == 302
    assert KeyEntry.objects.filter(key_list=lists["demo"]).count() == 3
    assert KeyEntry.objects.get(key_list=lists["pilot"]).area == "临港新片区"


def test_import_of_5000_rows_takes_seconds(staff, lists):
    from review.directory.services import key_entries_import

    rows = [[f"上海重点企业{n}", make_uscc(200000 + n), "闵行区", "国家知识产权优势示范企业"] for n in range(5000)]
    upload = xlsx(rows)
    started = time.perf_counter()

    assert key_entries_import(upload=upload) == 5000
    print(f"\nimport of 5,000 rows: {time.perf_counter() - started:.2f} s")


def test_one_bad_row_keeps_the_whole_file_out_with_each_row_and_reason(client, staff, lists, listed):
    client.force_login(staff)
    good = make_uscc(810001)
    wrong_check = make_uscc(810002)[:-1] + ("A" if make_uscc(810002)[-1] != "A" else "B")
    rows = [
        ["好企业", good, "浦东新区", "国家知识产权优势示范企业"],  # row 2
        ["校验位错", wrong_check, "浦东新区", "国家知识产权优势示范企业"],  # row 3
        ["外省企业", make_uscc(810003, division="110108"), "浦东新区", "国家知识产权优势示范企业"],  # row 4
        ["重复", good, "浦东新区", "国家知识产权优势示范企业"],  # row 5
        ["已在清单", listed["idle"].uscc, "徐汇区", "国家知识产权优势示范企业"],  # row 6
        ["", make_uscc(810004), "浦东新区", "国家知识产权优势示范企业"],  # row 7
        ["无此清单", make_uscc(810005), "浦东新区", "专精特新"],  # row 8
        ["无此区", make_uscc(810006), "浦西区", "国家知识产权优势示范企业"],  # row 9
    ]

    response = client.post(reverse("review:key-list-import"), {"file": xlsx(rows)})

    assert response.status_code == 400
    errors = {row.number: row.message for row in response.context["import_errors"]}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert errors[3] == "统一社会信用代码校验位不正确，请核对。"
    assert "不是上海市登记的单位" in errors[4]
    assert errors[5] == "与第 2 行重复（同一清单、同一统一社会信用代码）。"
    assert errors[6] == "该单位已在清单“国家知识产权优势示范企业”中。"
    assert errors[7] == "单位名称为空。"
    assert "“专精特新”不存在" in errors[8]
    assert "浦西区" in errors[9]
    assert "有 7 行有误，整个文件未导入。" in response.content.decode()
    assert not KeyEntry.objects.filter(uscc=good).exists()


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return SimpleUploadedFile("list.xlsx", buffer.getvalue())


def _members(upload) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _macro_enabled() -> SimpleUploadedFile:
    members = _members(xlsx([["宏", make_uscc(820001), "浦东新区", "国家知识产权优势示范企业"]]))
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
    return _zip(members)


def _zip_bomb() -> SimpleUploadedFile:
    members = _members(xlsx([["炸弹", make_uscc(820002), "浦东新区", "国家知识产权优势示范企业"]]))
    members["xl/media/padding.bin"] = b"\0" * (80 * 1024 * 1024)
    return _zip(members)


def _formula() -> SimpleUploadedFile:
    return xlsx([["公式", make_uscc(820003), "浦东新区", "国家知识产权优势示范企业"], ['=HYPERLINK("x")', "", "", ""]])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: SimpleUploadedFile("list.xlsx", "单位名称,统一社会信用代码\n".encode()),
            "文件不是有效的 Excel 工作簿",
        ),
        (_macro_enabled, "文件含有宏（.xlsm），不予导入。"),
        (_zip_bomb, "文件解压后过大，不予导入。"),
        (_formula, "第 3 行含有公式，不予导入。"),
        (lambda: xlsx([["缺列", make_uscc(820004), "浦东新区"]], header=HEADER[:3]), "表头缺少以下列：目录清单。"),
        (lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<broken"}), "不是普通的 Excel 工作簿"),
    ],
    ids=["renamed-csv", "macro", "zip-bomb", "formula", "missing-column", "damaged"],
)
def test_a_file_that_is_not_a_plain_workbook_is_refused_whole(client, staff, lists, make, message):
    client.force_login(staff)

    response = client.post(reverse("review:key-list-import"), {"file": make()})

    assert response.status_code == 400
    assert message in response.context["import_form"].errors["file"][0]
    assert KeyEntry.objects.count() == 0


def test_staff_add_one_enterprise_by_hand_and_a_bad_code_is_refused_at_the_field(client, staff, lists):
    client.force_login(staff)
    url = reverse("review:key-entry-new", args=[lists["pilot"].pk])

    good = client.post(url, {"name": "手工加入的企业", "uscc": make_uscc(830001), "area": "嘉定区"})
    bad = client.post(url, {"name": "外省", "uscc": make_uscc(830002, division="440300"), "area": "嘉定区"})

    assert good.status_code == 302
    assert KeyEntry.objects.get(key_list=lists["pilot"]).name == "手工加入的企业"
    assert bad.status_code == 400
    assert "不是上海市登记的单位" in bad.context["entry_form"].errors["uscc"][0]


def test_reminders_go_through_the_outbox_to_enterprises_with_an_account_and_no_record(
    client, staff, listed, lists, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:key-list-remind", args=[lists["demo"].pk]))

    assert response.status_code == 302
    messages = list(OutboxMessage.objects.filter(task="review.directory.tasks.remind_key_enterprise"))
    assert [m.kwargs["entry_id"] for m in messages] == [listed["idle"].pk]
    assert len(mailoutbox) == 1
    assert "国家知识产权优势示范企业" in mailoutbox[0].subject
    assert "2022年12月31日" in mailoutbox[0].body
    # The list shows when each was last reminded, in Shanghai time.
    reminded = KeyEntry.objects.get(pk=listed["idle"].pk).reminded_at
    page = client.get(reverse("review:key-list", args=[lists["demo"].pk]), {"q": "有账户无备案"}).content.decode()
    assert f"<td>{timezone.localtime(reminded):%Y-%m-%d %H:%M}</td>" in page
    assert page.count("<td>—</td>") == 0


def test_a_district_bureau_sees_its_own_areas_entries_and_changes_nothing(client, listed, lists):
    client.force_login(DistrictUserFactory(area="徐汇区"))

    page = client.get(reverse("review:key-list", args=[lists["demo"].pk]))
    refused = client.post(reverse("review:key-list-import"), {"file": xlsx([])})
    remind = client.post(reverse("review:key-list-remind", args=[lists["demo"].pk]))

    assert sorted(entry.name for entry in page.context["page"].object_list) == ["办理中", "有账户无备案"]
    assert "提醒尚无备案的企业" not in page.content.decode()
    assert (refused.status_code, remind.status_code) == (403, 403)


def test_coverage_pages_cost_the_same_queries_however_many_entries(
    client, staff, listed, lists, django_assert_num_queries
):
    client.force_login(staff)
    client.get(reverse("review:coverage"))
    for n in range(30):
        KeyEntry.objects.create(key_list=lists["pilot"], name=f"企业{n}", uscc=make_uscc(840000 + n), area="宝山区")

    # the lists, coverage by list and district together (the session and the user are cached)
    with django_assert_num_queries(2):
        client.get(reverse("review:coverage"))
    # the list, coverage by district (which gives the page's count), the page's rows
    with django_assert_num_queries(3):
        client.get(reverse("review:key-list", args=[lists["pilot"].pk]))
    # a search counts what it finds
    with django_assert_num_queries(4):
        client.get(reverse("review:key-list", args=[lists["pilot"].pk]), {"q": "企业1"})


def test_a_list_pages_through_its_entries_keeping_a_search_with_any_characters(client, staff, lists):
    client.force_login(staff)
    for n in range(60):
        KeyEntry.objects.create(
            key_list=lists["pilot"], name=f"甲&乙 公司{n:02d}", uscc=make_uscc(850000 + n), area="宝山区"
        )
    url = reverse("review:key-list", args=[lists["pilot"].pk])

    first = client.get(url, {"q": "甲&乙", "status": "none"})
    second = client.get(url, {"q": "甲&乙", "status": "none", "page": 2})

    assert 'href="?q=%E7%94%B2%26%E4%B9%99&amp;status=none&amp;page=2"' in first.content.decode()
    assert len(first.context["page"].object_list) == 50
    assert [entry.name for entry in second.context["page"].object_list] == [f"甲&乙 公司{n:02d}" for n in range(50, 60)]
    assert "共 60 家" in first.content.decode()


def test_coverage_by_district_lists_the_areas_in_their_own_order(listed):
    assert [row["area"] for row in selectors.coverage_by_district()] == ["徐汇区", "浦东新区", "临港新片区"]


def test_a_search_finds_names_containing_it_and_codes_starting_with_it_taking_wildcards_literally(client, staff, lists):
    client.force_login(staff)
    pilot = lists["pilot"]
    KeyEntry.objects.create(key_list=pilot, name="百分百%科技", uscc=make_uscc(860001), area="宝山区")
    KeyEntry.objects.create(key_list=pilot, name="下划_线科技", uscc=make_uscc(860002), area="宝山区")
    KeyEntry.objects.create(key_list=pilot, name="Acme 普通科技", uscc=make_uscc(860003), area="宝山区")
    url = reverse("review:key-list", args=[pilot.pk])

    def found(q):
        return sorted(entry.name for entry in client.get(url, {"q": q}).context["page"].object_list)

    assert found("%") == ["百分百%科技"]
    assert found("_") == ["下划_线科技"]
    assert found("acme") == ["Acme 普通科技"]
    assert found(make_uscc(860002).lower()) == ["下划_线科技"]
    assert found("科技") == ["Acme 普通科技", "下划_线科技", "百分百%科技"]
