from django.forms.models import model_to_dict

from filings import kinds
from filings.steps import Step, jsonable
from filings.tests.sample_kind.forms import SampleForm
from filings.tests.sample_kind.models import SampleDetail
from filings.tests.sample_kind.rules import RULES

STEPS = [
    Step("basic", "基本信息", form=SampleForm),
    Step("materials", "证明材料", url_name="filings:materials"),
    Step("submit", "核对并提交", url_name="filings:submit"),
]

SPEC = kinds.KindSpec(
    code="SAMPLE",
    label="示例备案",
    number_prefix="SL",
    create_detail=lambda filing: SampleDetail.objects.create(filing=filing),
    detail=lambda filing: filing.sample_detail,
    title=lambda filing: filing.sample_detail.name,
    steps=STEPS,
    rules=RULES,
    materials=[kinds.MaterialSpec("M1", "其他材料", False, many=True)],
    snapshot=lambda filing: {"detail": jsonable(model_to_dict(filing.sample_detail, exclude=["filing"]))},
    industry=lambda filing: filing.sample_detail.industry,
    audit_checklist=(("complete", "材料齐全，内容真实"),),
    pdf_template="sample_kind/pdf.html",
    pipeline=kinds.AUDITED,
)
