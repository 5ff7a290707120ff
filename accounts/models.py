import pghistory
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filings.validators import validate_mobile, validate_uscc


class District(models.TextChoices):
    HUANGPU = "黄浦区", _("黄浦区")
    XUHUI = "徐汇区", _("徐汇区")
    CHANGNING = "长宁区", _("长宁区")
    JINGAN = "静安区", _("静安区")
    PUTUO = "普陀区", _("普陀区")
    HONGKOU = "虹口区", _("虹口区")
    YANGPU = "杨浦区", _("杨浦区")
    MINHANG = "闵行区", _("闵行区")
    BAOSHAN = "宝山区", _("宝山区")
    JIADING = "嘉定区", _("嘉定区")
    PUDONG = "浦东新区", _("浦东新区")
    JINSHAN = "金山区", _("金山区")
    SONGJIANG = "松江区", _("松江区")
    QINGPU = "青浦区", _("青浦区")
    FENGXIAN = "奉贤区", _("奉贤区")
    CHONGMING = "崇明区", _("崇明区")


class Area(models.TextChoices):
    """Where a district bureau works (seed 003 三: 各区知识产权局、临港新片区市场监管局).

    临港新片区 spans parts of 浦东, 奉贤 and 闵行 and has no division code of its own in the
    统一社会信用代码, so it is an attribute of the organisation (Organisation.in_lingang),
    never read from the code.
    """

    HUANGPU = "黄浦区", _("黄浦区")
    XUHUI = "徐汇区", _("徐汇区")
    CHANGNING = "长宁区", _("长宁区")
    JINGAN = "静安区", _("静安区")
    PUTUO = "普陀区", _("普陀区")
    HONGKOU = "虹口区", _("虹口区")
    YANGPU = "杨浦区", _("杨浦区")
    MINHANG = "闵行区", _("闵行区")
    BAOSHAN = "宝山区", _("宝山区")
    JIADING = "嘉定区", _("嘉定区")
    PUDONG = "浦东新区", _("浦东新区")
    JINSHAN = "金山区", _("金山区")
    SONGJIANG = "松江区", _("松江区")
    QINGPU = "青浦区", _("青浦区")
    FENGXIAN = "奉贤区", _("奉贤区")
    CHONGMING = "崇明区", _("崇明区")
    LINGANG = "临港新片区", _("临港新片区")


class OrganisationType(models.TextChoices):
    # The kinds of applicant the four notices name (seed 000 一.1, seed 001, seed 003 一.1).
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高等学校")
    INSTITUTE = "institute", _("科研院所")
    ASSOCIATION = "association", _("行业协会")
    NEW_RD = "new_rd", _("新型研发机构")
    SOCIAL = "social", _("社会组织")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    PARK = "park", _("园区管理机构")
    SERVICE = "service", _("知识产权服务机构")
    FINANCIAL = "financial", _("金融机构")
    OTHER = "other", _("其他")


class Organisation(models.Model):
    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    org_type = models.CharField(_("单位类型"), max_length=32, choices=OrganisationType.choices)
    district = models.CharField(_("所在区"), max_length=8, choices=District.choices)
    # Read from the USCC (GB 32100-2015, characters 3-8), never typed.
    division_code = models.CharField(_("登记管理机关行政区划码"), max_length=6, editable=False)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("注册时间"), default=timezone.now, editable=False)
    # Set by the bureau: the 临港新片区市场监管局 sees these organisations (see Area).
    # A database default too, so that code and migrations written before the column still insert rows.
    in_lingang = models.BooleanField(_("位于临港新片区"), default=False, db_default=False)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位用户")
    STAFF = "staff", _("审核人员")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")
    DISTRICT = "district", _("区知识产权局")


class UserQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # The signed-in users' kept rows (accounts.backends) are forgotten: an update() sends no signal.
        from accounts.backends import forget_users

        with transaction.atomic(using=self.db):
            changed = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            forget_users(changed)
        return count

    update.alters_data = True


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("name", "系统管理员")
        fields.setdefault("mobile", "13800000000")
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)


# Who was given which role, and who was switched off: never the password or the last login.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pghistory.AnyChange("role", "is_active", "organisation", "is_superuser")),
    fields=["email", "role", "is_active", "organisation", "is_superuser"],
    model_name="UserRoleEvent",
    obj_field=pghistory.ObjForeignKey(related_name="role_events"),
)
class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("电子邮箱"), unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[validate_mobile])
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    # Experts belong to no applicant organisation; where they work is recorded
    # for conflict-of-interest checks (SPEC §4 expert review).
    expert_organisation_name = models.CharField(_("专家工作单位"), max_length=200, blank=True)
    expert_organisation_uscc = models.CharField(
        _("专家工作单位统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc]
    )
    expert_field = models.CharField(_("专业领域"), max_length=100, blank=True)
    # A district bureau's user sees this area only (accounts.roles.area_of).
    area = models.CharField(_("管辖区域"), max_length=8, choices=Area.choices, blank=True, default="", db_default="")
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name", "mobile"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_staff(self) -> bool:
        # The Django admin is for reference data (calls) and is open to bureau
        # staff and administrators only; see accounts.roles.
        from accounts import roles

        return self.is_active and roles.is_bureau(self)

    def clean(self):
        super().clean()
        if self.role == Role.DISTRICT and not self.area:
            raise ValidationError({"area": _("区知识产权局用户须选择管辖区域。")})
        if self.role != Role.DISTRICT and self.area:
            raise ValidationError({"area": _("只有区知识产权局用户有管辖区域。")})

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name
