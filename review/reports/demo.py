"""Demo yearly reports: a 立项 consortium and a 立项 cluster of last year's calls, each with its
first year's report accepted and this year's report due, made through the reports' services.

The filings up to 立项 are written directly (their review is shown by the alliance demo); their
details are filled through the kinds' registry, so this module names no kind's models.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from filings import kinds
from filings.models import Call, Filing
from filings.states import State
from review.reports import services
from review.reports.models import ReportSchedule

# A one-page PDF, enough for the demo's uploads.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (kind, call title, registry format, project title, {metric: (base, year1, year2, …)}, first year's figures)
PROJECTS = (
    (
        "CONSORTIUM",
        "上海市知识产权产学研运营联合体项目申报（上一批次）",
        "沪知产学研〔{year}〕第{seq:03d}号",
        "上海示范智能装备产学研运营联合体",
        {
            "deals": (20, 26, 34),
            "patents": (40, 52, 68),
            "value": (Decimal("500.00"), Decimal("650.00"), Decimal("845.00")),
            "received": (Decimal("300.00"), Decimal("390.00"), Decimal("507.00")),
        },
        {
            "deals": 28,
            "patents": 50,
            "value": Decimal("700.00"),
            "received": Decimal("380.00"),
            "pledge_projects": 4,
            "pledge_amount": Decimal("1200.00"),
            "sme_count": 35,
            "sme_revenue": Decimal("52000.00"),
            "sme_employees": 1800,
        },
    ),
    (
        "CLUSTER",
        "上海市知识产权运营服务集聚区项目申报（上一批次）",
        "沪知集聚〔{year}〕第{seq:03d}号",
        "上海示范高新技术产业开发区",
        {
            "pledge_amount": (Decimal("2000.00"), Decimal("2600.00"), Decimal("3380.00"), Decimal("4394.00")),
            "pledge_projects": (20, 24, 29, 35),
            "sme_licences": (150, 180, 216, 260),
            "sme_from_academia": (30, 36, 44, 53),
            "satisfaction": (Decimal("90.00"), Decimal("91.00"), Decimal("92.00"), Decimal("93.00")),
        },
        {
            "pledge_amount": Decimal("2700.00"),
            "pledge_projects": 23,
            "sme_licences": 190,
            "sme_from_academia": 37,
            "satisfaction": Decimal("93.50"),
            "demand_items": 450,
            "supply_items": 60,
            "deals": 45,
            "patents": 80,
            "value": Decimal("1500.00"),
            "received": Decimal("1100.00"),
            "sme_count": 120,
            "sme_revenue": Decimal("360000.00"),
            "sme_employees": 9000,
        },
    ),
)
COLUMNS = ("base", "year1", "year2", "year3")


def _registered(kind: str, call: Call, title: str, targets: dict, user, moment) -> Filing:
    filing = Filing.objects.create(
        kind=kind,
        call=call,
        organisation=user.organisation,
        created_by=user,
        state=State.REGISTERED,
        title=title,
        number=f"{kinds.get(kind).number_prefix}{call.year}-0001",
        registry_number=call.registry_number(1),
        registry_seq=1,
        registered_at=moment,
        submitted_at=moment - timedelta(days=60),
    )
    spec = kinds.get(kind)
    spec.create_detail(filing)
    detail = spec.detail(filing)
    # The 绩效目标 the filing declared: <metric>_base, <metric>_year1, … on the kind's detail.
    for metric, values in targets.items():
        for column, value in zip(COLUMNS, values, strict=False):
            setattr(detail, f"{metric}_{column}", value)
    detail.save()
    return filing


def load(*, user, staff) -> int:
    """Creates the two 立项 projects and their reports once; returns how many projects were made."""
    today = timezone.localdate()
    last_year = today.year - 1
    made = 0
    for kind, call_title, number_format, title, targets, figures in PROJECTS:
        if not kinds.is_available(kind) or Filing.objects.filter(kind=kind, title=title).exists():
            continue
        moment = timezone.make_aware(datetime.datetime(last_year, 3, 15, 10))
        call, _created = Call.objects.get_or_create(
            kind=kind,
            title=call_title,
            defaults={
                "opens_at": moment - timedelta(days=120),
                "closes_at": moment - timedelta(days=90),
                "number_format": number_format,
                "year": last_year,
            },
        )
        ReportSchedule.objects.get_or_create(call=call, defaults={"first_year": last_year})
        filing = _registered(kind, call, title, targets, user, moment)
        # Last year's report: filled, uploaded, submitted and accepted.
        report = services.report_start(filing=filing, year=last_year, actor=user, today=today)
        services.report_save(report=report, actor=user, figures=figures, notes="数据取自项目工作台账。")
        for material in kinds.get(kind).report_materials:
            if material.required:
                upload = SimpleUploadedFile(f"{material.label}.pdf", DEMO_PDF, content_type="application/pdf")
                services.report_file_upload(report=report, code=material.code, uploaded_file=upload, actor=user)
        services.report_submit(report=report, actor=user)
        services.report_decide(report=report, actor=staff, accept=True)
        # This year's report is due (31 March next year by default): not started yet.
        made += 1
    return made
