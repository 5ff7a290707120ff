"""The 申请书 of seed 000's annex, field by field. Labels are the form's own wording.

Every field may be blank while the filing is a draft: the applicant saves step by
step. The completeness rule (filings.rules) requires them all before submission,
with "无" accepted where nothing applies (seed 000 填表说明 四).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from filings.models import Filing
from filings.validators import validate_email, validate_mobile, validate_phone, validate_postcode


class AllianceType(models.TextChoices):
    # seed 000 附件 联盟类型; seed 002 三(二) 组织形态
    ENTERPRISE = "enterprise", _("企业法人式")
    SOCIAL = "social", _("社会团体式")
    COOPERATIVE = "cooperative", _("合作组织式")
    OTHER = "other", _("其他形态")


class AllianceDetail(models.Model):
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="alliance", primary_key=True)

    # 封面
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_title = models.CharField(_("单位及职务"), max_length=100, blank=True)
    contact_phone = models.CharField(_("固定电话"), max_length=30, blank=True, validators=[validate_phone])
    contact_mobile = models.CharField(_("移动电话"), max_length=20, blank=True, validators=[validate_mobile])
    contact_email = models.CharField(_("电子邮箱"), max_length=254, blank=True, validators=[validate_email])

    # 一、联盟基本信息
    name = models.CharField(_("联盟名称"), max_length=200, blank=True)
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True, validators=[validate_postcode])
    founded_on = models.DateField(_("成立时间"), null=True, blank=True)
    industry = models.CharField(_("所属产业领域"), max_length=100, blank=True)
    alliance_type = models.CharField(_("联盟类型"), max_length=16, choices=AllianceType.choices, blank=True)
    # 企业法人式
    corp_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    corp_legal_rep = models.CharField(_("法人代表"), max_length=50, blank=True)
    corp_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    # 社会团体式 / 合作组织式
    chair_name = models.CharField(_("联盟理事长/协会会长"), max_length=50, blank=True)
    chair_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    chair_title = models.CharField(_("单位及职务"), max_length=100, blank=True)
    secretary_name = models.CharField(_("联盟秘书长"), max_length=50, blank=True)
    secretary_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    secretary_title = models.CharField(_("单位及职务"), max_length=100, blank=True)
    # 其他类型
    head_name = models.CharField(_("负责人"), max_length=50, blank=True)
    head_phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    head_title = models.CharField(_("单位及职务"), max_length=100, blank=True)

    # 主导或参与技术标准数量 (合计 is computed, never typed)
    std_international = models.PositiveIntegerField(_("国际标准"), null=True, blank=True)
    std_national = models.PositiveIntegerField(_("国家标准"), null=True, blank=True)
    std_industry = models.PositiveIntegerField(_("行业标准"), null=True, blank=True)

    # 成员数量 (合计 is computed; AL-7 checks each count against the member tables)
    count_enterprise = models.PositiveIntegerField(_("企业"), null=True, blank=True)
    count_university = models.PositiveIntegerField(_("高等学校"), null=True, blank=True)
    count_institute = models.PositiveIntegerField(_("科研机构"), null=True, blank=True)
    count_service = models.PositiveIntegerField(_("服务机构"), null=True, blank=True)
    count_financial = models.PositiveIntegerField(_("金融机构"), null=True, blank=True)

    # 管理体系
    patent_office_name = models.CharField(_("专利管理机构名称"), max_length=200, blank=True)
    patent_staff_count = models.PositiveIntegerField(_("专职管理人员数量"), null=True, blank=True)
    funding_source = models.CharField(_("经费来源"), max_length=500, blank=True)

    # seed 000 一.7: 已在国家知识产权局备案的联盟，请依据本通知要求重新备案 (AL-8)
    cnipa_filed = models.BooleanField(_("已在国家知识产权局备案"), default=False)
    # seed 002 五(二): 由专业服务机构第三方运作 (a priority badge)
    third_party_operated = models.BooleanField(_("由专业服务机构第三方运作"), default=False)

    # 三、四、五
    tasks_text = models.TextField(_("三、联盟任务"), blank=True)
    operation_text = models.TextField(_("四、联盟运行"), blank=True)
    pool_text = models.TextField(_("五、专利池运营"), blank=True)

    # 申请单位意见
    declarant_name = models.CharField(_("负责人"), max_length=50, blank=True)
    declaration_accepted = models.BooleanField(
        _("本单位保证所提供资料的真实有效，并承担因虚报材料可能引起的一切后果。"), default=False
    )

    class Meta:
        verbose_name = _("联盟备案申请书")
        verbose_name_plural = _("联盟备案申请书")

    def __str__(self) -> str:
        return self.name or str(self.filing)

    @property
    def std_total(self) -> int:
        return sum(v or 0 for v in (self.std_international, self.std_national, self.std_industry))

    @property
    def count_total(self) -> int:
        return sum(
            v or 0
            for v in (
                self.count_enterprise,
                self.count_university,
                self.count_institute,
                self.count_service,
                self.count_financial,
            )
        )


class MemberCategory(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高等学校")
    INSTITUTE = "institute", _("科研机构")
    SERVICE = "service", _("服务机构")
    FINANCIAL = "financial", _("金融机构")


class PoolRole(models.TextChoices):
    # seed 000 一.5: 联盟成员企业均应以自有专利加入专利池或者取得专利池的许可
    CONTRIBUTES = "contributes", _("以自有专利加入专利池")
    LICENSED = "licensed", _("取得专利池许可")
    NONE = "none", _("尚未加入或取得许可")


class AllianceMember(models.Model):
    """One row of 二、联盟成员信息. The three tables of the form share this model."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="alliance_members")
    category = models.CharField(_("类别"), max_length=16, choices=MemberCategory.choices)
    position = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("单位名称"), max_length=200)
    # 上年度营业收入 for enterprises, service and financial institutions; 上年度科研经费 for the others.
    amount = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    inventions = models.PositiveIntegerField(_("发明"), null=True, blank=True)
    utility_models = models.PositiveIntegerField(_("新型"), null=True, blank=True)
    designs = models.PositiveIntegerField(_("外观"), null=True, blank=True)
    main_business = models.CharField(_("主营业务"), max_length=300, blank=True)
    pool_role = models.CharField(_("与专利池的关系"), max_length=16, choices=PoolRole.choices, blank=True)

    class Meta:
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")
        ordering = ["filing", "category", "position", "id"]

    def __str__(self) -> str:
        return self.name


class PatentPool(models.Model):
    """专利池情况: 专利池 1, 2, …"""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="patent_pools")
    position = models.PositiveIntegerField(_("序号"), default=0)
    name = models.CharField(_("专利池（或专利组合）名称"), max_length=200)
    chain_node = models.CharField(_("围绕的产业链重要节点"), max_length=200)
    patent_count = models.PositiveIntegerField(_("专利数量（件）"))
    description = models.CharField(_("简要说明"), max_length=500)

    class Meta:
        verbose_name = _("专利池")
        verbose_name_plural = _("专利池")
        ordering = ["filing", "position", "id"]

    def __str__(self) -> str:
        return self.name
