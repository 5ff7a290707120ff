from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import District, Organisation, OrganisationType, User
from filings import validators

LINGANG_DISTRICTS = (District.PUDONG, District.FENGXIAN, District.MINHANG)


class RegistrationForm(forms.Form):
    """An applicant organisation and its first user, in one form."""

    org_name = forms.CharField(label=_("单位名称"), max_length=200)
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18位，见营业执照或事业单位法人证书。仅受理在本市注册登记的单位。"),
    )
    org_type = forms.ChoiceField(label=_("单位类型"), choices=OrganisationType.choices)
    district = forms.ChoiceField(label=_("所在区"), choices=[("", "---------"), *District.choices])
    # 临港新片区 spans parts of these three districts only, and the code does not tell it (accounts.models.Area).
    in_lingang = forms.TypedChoiceField(
        label=_("是否位于中国（上海）自由贸易试验区临港新片区"),
        choices=[("1", _("是")), ("0", _("否"))],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("浦东新区、奉贤区、闵行区的单位必填；临港新片区的单位由临港新片区市场监管局督促指导。"),
    )
    address = forms.CharField(label=_("通讯地址"), max_length=200)
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    name = forms.CharField(label=_("您的姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号码"), max_length=20)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于登录和接收通知。"))
    password1 = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("至少8位，不能全是数字，不能与姓名、邮箱过于相似。"),
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def clean_uscc(self) -> str:
        code = validators.clean_uscc(self.cleaned_data["uscc"])
        if not validators.uscc_is_shanghai(code):
            raise ValidationError(
                _(
                    "该代码的登记管理机关行政区划码为 %(division)s，不是上海市（31开头）。本平台仅受理在本市注册登记的单位。"
                ),
                code="not_shanghai",
                params={"division": validators.uscc_division(code)},
            )
        if Organisation.objects.filter(uscc=code).exists():
            raise ValidationError(
                _("该单位已注册。请联系本单位已注册的用户在“单位用户”中为您添加账户。"), code="duplicate"
            )
        return code

    def clean_mobile(self) -> str:
        return validators.clean_mobile(self.cleaned_data["mobile"])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("该电子邮箱已注册，请直接登录或找回密码。"), code="duplicate")
        return email

    def clean(self):
        cleaned = super().clean()
        district, in_lingang = cleaned.get("district"), cleaned.get("in_lingang")
        if district in LINGANG_DISTRICTS and in_lingang is None:
            self.add_error("in_lingang", _("请选择本单位是否位于临港新片区。"))
        elif district and district not in LINGANG_DISTRICTS:
            if in_lingang:
                self.add_error("in_lingang", _("临港新片区仅含浦东新区、奉贤区、闵行区的部分区域，请核对所在区。"))
            cleaned["in_lingang"] = False
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ColleagueForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "mobile", "email"]

    def clean_mobile(self) -> str:
        return validators.clean_mobile(self.cleaned_data["mobile"])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("该电子邮箱已注册。"), code="duplicate")
        return email


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label=_("电子邮箱"), widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        "invalid_login": _("电子邮箱或密码不正确。连续多次输入错误，账户将被暂时锁定。"),
        "inactive": _("该账户已停用。"),
    }

    def clean_username(self) -> str:
        # Registration stores e-mails in lower case; "Zhang@Example.cn" is the same account.
        return self.cleaned_data["username"].strip().lower()


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=24,
        help_text=_("验证器应用中显示的6位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )
