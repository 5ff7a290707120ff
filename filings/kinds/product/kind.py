"""Registers the 专利产品备案 (seed 003) with the shared machinery."""

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from filings import kinds
from filings.kinds.product import forms
from filings.kinds.product.models import PatentRole, ProductDetail, ProductPatent
from filings.kinds.product.rules import RULES, subject_of
from filings.steps import FormsetSpec, Step, jsonable, snapshot_rows
from filings.validators import patent_type

PATENT_FIELDS = ["number", "role", "licence_number", "no_dispute"]

# Seed 003 附件 二 备案流程: the subject first (audited once), then the product, its economic data,
# the patents it uses and the proofs.
STEPS = [
    Step("subject", _("备案主体"), url_name="filings:product-subject-for"),
    Step(
        "product",
        _("备案产品基本信息"),
        form=forms.ProductForm,
        intro=_(
            "同一型号或品种的产品作为一件产品备案，不同颜色、大小、配置等归类为同一备案产品。相同产品不得重复备案。"
            "各栏目不得空缺，无内容时填“无”。"
        ),
    ),
    Step("economy", _("经济数据"), form=forms.EconomyForm, intro=_("填报备案产品上年度的经济数据，单位为万元。")),
    Step(
        "patents",
        _("所使用专利"),
        formsets=(
            FormsetSpec(
                "patents",
                _("所使用专利"),
                ProductPatent,
                forms.PatentForm,
                help_text=_(
                    "备案产品至少涉及一项有效专利，且不存在权属纠纷。备案主体应当是专利权人或被许可人；"
                    "被许可人须填写许可合同备案号。"
                ),
            ),
        ),
    ),
    Step("materials", _("证明材料"), url_name="filings:materials"),
    Step("submit", _("核对并提交"), url_name="filings:submit"),
]

MATERIALS = [
    kinds.MaterialSpec(
        "M1",
        _("专利证书或专利登记簿副本"),
        True,
        _("所使用专利的证书或登记簿副本；被许可人另附专利实施许可合同备案证明。"),
        many=True,
    ),
    kinds.MaterialSpec(
        "M2",
        _("经济数据证明"),
        True,
        _("上年度销售额、出口额、利润等的证明材料，如财务报表、销售合同、发票等。"),
        many=True,
    ),
    kinds.MaterialSpec("M3", _("产品照片或说明"), False, _("产品照片、说明书等。"), many=True),
    kinds.MaterialSpec("M4", _("其他"), False, many=True),
]


def create_detail(filing) -> None:
    ProductDetail.objects.create(filing=filing)


def title(filing) -> str:
    detail = filing.product
    return " ".join(part for part in (detail.product_name.strip(), detail.model.strip()) if part)


def snapshot(filing) -> dict:
    detail = filing.product
    data = jsonable(model_to_dict(detail, exclude=["filing"]))
    subject = subject_of(filing)
    data.update(
        # The key the public verification page reads a version's frozen name from.
        name=title(filing),
        holder=filing.organisation.name,
        holder_uscc=filing.organisation.uscc,
        subject_type=subject.get_subject_type_display() if subject and subject.subject_type else "",
    )
    patents = snapshot_rows(filing.product_patents.all(), PATENT_FIELDS)
    roles = dict(PatentRole.choices)
    for row in patents:
        row["role_label"] = str(roles.get(row["role"], row["role"]))
        try:
            row["type_label"] = patent_type(row["number"])
        except ValidationError:  # an invalid number is PR-3's to report
            row["type_label"] = ""
    return {"detail": data, "patents": patents}


def industry(filing) -> str:
    return filing.product.industry


# What staff check in the product audit (seed 003 附件 一.2, 二.3 试点平台对备案产品信息进行核查).
AUDIT_CHECKLIST = (
    (
        "m1_patents",
        "M1 专利证书或登记簿副本与所填专利一致，专利有效；被许可人附许可合同备案证明（附件 一.1（2）、一.2（1））",
    ),
    ("no_dispute", "所用专利不存在权属纠纷（附件 一.2（1））"),
    ("m2_economy", "M2 经济数据证明与所填销售额、出口额、利润相符，已取得较好的市场经济效益（附件 一.2（2））"),
    ("one_model", "同一型号或品种作为一件产品，颜色、大小、配置等已归入同一产品（附件 一.3（1））"),
)


SPEC = kinds.KindSpec(
    code="PRODUCT",
    label=_("专利产品备案"),
    number_prefix="ZLCP",
    create_detail=create_detail,
    detail=lambda filing: filing.product,
    title=title,
    steps=STEPS,
    rules=RULES,
    rule_reads=("organisation", "product", "product_patents"),
    materials=MATERIALS,
    snapshot=snapshot,
    industry=industry,
    audit_checklist=AUDIT_CHECKLIST,
    pdf_template="pdf/product.html",
    document_on_registration=True,
    pipeline=kinds.AUDITED,
    urls="filings.kinds.product.urls",
    staff_urls="filings.kinds.product.staff_urls",
    applicant_links=(("filings:product-subject", _("专利产品备案主体")),),
    staff_links=(
        ("review:product-subjects", _("备案主体审核")),
        ("review:product-yearly-missing", _("年度数据未更新")),
    ),
)
