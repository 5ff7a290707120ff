"""Registers the 知识产权运营服务集聚区 项目申报 (seed 004) with the shared machinery."""

from decimal import Decimal

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from filings import kinds
from filings.kinds.cluster import forms
from filings.kinds.cluster.models import TARGET_METRICS, ClusterDetail, ClusterPartner, PartnerCategory
from filings.kinds.cluster.rules import RULES, badges
from filings.steps import FormsetSpec, Step, jsonable, snapshot_rows

PARTNER_FIELDS = ["category", "name", "uscc", "agreement_date", "dual_certified_staff", "dual_certified_names"]


def _partners_table(prefix: str, category: PartnerCategory, form, help_text) -> FormsetSpec:
    return FormsetSpec(
        prefix,
        category.label,
        ClusterPartner,
        form,
        filter={"category": category},
        defaults={"category": category},
        help_text=help_text,
    )


# Seed 004 has no annexed form: the steps follow its 申报对象, 申报条件 (一)–(五), 工作任务 and 工作绩效,
# titled in its own words.
STEPS = [
    Step(
        "park",
        _("园区基本情况（申报对象、科技创新主体集中）"),
        form=forms.ParkForm,
        intro=_("各栏目不得空缺，无内容时填“无”。项目编号由系统分配，不需填写。"),
    ),
    Step("ip", _("知识产权工作基础扎实"), form=forms.IpForm),
    Step(
        "partners",
        _("知识产权运营生态良好（合作机构）"),
        formsets=(
            _partners_table(
                "exchanges",
                PartnerCategory.EXCHANGE,
                forms.PartnerForm,
                _("上海知识产权交易中心或上海技术交易所。"),
            ),
            _partners_table("banks", PartnerCategory.BANK, forms.PartnerForm, _("2家以上商业银行。")),
            _partners_table("insurers", PartnerCategory.INSURER, forms.PartnerForm, _("1家以上保险机构。")),
            _partners_table(
                "services",
                PartnerCategory.SERVICE,
                forms.ServicePartnerForm,
                _(
                    "2家以上知识产权服务机构。服务机构须具有“专利代理师”和“技术经纪人”双证资质的从业人员2名以上，"
                    "并且每家服务机构最多参与2个集聚区项目。"
                ),
            ),
        ),
        intro=_(
            "园区分别与知识产权交易机构、2家以上商业银行、1家以上保险机构、2家以上知识产权服务机构建立知识产权运营"
            "工作战略合作关系。请在“申报材料”中上传与各合作机构的战略合作协议。"
        ),
    ),
    Step(
        "credit",
        _("信用承诺"),
        form=forms.CreditForm,
        intro=_("近三年园区管理主体无不良信用记录，无群体性知识产权侵权案件。"),
    ),
    Step(
        "tasks",
        _("工作任务"),
        form=forms.TasksForm,
        intro=_("请对照工作任务（一）至（八）逐项填写工作方案，无内容时填“无”。"),
    ),
    Step("targets", _("工作绩效"), form=forms.TargetsForm, template="filings/cluster/targets.html"),
    Step("declaration", _("申报单位意见"), form=forms.DeclarationForm),
    Step("materials", _("申报材料"), url_name="filings:materials"),
    Step("submit", _("核对并提交"), url_name="filings:submit"),
]

MATERIALS = [
    kinds.MaterialSpec(
        "M1",
        _("签字盖章的申报书扫描件"),
        False,
        _("提交后下载系统生成的申报书PDF，签名并加盖公章后扫描上传。"),
        after_submission=True,
    ),
    kinds.MaterialSpec("M2", _("园区认定文件"), True, _("市级以上高新技术产业开发区、经济技术开发区等的认定文件。")),
    kinds.MaterialSpec(
        "M3",
        _("与各合作机构的战略合作协议"),
        True,
        _("与知识产权交易机构、商业银行、保险机构、知识产权服务机构签订的战略合作协议，每家合作机构一份。"),
        many=True,
    ),
    kinds.MaterialSpec(
        "M4",
        _("信用承诺/证明"),
        True,
        _("近三年园区管理主体无不良信用记录、无群体性知识产权侵权案件的承诺或证明。"),
        many=True,
    ),
    kinds.MaterialSpec(
        "M5",
        _("其他"),
        False,
        _("如服务机构从业人员的专利代理师、技术经纪人资格证书复印件等。"),
        many=True,
    ),
]


def create_detail(filing) -> None:
    """A new 申报书: the account's organisation is the park's management body."""
    organisation = filing.organisation
    ClusterDetail.objects.create(filing=filing, manager_name=organisation.name, district=organisation.district)


def title(filing) -> str:
    return filing.cluster.park_name.strip()


def snapshot(filing) -> dict:
    detail = filing.cluster
    data = jsonable(model_to_dict(detail, exclude=["filing"]))
    data.update(
        # The key the public verification page reads a version's frozen name from.
        name=detail.park_name,
        recognition_label=detail.get_recognition_display() if detail.recognition else "",
    )
    # By category in the notice's order, then as entered: each category is its own table on the form.
    order = list(PartnerCategory.values)
    rows = sorted(filing.cluster_partners.all(), key=lambda p: (order.index(p.category), p.position, p.pk))
    partners = snapshot_rows(rows, PARTNER_FIELDS)
    labels = dict(PartnerCategory.choices)
    for row in partners:
        row["category_label"] = str(labels.get(row["category"], row["category"]))
    return {"detail": data, "partners": partners}


def industry(filing) -> str:
    return filing.cluster.leading_industries


def parties(filing) -> list[str]:
    # Every partner by name and USCC: an expert working for one of them is in conflict.
    return [
        value for row in filing.cluster_partners.values_list("name", "uscc") for value in row if value and value.strip()
    ]


# The guide names no score sheet; these criteria follow its 申报条件 (一)–(四) and 工作任务 (一)–(八)
# with 工作绩效 (seed 004), weighted by how much of the guide each takes. Staff may set another per call.
SCORE_SHEET = (
    {
        "key": "entities",
        "label": "科技创新主体集中：主导产业方向与规模、高新技术企业和中小微企业集聚（申报条件（一））",
        "max": 15,
    },
    {
        "key": "foundation",
        "label": "知识产权工作基础：管理部门与人员、政策措施、经费保障、服务全区的意愿和能力（申报条件（二））",
        "max": 20,
    },
    {
        "key": "ecosystem",
        "label": "运营生态：与交易机构、银行、保险、服务机构的战略合作及服务机构双证人员（申报条件（三）（四））",
        "max": 20,
    },
    {
        "key": "tasks",
        "label": "工作方案：专利供需信息、对接活动、许可转让、质押融资、高价值专利培育、宣传培训、绩效管理（工作任务（一）至（八））",
        "max": 30,
    },
    {
        "key": "targets",
        "label": "绩效目标：质押融资、专利转让许可年均增幅、高价值专利、满意度不低于90%（工作绩效 1–4）",
        "max": 15,
    },
)

# The material audit works from the notice (SPEC §4): seed 004 申报对象, 申报条件 (一)–(五).
AUDIT_CHECKLIST = (
    ("m1_signed", "M1 申报书已签名并加盖公章，与系统生成的版本一致"),
    ("m2_recognition", "M2 园区认定文件：市级以上高新技术产业开发区、经济技术开发区等产业园区（申报对象）"),
    (
        "m3_agreements",
        "M3 与交易机构、2家以上商业银行、1家以上保险机构、2家以上服务机构的战略合作协议齐全、已签章（申报条件（三））",
    ),
    ("dual_certified", "每家服务机构双证资质（专利代理师、技术经纪人）从业人员2名以上，有证书为证（申报条件（四））"),
    ("m4_credit", "M4 信用承诺/证明：近三年园区管理主体无不良信用记录，无群体性知识产权侵权案件（申报条件（五））"),
    ("counts", "高新技术企业、中小微企业数量与园区所在区的要求相符（申报条件（一））"),
)


# The yearly reports after 立项 (seed 004 三（二）工作绩效, 四（一）, 四（七）, 四（八）): the 数据统计报告's
# figures, each with the notice's floor where it names one.
_RATE_30 = Decimal("0.30")
_RATE_20 = Decimal("0.20")
REPORT_METRICS = (
    kinds.ReportMetric(
        "pledge_amount",
        _("专利商标质押融资登记金额"),
        _("万元"),
        2,
        None,
        kinds.GROWTH,
        _RATE_30,
        "seed 004 三（二）1",
    ),
    kinds.ReportMetric(
        "pledge_projects",
        _("专利商标质押融资登记项目数"),
        _("项"),
        0,
        None,
        kinds.GROWTH,
        _RATE_20,
        "seed 004 三（二）1",
    ),
    kinds.ReportMetric(
        "sme_licences",
        _("中小微企业接受相关主体专利转让许可次数"),
        _("次"),
        0,
        None,
        kinds.GROWTH,
        _RATE_20,
        "seed 004 三（二）2",
    ),
    kinds.ReportMetric(
        "sme_from_academia",
        _("接受高校院所专利转让许可的中小微企业数量"),
        _("家"),
        0,
        None,
        kinds.GROWTH,
        _RATE_20,
        "seed 004 三（二）2",
    ),
    kinds.ReportMetric(
        "satisfaction",
        _("服务对象满意度"),
        "%",
        2,
        Decimal("100"),
        kinds.LEVEL,
        Decimal("90"),
        "seed 004 三（二）4",
    ),
    kinds.ReportMetric(
        "demand_items",
        _("收集专利技术需求信息"),
        _("条"),
        0,
        None,
        kinds.TOTAL,
        Decimal("1000"),
        "seed 004 四（一）",
    ),
    kinds.ReportMetric(
        "supply_items", _("收集专利技术供给信息"), _("条"), 0, None, kinds.TOTAL, Decimal("100"), "seed 004 四（一）"
    ),
    kinds.ReportMetric("deals", _("专利许可、转让、作价入股次数"), _("次"), clause="seed 004 四（八）"),
    kinds.ReportMetric("patents", _("专利数量"), _("件"), clause="seed 004 四（八）"),
    kinds.ReportMetric("value", _("成交金额"), _("万元"), 2, clause="seed 004 四（八）"),
    kinds.ReportMetric("received", _("实际到账金额"), _("万元"), 2, clause="seed 004 四（八）"),
    kinds.ReportMetric("sme_count", _("受益中小微企业数量"), _("家"), clause="seed 004 四（八）"),
    kinds.ReportMetric("sme_revenue", _("受益中小微企业营业收入"), _("万元"), 2, clause="seed 004 四（八）"),
    kinds.ReportMetric("sme_employees", _("受益中小微企业就业人数"), _("人"), clause="seed 004 四（八）"),
)

REPORT_MATERIALS = (
    kinds.MaterialSpec("R1", _("年度工作报告"), True, _("向市知识产权局报送的年度工作报告，盖章后扫描上传。")),
    kinds.MaterialSpec(
        "R2",
        _("服务对象满意度调查报告"),
        True,
        _("每年开展服务对象满意度调查形成的年度调查报告。"),
    ),
    kinds.MaterialSpec("R9", _("其他相关材料"), False, many=True),
)


def report_targets(filing) -> dict[str, tuple]:
    detail = filing.cluster
    return {metric: detail.target(metric) for metric, _label, _unit in TARGET_METRICS}


SPEC = kinds.KindSpec(
    code="CLUSTER",
    label=_("上海市知识产权运营服务集聚区项目申报"),
    number_prefix="JJQ",
    create_detail=create_detail,
    detail=lambda filing: filing.cluster,
    title=title,
    steps=STEPS,
    rules=RULES,
    rule_reads=("cluster", "cluster_partners"),
    badges=badges,
    materials=MATERIALS,
    snapshot=snapshot,
    industry=industry,
    parties=parties,
    # Blind review (Call.blind_review): the applicant and its people.
    blind_fields=frozenset({"manager_name", "clusterpartner.dual_certified_names"}),
    score_sheet=SCORE_SHEET,
    audit_checklist=AUDIT_CHECKLIST,
    pdf_template="pdf/cluster.html",
    report_metrics=REPORT_METRICS,
    report_targets=report_targets,
    report_materials=REPORT_MATERIALS,
    # seed 004 三（二）: 2021至2023年 — a task period of three years (第一年、第二年、第三年目标).
    report_years=3,
    registration_template="pdf/cluster_registration.html",
    registration_document_name="立项通知",
)
