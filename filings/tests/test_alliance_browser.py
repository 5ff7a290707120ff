"""An applicant fills a whole 联盟备案申请书 (seed 000 附件) in the browser, by its Chinese labels, and submits it.

One walk through every step, as a person would: start from the public list of calls, fill the
cover, the basic information, counts, pools and members, the texts and the declaration, upload
the materials, be refused for one enterprise outside the patent pool (AL-6), fix it and submit.
"""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.tests.factories import PASSWORD, UserFactory
from filings.kinds.alliance.models import AllianceType, MemberCategory, PoolRole
from filings.models import Filing
from filings.states import State
from filings.tests.factories import CallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CALL_TITLE = "关于开展2024年上海市产业知识产权联盟备案工作的通知"
SPONSOR = "上海智芯微电子科技有限公司"
# Left "尚未加入或取得许可" at first, so that AL-6 refuses the submission.
OUTSIDER = "上海申驰汽车集团有限公司"

# 企业: 单位名称, 上年度营业收入（万元）, 发明, 新型, 外观, 与专利池的关系
ENTERPRISES = [
    (SPONSOR, "36800.50", "128", "64", "6", "以自有专利加入专利池"),
    ("上海临港晶圆制造有限公司", "52300", "86", "41", "0", "以自有专利加入专利池"),
    (OUTSIDER, "185000", "45", "120", "33", "尚未加入或取得许可"),
]
UNIVERSITY = "上海交通大学"
BANK = "上海浦东发展银行股份有限公司张江科技支行"


def minimal_pdf(text: str) -> bytes:
    """A small but well-formed one-page PDF (header, objects, cross-reference table, trailer)."""
    content = f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def is_autosave(request) -> bool:
    return request.method == "POST" and request.headers.get("x-autosave") == "1"


def autosave_after(page: Page, last_change) -> None:
    """Makes the last change of a step and waits for the autosave it starts to be answered.

    The form posts itself 600 ms after a `change`; waiting for that answer means no save is
    still on its way when the step's own button is pressed.
    """
    with page.expect_request(is_autosave) as request:
        last_change()
    response = request.value.response()
    assert response is not None and response.json()["saved"] is True
    expect(page.locator("[data-autosave-status]")).to_contain_text("已自动保存")


def save_and_continue(page: Page, next_title: str) -> None:
    page.get_by_role("button", name="保存并继续").click()
    expect(page.get_by_role("heading", name=next_title, exact=True)).to_be_visible()


def fill_row(row: Locator, **cells: str) -> None:
    """Fills one table row; `cells` maps a column heading to the value typed or chosen."""
    for column, value in cells.items():
        cell = row.get_by_label(column)
        if cell.evaluate("el => el.tagName") == "SELECT":
            cell.select_option(label=value)
        else:
            cell.fill(value)


def test_applicant_fills_and_submits_an_alliance_filing(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    CallFactory(kind="ALLIANCE", title=CALL_TITLE)
    user = UserFactory(organisation__name=SPONSOR, email="liming@zhixin-ic.com.cn", name="李明")

    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()

    page.goto("/public/")
    page.locator("article", has_text=CALL_TITLE).get_by_role("button", name="开始填报").click()

    # --- 封面: autosave and the findings beside the form, without a page load.
    expect(page.get_by_role("heading", name="封面", exact=True)).to_be_visible()
    findings = page.locator("[data-findings]")
    expect(findings).to_contain_text("“封面”未填写完整：联系人、单位及职务、固定电话、移动电话、电子邮箱")
    page.evaluate("window.samePage = true")
    page.get_by_label("联系人").fill("李明")
    page.get_by_label("单位及职务").fill("上海智芯微电子科技有限公司 知识产权部经理")
    page.get_by_label("固定电话").fill("021-50801234")
    page.get_by_label("移动电话").fill("13917001234")
    email = page.get_by_label("电子邮箱")
    email.fill("liming@zhixin-ic.com.cn")
    autosave_after(page, email.blur)
    expect(findings).not_to_contain_text("“封面”未填写完整")
    expect(findings).to_contain_text("“一、联盟基本信息”未填写完整")
    assert page.evaluate("window.samePage") is True
    save_and_continue(page, "一、联盟基本信息")

    # --- 一、联盟基本信息
    page.get_by_label("联盟名称").fill("上海车规级芯片产业知识产权联盟")
    page.get_by_label("通讯地址").fill("上海市浦东新区张江高科技园区祖冲之路887弄71号")
    page.get_by_label("邮编").fill("201203")
    page.get_by_label("成立时间").fill("2023-06-18")
    page.get_by_label("所属产业领域").fill("集成电路（车规级芯片）")
    corporate = page.get_by_role("group", name="企业法人式", exact=True, include_hidden=True)
    board = page.get_by_role("group", name="社会团体或合作组织式", exact=True, include_hidden=True)
    other = page.get_by_role("group", name="其他类型", exact=True, include_hidden=True)
    for block in (corporate, board, other):
        expect(block).to_be_visible()
    page.get_by_role("group", name="联盟类型").get_by_label("合作组织式").check()
    expect(corporate).to_be_hidden()
    expect(other).to_be_hidden()
    expect(board).to_be_visible()
    chair = board.get_by_role("group", name="联盟理事长/协会会长")
    chair.get_by_label("联盟理事长/协会会长").fill("王建国")
    chair.get_by_label("联系电话").fill("021-50801200")
    chair.get_by_label("单位及职务").fill("上海智芯微电子科技有限公司 董事长")
    secretary = board.get_by_role("group", name="联盟秘书长")
    secretary.get_by_label("联盟秘书长").fill("陈晓燕")
    secretary.get_by_label("联系电话").fill("021-50801288")
    secretary_title = secretary.get_by_label("单位及职务")
    secretary_title.fill("上海智芯微电子科技有限公司 知识产权总监")
    autosave_after(page, secretary_title.blur)
    expect(findings).not_to_contain_text("“一、联盟基本信息”未填写完整")
    save_and_continue(page, "技术标准、成员数量与管理体系")

    # --- 技术标准、成员数量与管理体系: 合计 is computed as one types.
    standards = page.get_by_role("group", name="主导或参与技术标准数量")
    standards_total = standards.get_by_label("合计（个）")
    expect(standards_total).to_have_text("0")
    standards.get_by_label("国际标准（个）").fill("1")
    expect(standards_total).to_have_text("1")
    standards.get_by_label("国家标准（个）").fill("4")
    expect(standards_total).to_have_text("5")
    standards.get_by_label("行业标准（个）").fill("7")
    expect(standards_total).to_have_text("12")
    counts = page.get_by_role("group", name="成员数量")
    counts_total = counts.get_by_label("合计（个）")
    for label, value, total in (
        ("企业（个）", "3", "3"),
        ("高等学校（个）", "1", "4"),
        ("科研机构（个）", "0", "4"),
        ("服务机构（个）", "0", "4"),
        ("金融机构（个）", "1", "5"),
    ):
        counts.get_by_label(label).fill(value)
        expect(counts_total).to_have_text(total)
    # Computed, never typed: the totals are no form fields at all.
    assert standards_total.evaluate("el => el.tagName") == "OUTPUT"
    expect(page.locator("input[name*='total']")).to_have_count(0)
    management = page.get_by_role("group", name="管理体系")
    management.get_by_label("专利管理机构名称").fill("联盟知识产权运营中心")
    management.get_by_label("专职管理人员数量").fill("3")
    funding = management.get_by_label("经费来源")
    funding.fill("成员单位会费及专利许可收入")
    autosave_after(page, funding.blur)
    save_and_continue(page, "专利池情况")

    # --- 专利池情况: table cells are named by table, row and column.
    pool = "专利池（或专利组合） 第1行 "
    page.get_by_role("textbox", name=pool + "专利池（或专利组合）名称").fill("车规级功率半导体专利池")
    page.get_by_role("textbox", name=pool + "围绕的产业链重要节点").fill("车规级IGBT与碳化硅功率器件")
    page.get_by_role("spinbutton", name=pool + "专利数量（件）").fill("156")
    page.get_by_role("textbox", name=pool + "简要说明").fill("成员以自有核心专利入池，池内交叉许可，对外统一打包许可。")
    save_and_continue(page, "二、联盟成员信息")

    # --- 二、联盟成员信息: rows added in the page, without a round trip.
    members_url = page.url
    enterprises = page.get_by_role("group", name="企业", exact=True)
    rows = enterprises.locator("tbody tr.formset-row")
    expect(rows).to_have_count(1)
    add_enterprise = page.get_by_role("button", name="添加一行（企业）")
    add_enterprise.click()
    add_enterprise.click()
    expect(rows).to_have_count(3)
    assert page.url == members_url
    expect(rows.locator(".row-number")).to_have_text(["1", "2", "3"])
    expect(page.locator("[name='enterprises-TOTAL_FORMS']")).to_have_value("3")
    # Each clone is named for screen readers by its row number.
    expect(page.get_by_role("textbox", name="企业 第2行 单位名称", exact=True)).to_have_count(1)
    expect(page.get_by_role("textbox", name="企业 第3行 单位名称", exact=True)).to_have_count(1)
    expect(rows.nth(2).get_by_label("单位名称")).to_have_attribute("name", "enterprises-2-name")
    expect(rows.nth(2).get_by_label("单位名称")).to_be_focused()
    for row, (name, revenue, inventions, utility, designs, relation) in zip(rows.all(), ENTERPRISES, strict=True):
        fill_row(
            row,
            单位名称=name,
            上年度营业收入=revenue,
            发明=inventions,
            新型=utility,
            外观=designs,
            与专利池的关系=relation,
        )
    fill_row(
        page.get_by_role("group", name="高等院校或科研机构").locator("tbody tr.formset-row"),
        类别="高等学校",
        单位名称=UNIVERSITY,
        上年度科研经费="42600",
        发明="310",
        新型="95",
        外观="12",
    )
    fill_row(
        page.get_by_role("group", name="服务机构或金融机构").locator("tbody tr.formset-row"),
        类别="金融机构",
        单位名称=BANK,
        上年度营业收入="9200",
        主营业务="科技信贷、知识产权质押融资",
    )
    save_and_continue(page, "三、联盟任务 四、联盟运行 五、专利池运营")

    # --- 三、四、五
    page.get_by_label("三、联盟任务").fill(
        "围绕车规级芯片产业链开展专利导航与布局，支撑成员单位联合攻关，服务中小企业知识产权创新创业。"
    )
    page.get_by_label("四、联盟运行").fill(
        "设理事会和秘书处，实行季度例会制度；成员共享检索数据库，许可收益按入池专利价值比例分配，定期开展业务培训。"
    )
    pool_text = page.get_by_label("五、专利池运营")
    pool_text.fill("围绕IGBT与碳化硅功率器件布局专利156件，成员间交叉许可，对整车及零部件企业统一打包许可。")
    autosave_after(page, pool_text.blur)
    save_and_continue(page, "申请单位意见")

    # --- 申请单位意见
    page.get_by_label("负责人（签名）").fill("王建国")
    declaration = page.get_by_role(
        "checkbox", name="本单位保证所提供资料的真实有效，并承担因虚报材料可能引起的一切后果。"
    )
    autosave_after(page, declaration.check)
    save_and_continue(page, "申报材料")

    # --- 申报材料
    uploads = {
        "M2": ("联盟章程或组建联盟的合作协议书", "联盟章程（签章版）.pdf", minimal_pdf("Alliance charter, signed")),
        "M3": ("联盟主要发起单位营业执照复印件", "发起单位营业执照复印件.pdf", minimal_pdf("Business licence")),
        "M4": ("联盟成员单位名单及相关负责人、联系人信息", "联盟成员单位名单.pdf", minimal_pdf("Members, contacts")),
    }
    for code, (material, filename, content) in uploads.items():
        path = tmp_path / "scans" / filename
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        page.get_by_label("材料类别").select_option(label=f"{code} {material}")
        page.get_by_label("选择文件").set_input_files(path)
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.get_by_role("alert").filter(has_text=f"已上传“{filename}”")).to_be_visible()
        expect(
            page.get_by_role("region", name=re.compile(f"^{code} ")).get_by_role("link", name=filename)
        ).to_be_visible()

    # --- 核对并提交: refused for the one enterprise outside the pool.
    page.get_by_role("link", name="返回申报").click()
    page.get_by_role("link", name="核对并提交").click()
    expect(page.get_by_text("尚有“不符合”的事项，提交将被拒绝。")).to_be_visible()
    page.get_by_role("button", name="提交申报").click()
    refusal = page.get_by_role("alert").filter(has_text="不能提交，原因：")
    expect(refusal).to_be_visible()
    expect(refusal.get_by_role("listitem")).to_have_count(1)
    expect(refusal.get_by_role("listitem")).to_contain_text(
        f"AL-6 成员企业均应以自有专利加入专利池或取得专利池许可，以下企业尚未满足：{OUTSIDER}。"
    )
    refusal.get_by_role("link", name=re.compile(OUTSIDER)).click()

    expect(page.get_by_role("heading", name="二、联盟成员信息", exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="企业 第3行 单位名称")).to_have_value(OUTSIDER)
    page.get_by_role("combobox", name="企业 第3行 与专利池的关系").select_option(label="取得专利池许可")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="已保存。")).to_be_visible()

    page.get_by_role("navigation", name="填报步骤").get_by_role("link", name="核对并提交").click()
    expect(page.get_by_role("heading", name="核对并提交")).to_be_visible()
    expect(page.get_by_text("尚有“不符合”的事项，提交将被拒绝。")).to_have_count(0)
    page.get_by_role("button", name="提交申报").click()

    success = page.get_by_role("alert").filter(has_text="已提交")
    expect(success).to_have_text(re.compile(r"已提交（第 1 版），编号 LM2024-\d{3,}-0001。"))
    status = page.locator("dt", has_text="状态").locator("xpath=following-sibling::dd[1]")
    expect(status).to_have_text("待形式审查")

    filing = Filing.objects.get()
    assert filing.state == State.SUBMITTED == "submitted"
    assert filing.number in success.inner_text()
    version = filing.versions.get()
    members = version.data["members"]
    assert len(members) == 5
    assert [m["name"] for m in members if m["category"] == MemberCategory.ENTERPRISE] == [e[0] for e in ENTERPRISES]
    assert {m["name"]: m["pool_role"] for m in members}[OUTSIDER] == PoolRole.LICENSED
    assert {(m["category"], m["name"]) for m in members} >= {
        (MemberCategory.UNIVERSITY, UNIVERSITY),
        (MemberCategory.FINANCIAL, BANK),
    }
    assert [p["name"] for p in version.data["pools"]] == ["车规级功率半导体专利池"]
    assert version.data["detail"]["alliance_type"] == AllianceType.COOPERATIVE
    assert (version.data["detail"]["std_total"], version.data["detail"]["count_total"]) == (12, 5)
    assert {m["code"]: m["sha256"] for m in version.materials} == {
        code: hashlib.sha256(content).hexdigest() for code, (_material, _name, content) in uploads.items()
    }
    # The uploads went to the test's own media folder, nowhere else.
    assert all(Path(m.file.path).is_relative_to(tmp_path) for m in filing.material_files.all())


def test_rows_typed_in_a_table_survive_following_a_step_link(page):
    from filings.kinds.alliance.models import AllianceMember
    from filings.tests.alliance_factories import AllianceFilingFactory

    user = UserFactory(email="liming@zhixin-ic.com.cn")
    filing = AllianceFilingFactory(organisation=user.organisation)
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill(user.email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    page.goto(f"/filings/{filing.pk}/step/members/")

    enterprises = page.get_by_role("group", name="企业", exact=True)
    rows = enterprises.locator("tbody tr.formset-row")
    page.get_by_role("button", name="添加一行（企业）").click()
    for row, (name, revenue, inventions, utility, designs, relation) in zip(rows.all(), ENTERPRISES, strict=False):
        fill_row(row, 单位名称=name, 上年度营业收入=revenue, 发明=inventions, 新型=utility, 外观=designs)
        fill_row(row, 与专利池的关系=relation)
    # Straight to another step, without pressing 保存.
    steps = page.get_by_role("navigation", name="填报步骤")
    steps.get_by_role("link", name="专利池情况").click()
    expect(page.get_by_role("heading", name="专利池情况", exact=True)).to_be_visible()
    steps.get_by_role("link", name="二、联盟成员信息").click()

    expect(page.get_by_role("heading", name="二、联盟成员信息", exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="企业 第1行 单位名称")).to_have_value(ENTERPRISES[0][0])
    expect(page.get_by_role("textbox", name="企业 第2行 单位名称")).to_have_value(ENTERPRISES[1][0])
    expect(page.get_by_role("spinbutton", name="企业 第2行 发明")).to_have_value(ENTERPRISES[1][2])
    assert list(AllianceMember.objects.filter(filing=filing).order_by("position").values_list("name", flat=True)) == [
        ENTERPRISES[0][0],
        ENTERPRISES[1][0],
    ]
