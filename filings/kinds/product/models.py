"""The 专利产品备案 of seed 003 附件, field by field.

Two things are recorded: the 备案主体 (the organisation, audited once — seed 003 附件 二.1) and
each 备案产品 (a Filing with its ProductDetail and the patents it uses — 附件 二.2). Every field of
a product may be blank while it is a draft; the completeness rule (PR-0) requires them all before
submission, with "无" accepted where nothing applies (SPEC §2.1).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from filings.models import Filing, ScannedUpload
from filings.validators import validate_email, validate_mobile, validate_patent_number


class SubjectType(models.TextChoices):
    # seed 003 附件 一.1（1）: 具备独立法人资格的企业、高校院所、新型研发机构和社会组织
    ENTERPRISE = "enterprise", _("企业")
    ACADEMIC = "academic", _("高校院所")
    NEW_RD = "new_rd", _("新型研发机构")
    SOCIAL = "social", _("社会组织")
    # Offered so that a subject can say so and be told at once (PR-1 fails).
    OTHER = "other", _("其他")


ALLOWED_SUBJECT_TYPES = (SubjectType.ENTERPRISE, SubjectType.ACADEMIC, SubjectType.NEW_RD, SubjectType.SOCIAL)


class SubjectState(models.TextChoices):
    DRAFT = "draft", _("未提交")
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("退回")


def pledge_path(instance: "ProductSubject", filename: str) -> str:
    # The stored name carries no user text: the name shown is kept in the row.
    return f"product-subjects/{instance.organisation_id}/{uuid.uuid4().hex}{instance.pledge_extension}"


class ProductSubject(ScannedUpload):
    """The 备案主体: real-name details and 诚信承诺书, audited once per organisation (seed 003 附件 二.1)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="product_subject", primary_key=True
    )
    subject_type = models.CharField(_("主体类型"), max_length=16, choices=SubjectType.choices, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("手机"), max_length=20, blank=True, validators=[validate_mobile])
    contact_email = models.CharField(_("电子邮箱"), max_length=254, blank=True, validators=[validate_email])
    pledge = models.FileField(_("诚信承诺书"), upload_to=pledge_path, max_length=200, blank=True)
    pledge_name = models.CharField(_("文件名"), max_length=200, blank=True)
    pledge_content_type = models.CharField(max_length=40, blank=True)
    pledge_size = models.PositiveBigIntegerField(null=True, blank=True)
    pledge_sha256 = models.CharField(max_length=64, blank=True)
    # ScannedUpload: the 诚信承诺书 is what the virus scan holds back.
    scanned_file = "pledge"
    state = models.CharField(_("审核状态"), max_length=16, choices=SubjectState.choices, default=SubjectState.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("专利产品备案主体")
        verbose_name_plural = _("专利产品备案主体")

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def pledge_extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.pledge_content_type, "")

    @property
    def is_approved(self) -> bool:
        return self.state == SubjectState.APPROVED

    def scan_infected(self) -> list[str]:
        # Refused: back to the applicant, who uploads a clean one; staff never see it.
        if self.state != SubjectState.PENDING:
            return []
        self.state = SubjectState.RETURNED
        self.review_comment = str(_("上传的诚信承诺书未通过病毒扫描，已拦截，请重新上传。"))
        return ["state", "review_comment"]


def _amount(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )


class ProductDetail(models.Model):
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="product", primary_key=True)

    # seed 003 附件 二.2: 备案产品的基本信息; 一.3（1）同一型号或品种的产品应作为一件产品进行备案
    product_name = models.CharField(_("产品名称"), max_length=200, blank=True)
    model = models.CharField(_("型号/品种"), max_length=200, blank=True)
    variants = models.TextField(
        _("同一型号下的颜色、大小、配置等"),
        blank=True,
        help_text=_("不同颜色、大小、配置等归类为同一备案产品，每行一项；没有的填“无”。"),
    )
    industry = models.CharField(_("所属产业"), max_length=100, blank=True)

    # seed 003 附件 一.2（2）已取得较好的市场经济效益; 二.2 经济数据
    sales = _amount(_("上年度销售额（万元）"))
    exports = _amount(_("上年度出口额（万元）"))
    profit = models.DecimalField(_("上年度利润（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    ip_investment = _amount(_("上年度知识产权投入（万元）"))

    class Meta:
        verbose_name = _("专利产品")
        verbose_name_plural = _("专利产品")

    def __str__(self) -> str:
        return self.product_name or str(self.filing)


class PatentRole(models.TextChoices):
    # seed 003 附件 一.1（2）: 备案主体应当是制造、销售专利产品的专利权人或被许可人
    HOLDER = "holder", _("专利权人")
    LICENSEE = "licensee", _("被许可人")


class ProductPatent(models.Model):
    """One patent the product uses (seed 003 附件 二.2 声明所使用专利的情况)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="product_patents")
    position = models.PositiveIntegerField(_("序号"), default=0)
    number = models.CharField(_("专利号"), max_length=20, validators=[validate_patent_number])
    role = models.CharField(_("备案主体身份"), max_length=16, choices=PatentRole.choices, blank=True)
    licence_number = models.CharField(_("许可合同备案号"), max_length=60, blank=True)
    no_dispute = models.BooleanField(_("声明该专利不存在权属纠纷"), default=False)

    class Meta:
        verbose_name = _("所使用专利")
        verbose_name_plural = _("所使用专利")
        ordering = ["filing", "position", "id"]

    def __str__(self) -> str:
        return self.number


class ProductYearlyData(models.Model):
    """Last year's economic data of a registered product, updated by its holder each first quarter."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="product_yearly")
    year = models.PositiveSmallIntegerField(_("年度"))
    sales = _amount(_("销售额（万元）"))
    exports = _amount(_("出口额（万元）"))
    profit = models.DecimalField(_("利润（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    ip_investment = _amount(_("知识产权投入（万元）"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("填报时间"))

    class Meta:
        verbose_name = _("年度经济数据")
        verbose_name_plural = _("年度经济数据")
        ordering = ["filing", "-year"]
        constraints = [models.UniqueConstraint(fields=["filing", "year"], name="product_yearly_once_per_year")]

    def __str__(self) -> str:
        return f"{self.filing} {self.year}"
