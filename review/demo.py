"""Demo data: one open call per kind (the seeds' notices), one closed call, and an
account for every role. Loading twice changes nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Area, District, Organisation, OrganisationType, Role, User
from filings.models import Call
from review import demo_filings
from review.reports import demo as demo_reports

DEMO_PASSWORD = "Shanghai-IP-2024"

# (kind, title, notice number, registry-number format) — titles and numbers as in the seeds.
CALLS = [
    (
        "ALLIANCE",
        "关于开展2024年上海市产业知识产权联盟备案的通知",
        "沪知局促〔2024〕40号",
        "沪知联备〔{year}〕第{seq:03d}号",
    ),
    ("CONSORTIUM", "上海市知识产权产学研运营联合体项目申报", "", "沪知产学研〔{year}〕第{seq:03d}号"),
    ("CLUSTER", "上海市知识产权运营服务集聚区项目申报", "", "沪知集聚〔{year}〕第{seq:03d}号"),
    ("PRODUCT", "上海市知识产权局关于组织开展专利产品备案工作的通知", "", "沪知产品备〔{year}〕第{seq:05d}号"),
]

# The contacts the notices themselves give (seed 000 三; seed 001 联系方式及材料报送地址).
CONTACTS = {
    "ALLIANCE": "联系人：和月磊；联系电话：23170417；联系地址：浦东新区世博村路300号1号楼",
    "CONSORTIUM": "联系人：知识产权发展促进处 章志祥 孔元中；联系电话：021-23110887；地址：世博村路300号1号楼305室",
}

ACCOUNTS = [
    # (e-mail, name, role, mobile)
    ("applicant@demo.example", "张明", Role.APPLICANT, "13812345678"),
    ("staff@demo.example", "李审核", Role.STAFF, "13912345678"),
    ("expert1@demo.example", "王专家", Role.EXPERT, "13712345671"),
    ("expert2@demo.example", "赵专家", Role.EXPERT, "13712345672"),
    ("expert3@demo.example", "孙专家", Role.EXPERT, "13712345673"),
    ("admin@demo.example", "系统管理员", Role.ADMIN, "13612345678"),
    # 徐汇区 has a submitted demo filing and a listed enterprise to show.
    ("district@demo.example", "徐汇区知识产权局", Role.DISTRICT, "13512345678"),
]

# 先导产业和重点企业专利产品备案目录清单 (seed 003 三): (list, deadline, [(name, USCC, area)]).
KEY_LISTS = [
    (
        "国家知识产权优势示范企业",
        (2022, 12, 31),
        [
            ("上海示范智能装备有限公司", "91310115MA1K3YJ20B", Area.PUDONG),
            ("上海徐汇示例生物科技有限公司", "91310104MA1FR0T000", Area.XUHUI),
            ("上海临港示例新能源有限公司", "91310115MA1H8U2Y09", Area.LINGANG),
        ],
    ),
    (
        "市级企事业专利工作试点示范单位",
        (2023, 3, 31),
        [
            ("上海闵行示例集成电路有限公司", "91310112MA1GB1X809", Area.MINHANG),
            ("上海崇明示例农业科技有限公司", "91310230MA1JX2Q40P", Area.CHONGMING),
        ],
    ),
]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    now = timezone.now()
    calls = {}
    for kind, title, number, fmt in CALLS:
        calls[kind], _created = Call.objects.get_or_create(
            kind=kind,
            title=title,
            defaults={
                "notice_number": number,
                "opens_at": now - timedelta(days=30),
                "closes_at": now + timedelta(days=60),
                "number_format": fmt,
                "contact": CONTACTS.get(kind, ""),
                # The alliance notice is the 2024 one; its registry numbers say 〔2024〕.
                "year": 2024 if kind == "ALLIANCE" else now.year,
            },
        )
    Call.objects.get_or_create(
        kind="ALLIANCE",
        title="关于开展2023年上海市产业知识产权联盟备案的通知",
        defaults={
            "notice_number": "沪知局促〔2023〕35号",
            "opens_at": now - timedelta(days=400),
            "closes_at": now - timedelta(days=330),
            "number_format": "沪知联备〔{year}〕第{seq:03d}号",
            "year": now.year - 1,
        },
    )
    organisation, _ = Organisation.objects.get_or_create(
        uscc="91310115MA1K3YJ20B",
        defaults={
            "name": "上海示范智能装备有限公司",
            "org_type": OrganisationType.ENTERPRISE,
            "district": District.PUDONG,
            "division_code": "310115",
            "address": "上海市浦东新区张江路100号",
            "contact_name": "张明",
            "contact_phone": "021-50001234",
        },
    )
    expert_orgs = ["上海交通大学", "复旦大学", "上海市知识产权服务中心"]
    rows = []
    for index, (email, name, role, mobile) in enumerate(ACCOUNTS):
        user = User.objects.filter(email=email).first()
        if user is None:
            fields = {"name": name, "mobile": mobile, "role": role}
            if role == Role.APPLICANT:
                fields["organisation"] = organisation
            if role == Role.EXPERT:
                fields["expert_organisation_name"] = expert_orgs[index - 2]
            if role == Role.DISTRICT:
                fields["area"] = Area.XUHUI
            if role == Role.ADMIN:
                User.objects.create_superuser(email, DEMO_PASSWORD, **fields)
            else:
                User.objects.create_user(email, DEMO_PASSWORD, **fields)
        rows.append((Role(role).label, email, DEMO_PASSWORD))
    staff = User.objects.get(email="staff@demo.example")
    experts = list(User.objects.filter(role=Role.EXPERT, email__endswith="@demo.example").order_by("email"))
    demo_filings.load(calls["ALLIANCE"], staff, experts)
    demo_reports.load(user=User.objects.get(email="applicant@demo.example"), staff=staff)
    load_key_lists(staff)
    return rows


def load_key_lists(staff) -> list[str]:
    """The key-enterprise lists, with the deadlines seed 003 三 sets; one line each for the run command."""
    from datetime import date

    from review.directory.models import KeyEntry, KeyList

    lines = []
    for name, (year, month, day), entries in KEY_LISTS:
        key_list, _created = KeyList.objects.get_or_create(
            name=name, defaults={"deadline": date(year, month, day), "created_by": staff}
        )
        for org_name, uscc, area in entries:
            KeyEntry.objects.get_or_create(key_list=key_list, uscc=uscc, defaults={"name": org_name, "area": area})
        lines.append(f"{name}（{len(entries)} 家，期限 {key_list.deadline:%Y-%m-%d}）")
    return lines
