import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from accounts.tests.factories import make_uscc
from filings.tests.factories import CallFactory, ClosedCallFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browser_register_log_in_and_see_open_calls(page):
    CallFactory(title="关于开展2024年上海市产业知识产权联盟备案的通知")
    ClosedCallFactory(title="关于开展2023年上海市产业知识产权联盟备案的通知")

    page.goto("/accounts/register/")
    page.get_by_label("单位名称").fill("上海浏览器测试科技有限公司")
    uscc = make_uscc(4242, division="310110")
    wrong = uscc[:-1] + ("1" if uscc[-1] != "1" else "2")
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_label("所在区").select_option(label="杨浦区")
    page.get_by_label("通讯地址").fill("上海市杨浦区国定路1号")
    page.get_by_label("联系人").fill("钱联系")
    page.get_by_label("您的姓名").fill("钱用户")
    page.get_by_label("手机号码").fill("13611112222")
    page.get_by_label("电子邮箱").fill("qian@example.com")
    page.locator("#id_password1").fill("Browser-Test-2024")
    page.get_by_label("确认密码").fill("Browser-Test-2024")
    page.get_by_role("button", name="注册").click()

    # A wrong check character: a Chinese message at the field, and nothing typed is lost.
    expect(page.locator("#error_1_id_uscc")).to_contain_text("校验")
    expect(page.get_by_label("单位名称")).to_have_value("上海浏览器测试科技有限公司")
    page.get_by_label("统一社会信用代码").fill(uscc)
    page.locator("#id_password1").fill("Browser-Test-2024")
    page.get_by_label("确认密码").fill("Browser-Test-2024")
    page.get_by_role("button", name="注册").click()

    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()
    assert Organisation.objects.get().district == "杨浦区"

    page.get_by_role("button", name="退出").click()
    page.goto("/accounts/login/")
    page.get_by_label("电子邮箱").fill("qian@example.com")
    page.get_by_label("密码").fill("Browser-Test-2024")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="我的申报")).to_be_visible()

    page.get_by_role("link", name="申报通知", exact=True).click()
    expect(page.get_by_role("heading", name="关于开展2024年上海市产业知识产权联盟备案的通知")).to_be_visible()
    expect(page.get_by_text("截止时间：")).to_be_visible()
    expect(page.get_by_text("关于开展2023年上海市产业知识产权联盟备案的通知")).to_be_visible()
    expect(page.locator(".list-group-item", has_text="2023年").get_by_text("已截止")).to_be_visible()


def test_browser_registration_asks_about_lingang_only_where_it_lies(page):
    page.goto("/accounts/register/")
    question = page.get_by_role("group", name="是否位于中国（上海）自由贸易试验区临港新片区")

    page.get_by_label("所在区").select_option(label="徐汇区")
    expect(question).to_be_hidden()
    page.get_by_label("所在区").select_option(label="奉贤区")
    expect(question).to_be_visible()
    question.get_by_label("是").check()
    page.get_by_label("所在区").select_option(label="杨浦区")
    expect(question).to_be_hidden()
