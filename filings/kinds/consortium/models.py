"""The 项目申报书 of seed 001's annex, field by field. Labels are the form's own wording.

Every field may be blank while the filing is a draft: the applicant saves step by step.
The completeness rule (CO-0) requires them all before submission, with "无" accepted
where nothing applies (seed 001 填报说明 3). Fields the annexed form does not have (所属
产业, the R&D and park figures, the performance targets) are the evidence the guide's
申报对象 and 申报条件 ask for (SPEC §3 CO-2 … CO-7).
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from filings.models import Filing
from filings.validators import (
    validate_email,
    validate_mobile,
    validate_phone,
    validate_postcode,
    validate_ric,
    validate_uscc,
)


class UnitNature(models.TextChoices):
    # seed 001 附件 单位性质:（公益1类、2类、3类事业单位、企业等）
    PUBLIC_1 = "public1", _("公益1类事业单位")
    PUBLIC_2 = "public2", _("公益2类事业单位")
    PUBLIC_3 = "public3", _("公益3类事业单位")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class Industry(models.TextChoices):
    # seed 001 申报对象: 三大先导产业 …
    IC = "ic", _("集成电路")
    BIOMEDICINE = "biomedicine", _("生物医药")
    AI = "ai", _("人工智能")
    # … 和六大重点产业
    NEV = "nev", _("新能源汽车")
    EQUIPMENT = "equipment", _("高端装备")
    AEROSPACE = "aerospace", _("航空航天")
    ICT = "ict", _("信息通信")
    MATERIALS = "materials", _("新材料")
    DIGITAL = "digital", _("新兴数字")
    OTHER = "other", _("其他")


LEADING_INDUSTRIES = (Industry.IC, Industry.BIOMEDICINE, Industry.AI)
KEY_INDUSTRIES = (
    Industry.NEV,
    Industry.EQUIPMENT,
    Industry.AEROSPACE,
    Industry.ICT,
    Industry.MATERIALS,
    Industry.DIGITAL,
)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


# seed 001 工作目标: 专利许可、转让、作价入股的次数、专利数量、成交金额、实际到账金额年均增幅不少于30%.
# (field prefix, label, unit) — each has a base-year value and a target for each of the two years.
TARGET_METRICS = (
    ("deals", _("专利许可、转让、作价入股次数"), _("次")),
    ("patents", _("专利数量"), _("件")),
    ("value", _("成交金额"), _("万元")),
    ("received", _("实际到账金额"), _("万元")),
)
TARGET_COLUMNS = (
    ("base", _("基准年度实际值")),
    ("year1", _("任务期第一年目标值")),
    ("year2", _("任务期第二年目标值")),
)


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _amount(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )


class ConsortiumDetail(models.Model):
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="consortium", primary_key=True)

    # 申报单位基本信息
    unit_name = models.CharField(_("申报单位"), max_length=200, blank=True)
    # 如为园区，则补充管理公司名称，如“xx园区；xx公司”
    is_park = models.BooleanField(_("申报单位为科技型园区"), default=False)
    park_company = models.CharField(_("管理公司名称"), max_length=200, blank=True)
    unit_nature = models.CharField(_("单位性质"), max_length=16, choices=UnitNature.choices, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    # 开户银行/银行账号: 公益1类事业单位或已承接浦东、徐汇相同项目的不用填 (CO-5)
    already_undertaking = models.BooleanField(_("已承接浦东、徐汇相同项目"), default=False)
    bank_name = models.CharField(_("开户银行"), max_length=200, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True, validators=[validate_postcode])

    # 人员信息: 姓名 / 身份证号码 / 电话（手机） / 电子邮箱 for each of three people.
    legal_rep_name = models.CharField(_("单位法人姓名"), max_length=50, blank=True)
    legal_rep_id = models.CharField(_("单位法人身份证号码"), max_length=18, blank=True, validators=[validate_ric])
    legal_rep_mobile = models.CharField(
        _("单位法人电话（手机）"), max_length=20, blank=True, validators=[validate_mobile]
    )
    legal_rep_email = models.CharField(_("单位法人电子邮箱"), max_length=254, blank=True, validators=[validate_email])
    leader_name = models.CharField(_("项目负责人姓名"), max_length=50, blank=True)
    leader_id = models.CharField(_("项目负责人身份证号码"), max_length=18, blank=True, validators=[validate_ric])
    leader_mobile = models.CharField(
        _("项目负责人电话（手机）"), max_length=20, blank=True, validators=[validate_mobile]
    )
    leader_email = models.CharField(_("项目负责人电子邮箱"), max_length=254, blank=True, validators=[validate_email])
    contact_name = models.CharField(_("项目联系人姓名"), max_length=50, blank=True)
    contact_id = models.CharField(_("项目联系人身份证号码"), max_length=18, blank=True, validators=[validate_ric])
    contact_mobile = models.CharField(
        _("项目联系人电话（手机）"), max_length=20, blank=True, validators=[validate_mobile]
    )
    contact_email = models.CharField(_("项目联系人电子邮箱"), max_length=254, blank=True, validators=[validate_email])

    main_business = models.TextField(_("单位主营业务范围"), blank=True)
    # seed 001 申报对象: 重点支持 3 + 6 产业 (CO-2, a priority badge)
    industry = models.CharField(_("所属产业"), max_length=16, choices=Industry.choices, blank=True)
    industry_other = models.CharField(_("其他产业名称"), max_length=100, blank=True)

    # seed 001 申报条件 企事业单位: 研发投入、研发团队和研发成果 (CO-3)
    rd_spending = _amount(_("研发投入（万元）"))
    rd_staff = _count(_("研发人员数量"))
    rd_results = models.TextField(_("研发成果"), blank=True)
    # seed 001 申报条件 科技型园区 (CO-4)
    park_entities = _count(_("区域内集聚产业创新主体数量"))
    park_leaders = models.TextField(_("产业链关键节点领军企业"), blank=True)
    park_university_cooperation = models.TextField(_("高校院所合作情况"), blank=True)
    # 已产生（形成）一批相关专利成果 (CO-3, CO-4)
    cooperation_patents = _count(_("专利成果数量"))

    # 申报单位承担项目能力基本情况 (≤1000 字) and 三、… 工作方案 (≤2000 字): CO-6
    capability_text = models.TextField(_("申报单位承担项目能力基本情况"), blank=True)
    plan_text = models.TextField(_("产学研运营联合体工作方案"), blank=True)

    # 绩效目标 (seed 001 工作目标 运营绩效显著提升; CO-7)
    deals_base = _count(_("专利许可、转让、作价入股次数（基准年度）"))
    deals_year1 = _count(_("专利许可、转让、作价入股次数（第一年目标）"))
    deals_year2 = _count(_("专利许可、转让、作价入股次数（第二年目标）"))
    patents_base = _count(_("专利数量（基准年度）"))
    patents_year1 = _count(_("专利数量（第一年目标）"))
    patents_year2 = _count(_("专利数量（第二年目标）"))
    value_base = _amount(_("成交金额（万元）（基准年度）"))
    value_year1 = _amount(_("成交金额（万元）（第一年目标）"))
    value_year2 = _amount(_("成交金额（万元）（第二年目标）"))
    received_base = _amount(_("实际到账金额（万元）（基准年度）"))
    received_year1 = _amount(_("实际到账金额（万元）（第一年目标）"))
    received_year2 = _amount(_("实际到账金额（万元）（第二年目标）"))

    # 四、项目组成员信息 — 项目负责人 (姓名, 身份证号码, 手机, 电子邮箱 are the ones above)
    leader_gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, blank=True)
    leader_education = models.CharField(_("学历"), max_length=50, blank=True)
    leader_title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    leader_specialty = models.CharField(_("现从事专业"), max_length=100, blank=True)
    leader_department = models.CharField(_("所在部门"), max_length=100, blank=True)
    leader_position = models.CharField(_("职务"), max_length=100, blank=True)
    leader_phone = models.CharField(_("固定电话"), max_length=30, blank=True, validators=[validate_phone])

    # 五、申报单位意见
    declaration_accepted = models.BooleanField(_("所提交的资料真实有效，并自愿承担相应责任。同意申报。"), default=False)

    class Meta:
        verbose_name = _("产学研运营联合体项目申报书")
        verbose_name_plural = _("产学研运营联合体项目申报书")

    def __str__(self) -> str:
        return self.display_name or str(self.filing)

    @property
    def display_name(self) -> str:
        """申报单位 as the form asks it written: “xx园区；xx公司” for a park."""
        if self.is_park and self.park_company.strip():
            return f"{self.unit_name.strip()}；{self.park_company.strip()}"
        return self.unit_name.strip()

    @property
    def industry_label(self) -> str:
        if self.industry == Industry.OTHER and self.industry_other.strip():
            return self.industry_other.strip()
        return str(Industry(self.industry).label) if self.industry else ""

    def target(self, metric: str) -> tuple:
        """(base, year1, year2) of one 绩效目标 metric."""
        return tuple(getattr(self, f"{metric}_{column}") for column, _label in TARGET_COLUMNS)


class ConsortiumPartner(models.Model):
    """One row of 产学研合作单位 (with its cooperation start date: CO-3's 合作期限3年以上)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="consortium_partners")
    position = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("单位名称"), max_length=200)
    started_on = models.DateField(_("合作开始日期"), null=True, blank=True)
    content = models.CharField(_("合作内容"), max_length=500, blank=True)
    patents = models.PositiveIntegerField(_("由此产生的专利数量"), null=True, blank=True)

    class Meta:
        verbose_name = _("产学研合作单位")
        verbose_name_plural = _("产学研合作单位")
        ordering = ["filing", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ConsortiumMember(models.Model):
    """One row of 四、项目组全部成员."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="consortium_members")
    position = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, validators=[validate_ric])
    department = models.CharField(_("所在部门"), max_length=100, blank=True)
    title = models.CharField(_("职务/职称"), max_length=100, blank=True)
    education = models.CharField(_("学历"), max_length=50, blank=True)
    specialty = models.CharField(_("现从事专业"), max_length=100, blank=True)
    task = models.CharField(_("承担任务"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("项目组成员")
        verbose_name_plural = _("项目组全部成员")
        ordering = ["filing", "position", "id"]

    def __str__(self) -> str:
        return self.name
