"""Demo alliance filings at every stage of the review, made through the real services,
so that a first run shows a populated staff queue, expert assignments, a running
publicity batch and registry entries."""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import District, Organisation, OrganisationType, Role, User
from filings import services as filing_services
from filings.kinds.alliance.models import AllianceDetail, AllianceMember, AllianceType, MemberCategory, PatentPool
from filings.materials import material_upload
from filings.models import Call, Filing
from review.audit import services as audit_services
from review.experts import services as experts_services
from review.models import AuditRecord, ExpertAssignment
from review.publicity import services as publicity_services
from review.registry import services as registry_services

# A one-page PDF, enough for the demo's uploaded materials (with its cross-reference table:
# uploads are opened with pypdf).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\nxref\n0 4\n0000000000 65535 f \n"
    b"0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\n"
    b"startxref\n164\n%%EOF\n"
)

# (alliance name, industry, district, division, stage)
ALLIANCES = [
    ("上海集成电路装备产业知识产权联盟", "集成电路", District.PUDONG, "310115", "draft"),
    ("上海生物医药创新药产业知识产权联盟", "生物医药", District.XUHUI, "310104", "submitted"),
    ("上海人工智能算力产业知识产权联盟", "人工智能", District.MINHANG, "310112", "returned"),
    ("上海新能源汽车电驱动产业知识产权联盟", "新能源汽车", District.JIADING, "310114", "expert_review"),
    ("上海高端医疗器械产业知识产权联盟", "高端装备", District.YANGPU, "310110", "reviewed"),
    ("上海航空航天材料产业知识产权联盟", "航空航天", District.CHANGNING, "310105", "publicity"),
    ("上海新材料石墨烯产业知识产权联盟", "新材料", District.BAOSHAN, "310113", "registered"),
]


def _uscc(division: str, serial: int) -> str:
    from stdnum.cn import uscc

    body = f"91{division}{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


def _applicant(name: str, district: str, division: str, index: int) -> User:
    organisation, _created = Organisation.objects.get_or_create(
        uscc=_uscc(division, 900000 + index),
        defaults={
            "name": name.replace("产业知识产权联盟", "科技有限公司").replace("上海", "上海示范", 1),
            "org_type": OrganisationType.ENTERPRISE,
            "district": district,
            "division_code": division,
            "address": f"上海市{district}示范路{index}号",
            "contact_name": "王联系",
            "contact_phone": "021-23170417",
        },
    )
    user = organisation.users.first()
    if user is None:
        from review.demo import DEMO_PASSWORD

        user = User.objects.create_user(
            f"applicant{index}@demo.example",
            DEMO_PASSWORD,
            name=f"申报人{index}",
            mobile="13800138000",
            role=Role.APPLICANT,
            organisation=organisation,
        )
    return user


def _fill(filing: Filing, name: str, industry: str) -> None:
    AllianceDetail.objects.filter(pk=filing.pk).update(
        contact_name="王联系",
        contact_title="知识产权部经理",
        contact_phone="021-23170417",
        contact_mobile="13800138000",
        contact_email="contact@demo.example",
        name=name,
        postcode="200120",
        founded_on=datetime.date(2023, 6, 1),
        industry=industry,
        alliance_type=AllianceType.COOPERATIVE,
        chair_name="张理事长",
        chair_phone="021-50801234",
        chair_title="发起单位 董事长",
        secretary_name="陈秘书长",
        secretary_phone="021-50805678",
        secretary_title="发起单位 知识产权总监",
        std_international=0,
        std_national=2,
        std_industry=3,
        count_enterprise=3,
        count_university=1,
        count_institute=0,
        count_service=0,
        count_financial=1,
        patent_office_name="联盟知识产权工作委员会",
        patent_staff_count=3,
        funding_source="成员单位会费及运营收益",
        tasks_text="加强产业关键领域知识产权运营，支撑成员单位创新发展，服务知识产权创新创业。",
        operation_text="建立工作例会和重大事项决策机制，按专利价值比例分配专利池运营收益，开展分层培训。",
        pool_text="围绕产业链关键节点构建专利池，成员以自有专利入池，池内交叉许可，对外打包许可。",
        declarant_name="张理事长",
        declaration_accepted=True,
    )
    rows = [
        (MemberCategory.ENTERPRISE, filing.organisation.name, "contributes", ""),
        (MemberCategory.ENTERPRISE, f"{industry}配套制造有限公司", "contributes", ""),
        (MemberCategory.ENTERPRISE, f"{industry}应用集团有限公司", "licensed", ""),
        (MemberCategory.UNIVERSITY, "上海示范大学", "", ""),
        (MemberCategory.FINANCIAL, "上海示范银行科技支行", "", "科技信贷、知识产权质押融资"),
    ]
    for position, (category, member, pool_role, business) in enumerate(rows, start=1):
        patents = category != MemberCategory.FINANCIAL
        AllianceMember.objects.create(
            filing=filing,
            category=category,
            position=position,
            name=member,
            amount=Decimal("5200.00"),
            inventions=40 if patents else None,
            utility_models=12 if patents else None,
            designs=2 if patents else None,
            main_business=business,
            pool_role=pool_role,
        )
    PatentPool.objects.create(
        filing=filing,
        position=1,
        name=f"{industry}核心技术专利池",
        chain_node=f"{industry}关键零部件",
        patent_count=48,
        description="成员自有专利入池，统一许可政策。",
    )
    user = filing.created_by
    for code in ("M2", "M3", "M4"):
        material_upload(
            filing=filing,
            code=code,
            uploaded_file=SimpleUploadedFile(f"{code}.pdf", DEMO_PDF, content_type="application/pdf"),
            actor=user,
        )
    filing.title = name
    filing.industry = industry
    filing.save(update_fields=["title", "industry"])


def load(call: Call, staff: User, experts: list[User]) -> int:
    """Creates the staged filings once; returns how many were made."""
    if Filing.objects.filter(call=call, title=ALLIANCES[0][0]).exists():
        return 0
    made = 0
    today = timezone.localdate()
    for index, (name, industry, district, division, stage) in enumerate(ALLIANCES, start=1):
        user = _applicant(name, district, division, index)
        filing = filing_services.filing_start(call=call, actor=user)
        _fill(filing, name, industry)
        made += 1
        if stage == "draft":
            continue
        filing_services.filing_submit(filing=filing, actor=user)
        if stage == "submitted":
            continue
        checklist = {key: True for key, _label in filing_services.kinds.get(filing.kind).audit_checklist}
        if stage == "returned":
            audit_services.audit_record(
                filing=filing,
                actor=staff,
                outcome=AuditRecord.Outcome.RETURN,
                checklist={**checklist, "m2_signed": False},
                comment="M2 章程缺少金融机构成员法定代表人签字，请补充后重新上传\n成员数量中“服务机构”应填“0”",
            )
            continue
        audit_services.audit_record(filing=filing, actor=staff, outcome=AuditRecord.Outcome.PASS, checklist=checklist)
        for expert in experts:
            experts_services.expert_assign(filing=filing, expert=expert, actor=staff)
        if stage == "expert_review":
            first = ExpertAssignment.objects.get(filing=filing, expert=experts[0])
            sheet = experts_services.score_sheet(call)
            experts_services.expert_score_submit(
                assignment=first,
                actor=experts[0],
                scores={c["key"]: c["max"] - 3 for c in sheet},
                recommendation="approve",
                comment="专利池运营基础较好，建议通过。",
            )
            continue
        for expert in experts:
            assignment = ExpertAssignment.objects.get(filing=filing, expert=expert)
            experts_services.expert_score_submit(
                assignment=assignment,
                actor=expert,
                scores={c["key"]: c["max"] - 2 for c in experts_services.score_sheet(call)},
                recommendation="approve",
                comment="符合联盟备案条件。",
            )
        experts_services.review_decide(filing=filing, actor=staff, approve=True, comment="专家评审通过。")
        if stage == "reviewed":
            continue
        if stage == "publicity":
            publicity_services.publicity_publish(call=call, filings=[filing], actor=staff, starts_on=today)
            continue
        publicity_services.publicity_publish(
            call=call, filings=[filing], actor=staff, starts_on=today - timedelta(days=21), allow_past_start=True
        )
        registry_services.filing_register(filing=filing, actor=staff)
    return made
