"""The 上海市知识产权运营服务集聚区 项目申报 of seed 004, field by field.

Seed 004 is a 申报指南 without an annexed form: the fields are what its 申报对象, 申报条件
(一)–(五), 工作绩效 1–4 and 工作任务 (一)–(八) ask an applicant to show, in the notice's
wording. Every field may be blank while the filing is a draft; the completeness rule (CL-0)
requires them all before submission, with "无" accepted where nothing applies (SPEC §2.1).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from filings.models import Filing
from filings.validators import validate_uscc


class Recognition(models.TextChoices):
    # seed 004 一: 获得认定的市级以上高新技术产业开发区、经济技术开发区等产业园区
    NATIONAL_HITECH = "national_hitech", _("国家级高新技术产业开发区")
    MUNICIPAL_HITECH = "municipal_hitech", _("市级高新技术产业开发区")
    NATIONAL_ETDZ = "national_etdz", _("国家级经济技术开发区")
    MUNICIPAL_ETDZ = "municipal_etdz", _("市级经济技术开发区")
    NATIONAL_OTHER = "national_other", _("国家级其他产业园区")
    MUNICIPAL_OTHER = "municipal_other", _("市级其他产业园区")
    # Offered so that an applicant can say so and be told at once (CL-1 fails).
    NONE = "none", _("未获得市级以上认定")


RECOGNISED = tuple(level for level in Recognition if level != Recognition.NONE)


class PartnerCategory(models.TextChoices):
    # seed 004 二（三）: 知识产权交易机构、商业银行、保险机构、知识产权服务机构
    EXCHANGE = "exchange", _("知识产权交易机构")
    BANK = "bank", _("商业银行")
    INSURER = "insurer", _("保险机构")
    SERVICE = "service", _("知识产权服务机构")


# seed 004 四 工作任务（一）–（八）: (field, the task's title, what the notice asks of it).
TASKS = (
    (
        "task1",
        _("（一）收集专利技术供需信息"),
        _(
            "开展中小微企业专利技术需求调研，收集需求信息不少于1000条，形成专利技术需求清单；获取高校专利供给"
            "技术目录，收集供给信息不少于100条；定时更新专利技术供需信息清单。"
        ),
    ),
    (
        "task2",
        _("（二）加强专利供需信息发布"),
        _("拓宽专利技术推广渠道，建设专利信息网上披露载体，通过线上线下各种形式公开发布专利供需信息清单。"),
    ),
    (
        "task3",
        _("（三）组织专利供需对接活动"),
        _(
            "丰富专利供需对接形式，举办专利技术对接会、拍卖会等活动，发挥知识产权服务机构和交易机构专业优势，"
            "推动专利供需活动取得实效。"
        ),
    ),
    (
        "task4",
        _("（四）做好专利许可备案、转让变更工作"),
        _(
            "指导企业在专利许可转让过程中到上海知识产权交易中心或上海技术交易所进场交易；帮助企业办理专利许可"
            "备案和转让变更。"
        ),
    ),
    (
        "task5",
        _("（五）推动专利商标质押融资工作"),
        _(
            "加强园区与金融机构的业务合作，组织开展银企对接，持续扩大专利商标质押融资覆盖范围和规模；帮助企业办理质押登记。"
        ),
    ),
    (
        "task6",
        _("（六）推动高价值专利培育"),
        _(
            "引导企业树立“高质量创造”和“高效益运用”的理念，坚持“转化存量”和“优化增量”两手抓，注重挖掘培育"
            "高价值专利，持续拓展专利海外布局。"
        ),
    ),
    (
        "task7",
        _("（七）开展知识产权运营宣传培训工作"),
        _(
            "组织开展知识产权运营相关宣传、培训、交流等活动，加强实务人才和管理人才队伍建设，每年组织开展"
            "知识产权运营服务对象满意度调查。"
        ),
    ),
    (
        "task8",
        _("（八）做好知识产权运营绩效管理工作"),
        _(
            "开展专利产业化实施、许可转让和作价入股成交金额与实际到账金额、受益中小微企业数量及其营业收入和"
            "就业人数等数据统计，定期向市知识产权局报送年度工作报告、满意度调查报告、数据统计报告等材料。"
        ),
    ),
)

# seed 004 三（二）工作绩效 1、2、4: (field prefix, label, unit) — a base-year value and a target
# for each year of the 2021至2023年 period. 绩效 3 (高价值专利培育) names no figure: a text.
TARGET_METRICS = (
    ("pledge_amount", _("专利商标质押融资金额"), _("万元")),
    ("pledge_projects", _("专利商标质押融资项目数量"), _("项")),
    ("sme_licences", _("中小微企业接受相关主体专利转让许可次数"), _("次")),
    ("sme_from_academia", _("接受高校院所专利转让许可的中小微企业数量"), _("家")),
    ("satisfaction", _("服务对象满意度"), _("%")),
)
TARGET_COLUMNS = (
    ("base", _("基准年度实际值")),
    ("year1", _("第一年目标值")),
    ("year2", _("第二年目标值")),
    ("year3", _("第三年目标值")),
)


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


def _amount(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )


def _percent(label):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


def _target(metric: str, label, unit, column_label):
    full = _("%(label)s（%(unit)s）（%(column)s）") % {"label": label, "unit": unit, "column": column_label}
    if metric == "pledge_amount":
        return _amount(full)
    if metric == "satisfaction":
        return _percent(full)
    return _count(full)


class ClusterDetail(models.Model):
    filing = models.OneToOneField(Filing, on_delete=models.PROTECT, related_name="cluster", primary_key=True)

    # seed 004 一 申报对象
    park_name = models.CharField(_("园区名称"), max_length=200, blank=True)
    manager_name = models.CharField(_("园区管理主体"), max_length=200, blank=True)
    district = models.CharField(_("所在区"), max_length=8, choices=District.choices, blank=True)
    recognition = models.CharField(_("园区认定级别"), max_length=20, choices=Recognition.choices, blank=True)
    recognition_document = models.CharField(_("认定文件名称及文号"), max_length=300, blank=True)
    is_ip_demo_park = models.BooleanField(_("市级以上知识产权试点示范园区"), default=False)

    # seed 004 二（一）科技创新主体集中 (CL-2)
    leading_industries = models.CharField(_("主导产业"), max_length=300, blank=True)
    hitech_count = _count(_("高新技术企业数量（家）"))
    sme_count = _count(_("中小微企业数量（家）"))

    # seed 004 二（二）知识产权工作基础扎实 (CL-3)
    ip_department = models.CharField(_("园区知识产权管理部门名称"), max_length=200, blank=True)
    ip_staff = _count(_("知识产权工作人员数量（人）"))
    ip_policies = models.TextField(_("知识产权政策措施"), blank=True)
    ip_funding = models.TextField(_("知识产权工作经费保障"), blank=True)

    # seed 004 二（五）(CL-6)
    no_bad_credit = models.BooleanField(_("近三年园区管理主体无不良信用记录"), default=False)
    no_mass_infringement = models.BooleanField(_("近三年无群体性知识产权侵权案件"), default=False)

    # seed 004 四 工作任务（一）–（八）
    task1 = models.TextField(TASKS[0][1], blank=True, help_text=TASKS[0][2])
    task2 = models.TextField(TASKS[1][1], blank=True, help_text=TASKS[1][2])
    task3 = models.TextField(TASKS[2][1], blank=True, help_text=TASKS[2][2])
    task4 = models.TextField(TASKS[3][1], blank=True, help_text=TASKS[3][2])
    task5 = models.TextField(TASKS[4][1], blank=True, help_text=TASKS[4][2])
    task6 = models.TextField(TASKS[5][1], blank=True, help_text=TASKS[5][2])
    task7 = models.TextField(TASKS[6][1], blank=True, help_text=TASKS[6][2])
    task8 = models.TextField(TASKS[7][1], blank=True, help_text=TASKS[7][2])

    # seed 004 三（二）工作绩效 1、2、4
    pledge_amount_base = _target("pledge_amount", *TARGET_METRICS[0][1:], TARGET_COLUMNS[0][1])
    pledge_amount_year1 = _target("pledge_amount", *TARGET_METRICS[0][1:], TARGET_COLUMNS[1][1])
    pledge_amount_year2 = _target("pledge_amount", *TARGET_METRICS[0][1:], TARGET_COLUMNS[2][1])
    pledge_amount_year3 = _target("pledge_amount", *TARGET_METRICS[0][1:], TARGET_COLUMNS[3][1])
    pledge_projects_base = _target("pledge_projects", *TARGET_METRICS[1][1:], TARGET_COLUMNS[0][1])
    pledge_projects_year1 = _target("pledge_projects", *TARGET_METRICS[1][1:], TARGET_COLUMNS[1][1])
    pledge_projects_year2 = _target("pledge_projects", *TARGET_METRICS[1][1:], TARGET_COLUMNS[2][1])
    pledge_projects_year3 = _target("pledge_projects", *TARGET_METRICS[1][1:], TARGET_COLUMNS[3][1])
    sme_licences_base = _target("sme_licences", *TARGET_METRICS[2][1:], TARGET_COLUMNS[0][1])
    sme_licences_year1 = _target("sme_licences", *TARGET_METRICS[2][1:], TARGET_COLUMNS[1][1])
    sme_licences_year2 = _target("sme_licences", *TARGET_METRICS[2][1:], TARGET_COLUMNS[2][1])
    sme_licences_year3 = _target("sme_licences", *TARGET_METRICS[2][1:], TARGET_COLUMNS[3][1])
    sme_from_academia_base = _target("sme_from_academia", *TARGET_METRICS[3][1:], TARGET_COLUMNS[0][1])
    sme_from_academia_year1 = _target("sme_from_academia", *TARGET_METRICS[3][1:], TARGET_COLUMNS[1][1])
    sme_from_academia_year2 = _target("sme_from_academia", *TARGET_METRICS[3][1:], TARGET_COLUMNS[2][1])
    sme_from_academia_year3 = _target("sme_from_academia", *TARGET_METRICS[3][1:], TARGET_COLUMNS[3][1])
    satisfaction_base = _target("satisfaction", *TARGET_METRICS[4][1:], TARGET_COLUMNS[0][1])
    satisfaction_year1 = _target("satisfaction", *TARGET_METRICS[4][1:], TARGET_COLUMNS[1][1])
    satisfaction_year2 = _target("satisfaction", *TARGET_METRICS[4][1:], TARGET_COLUMNS[2][1])
    satisfaction_year3 = _target("satisfaction", *TARGET_METRICS[4][1:], TARGET_COLUMNS[3][1])
    # 绩效 3: 每万人口高价值发明专利拥有量逐年上升，专利海外布局数量显著增长
    high_value_target = models.TextField(_("高价值专利培育目标"), blank=True)

    # 申报单位意见
    declaration_accepted = models.BooleanField(_("所提交的资料真实有效，并自愿承担相应责任。同意申报。"), default=False)

    class Meta:
        verbose_name = _("知识产权运营服务集聚区项目申报书")
        verbose_name_plural = _("知识产权运营服务集聚区项目申报书")

    def __str__(self) -> str:
        return self.park_name or str(self.filing)

    def target(self, metric: str) -> tuple:
        """(base, year1, year2, year3) of one 工作绩效 metric."""
        return tuple(getattr(self, f"{metric}_{column}") for column, _label in TARGET_COLUMNS)


class ClusterPartner(models.Model):
    """One 战略合作 partner of the park (seed 004 二（三）), with its 双证 staff if a 服务机构 (二（四）)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="cluster_partners")
    position = models.PositiveIntegerField(_("序号"), default=0)
    category = models.CharField(_("机构类别"), max_length=16, choices=PartnerCategory.choices)
    name = models.CharField(_("机构名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, validators=[validate_uscc])
    agreement_date = models.DateField(_("战略合作协议签订日期"), null=True, blank=True)
    # 知识产权服务机构 only: 具有“专利代理师”和“技术经纪人”双证资质的从业人员
    dual_certified_staff = models.PositiveIntegerField(_("双证资质从业人员数量（人）"), null=True, blank=True)
    dual_certified_names = models.CharField(_("双证资质从业人员姓名"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("合作机构")
        verbose_name_plural = _("合作机构")
        ordering = ["filing", "position", "id"]
        indexes = [models.Index(fields=["uscc", "category"])]

    def __str__(self) -> str:
        return self.name
