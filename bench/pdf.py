"""How fast, how big and how hungry is the A4 申请书 PDF (SPEC §5)?

    python bench/pdf.py [--runs 7]

Builds a reference alliance filing (40 members across the categories, 3 patent
pools, ~1500 characters in each of 三、四、五) in a throw-away SQLite database and
media directory, freezes a version and renders it --runs times in the CJK serif
font and, interleaved, with a Latin font put first (CJK characters then fall back
to an installed CJK font). Peak memory is the maximum resident set size of a fresh
child process that sets up Django and renders once, read with
resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, so it counts what Pango, HarfBuzz
and fontconfig allocate in C and not only Python objects.

Prints PASS/FAIL next to each target and always exits 0.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TARGET_RATIO = 1.2
TARGET_SIZE_KIB = 300
TARGET_PEAK_MIB = 300

LATIN_CSS = """
* { font-family: "DejaVu Serif", "Liberation Serif", serif !important; }
@page { @bottom-center { font-family: "DejaVu Serif", "Liberation Serif", serif; } }
"""

TASKS_TEXT = """一、加强产业关键领域知识产权运营
联盟围绕车规级功率半导体、车载计算芯片和传感器三条技术路线，梳理全球专利态势，每半年发布一次产业专利导航报告，识别碳化硅外延、沟槽栅结构、封装散热、功能安全认证等关键环节的专利风险与布局空白。联盟组织成员单位开展高价值专利培育，对拟申请的核心技术实行“先评估、后申请”，重点布局海外同族专利，计划三年内新增PCT国际申请六十件以上。
联盟设立专利收储与运营基金，首期规模五千万元，由成员单位按比例出资，委托专业服务机构管理，对产业链上下游的基础专利、防御性专利进行收储，并通过许可、转让、作价入股等方式实现运营收益。
二、支撑成员单位创新发展
联盟建立成员单位技术需求库与成果供给库，每季度召开一次供需对接会，推动高校院所的实验室成果在成员企业中试和量产。对中小成员企业，联盟提供专利检索、侵权风险排查、技术秘密保护等公益服务，每年不少于二十次；对拟出海的成员企业，联盟组织海外知识产权纠纷应对培训并协调律师资源，建立预警与快速响应机制。
联盟推动成员单位共同参与国家标准、行业标准和团体标准的制定，做好标准必要专利的披露与许可声明，力争将联盟的共性技术方案写入两项以上国家标准。
三、服务知识产权创新创业
联盟依托成员高校的创新创业学院，开设知识产权实务课程，面向初创团队提供专利布局辅导和质押融资对接，联合金融机构推出“芯火贷”知识产权质押产品，单户授信额度最高一千万元。联盟每年举办一次车规芯片创新创业大赛，对获奖项目给予专利申请费用资助、导师辅导和产业化场地支持，并优先吸纳为联盟成员。
联盟还将与长三角地区同类联盟建立合作机制，共享专利池许可信息和侵权监测数据，共同应对跨区域的专利纠纷，形成区域协同的知识产权保护格局。
四、年度重点工作
（一）完成碳化硅功率模块、域控制器芯片两个细分领域的专利导航，形成风险清单和布局建议，向成员单位定向推送。
（二）组织成员单位联合攻关车规级芯片可靠性验证方法，围绕攻关成果同步开展专利布局，争取形成一批可许可、可转化的高价值专利组合。
（三）建立联盟知识产权纠纷调解委员会，聘请法官、仲裁员和行业专家担任调解员，为成员之间以及成员与联盟外企业之间的专利纠纷提供快速、低成本的解决渠道。
（四）编制《车规芯片企业知识产权合规指引》，覆盖研发立项、供应商管理、产品出口、人才流动等环节，帮助成员单位建立与国际接轨的合规体系。
（五）推动高校院所的职务科技成果赋权改革试点，探索“先使用后付费”的许可方式，降低中小企业获取专利技术的门槛。
（六）开展知识产权金融创新，联合保险机构推出专利执行保险和海外侵权责任保险，联合评估机构建立车规芯片专利价值评估模型，为质押融资、作价入股和证券化提供依据。
五、预期成效
通过三年建设，联盟成员单位有效发明专利拥有量年均增长百分之二十以上，专利池许可收入突破五千万元，培育国家级知识产权示范企业五家、优势企业十家，形成覆盖设计、制造、封测和整车应用的知识产权协同创新体系。
六、保障措施
联盟将任务分解到各专业委员会和牵头成员单位，明确责任人和完成时限，实行季度调度、半年评估、年度考核。对任务完成情况突出的成员单位，在专利池收益分配、政府项目推荐和评优评先中给予倾斜；对进度滞后的任务，由秘书处督促整改并向理事会报告。联盟每年向上海市知识产权局报送工作总结和绩效数据，主动接受业务指导和监督检查，确保各项任务按期落地见效。联盟同时建立任务台账，按月更新进展，在联盟网站和成员通讯上公开发布。"""

OPERATION_TEXT = """一、内部管理制度
联盟实行会员大会、理事会和秘书处三级治理结构。会员大会每年召开一次，审议年度工作报告、财务报告和章程修订；理事会由十一家理事单位组成，每季度召开一次，决定专利池准入、许可费率和重大运营事项；秘书处设在牵头单位，配备专职人员五名，负责日常事务、档案管理和对外联络。联盟制定了《成员单位管理办法》《专利池管理办法》《知识产权收益分配办法》《保密管理规定》等十二项制度，成员单位入盟须签署合作协议和保密承诺，退出须提前三个月书面申请并完成权利义务清算。
二、资源共享机制
联盟建设共享专利数据库与检测验证平台，成员单位可按贡献度申请使用。牵头企业开放车规级可靠性实验室，高校开放失效分析与仿真计算平台，服务机构提供专利检索分析系统账号，年度共享机时不少于三千小时。联盟对共享资源实行预约登记和费用结算，优先保障承担联盟共性技术攻关任务的成员单位。
三、收益分配机制
专利池对外许可收入在扣除运营成本和风险准备金后，按入池专利的数量、价值评估得分和实际被许可次数综合计算分配比例；价值评估由第三方机构每两年开展一次，评估结果在理事会公示后执行。对成员之间交叉许可，实行免费或优惠费率，具体费率由理事会审议确定。联盟运营基金的收益按出资比例分配，并提取百分之十用于公益性服务和人才培养。
四、业务培训与人才培养
联盟每年组织知识产权管理、专利撰写、许可谈判、涉外诉讼应对等专题培训不少于八期，培训成员单位骨干三百人次以上；与高校联合培养知识产权专业硕士，设立实践基地，每年接收实习生二十名；鼓励成员单位技术人员考取专利代理师资格，对取得资格者给予奖励。联盟建立专家库，聘请技术、法律、财务和投资领域专家四十余名，为重大决策提供咨询意见。
五、监督与评价
联盟每年对成员单位履约情况进行评价，评价结果作为专利池收益分配和理事单位改选的依据；对违反保密义务、恶意诉讼或拒不履行许可义务的成员，经理事会审议可暂停其权利直至除名。
六、信息化建设
联盟建设运营管理信息系统，实现成员档案、专利资产、许可合同、收益结算和培训记录的线上管理。系统与成员单位的研发管理系统对接，自动采集专利申请和授权数据，按月生成资产台账；许可合同到期前九十日自动提醒，结算数据经双方确认后归档，便于审计和绩效统计。系统按最小权限原则设置账号，敏感数据加密存储，操作日志保存五年以上。
七、经费保障
联盟经费来源包括成员单位会费、专利池运营收入、政府专项资金和社会捐赠。会费标准由会员大会确定，理事单位每年二十万元，普通成员单位每年五万元，高校院所和服务机构减半收取。联盟实行独立核算，设专职会计和出纳各一名，年度财务报告经会计师事务所审计后向全体成员公开，接受成员监督。
八、对外合作
联盟与国内外行业组织、标准化机构和知识产权运营平台保持常态化交流，每年组织一次国际专利运营研讨会，邀请海外专利池管理机构介绍运营经验；积极参与国家知识产权运营公共服务平台的业务合作，推动联盟专利池在平台挂牌交易。
九、风险管理
联盟建立重大事项报告制度，成员单位涉及联盟专利的诉讼、许可纠纷、控制权变更或破产清算等情况，应在十个工作日内向秘书处报告。秘书处会同法律事务小组评估对专利池和其他成员的影响，提出应对方案报理事会决定，必要时启动专利池应急出池或许可条款调整程序，保障联盟整体利益和被许可人的合法权益。秘书处每年组织一次风险排查，对高风险事项建立清单，逐项明确化解措施和责任单位。"""

POOL_TEXT = """一、专利池（或专利组合）专利布局
联盟现运营三个专利池：碳化硅功率器件专利池收录有效专利一百二十六件，其中发明专利九十一件，覆盖衬底与外延、器件结构、驱动与保护电路、封装与散热四个技术分支；车载计算芯片专利池收录有效专利八十四件，覆盖异构计算架构、功能安全机制、片上网络与低功耗设计；智能传感器专利池收录有效专利五十二件，覆盖毫米波雷达前端、图像传感器读出电路和多传感器融合算法。入池专利须经第三方机构必要性评估，评估为“必要”或“高度相关”的方可入池，每年复核一次，对失效或被宣告无效的专利及时出池。
联盟围绕产业链重要节点开展专利布局规划，针对竞争对手的核心专利实施外围布局，针对海外市场在美国、欧洲、日本和韩国开展同族专利申请，形成国内外协同的专利组合。
二、内部交叉许可
联盟成员企业均以自有专利加入专利池或取得专利池许可。入池成员之间实行交叉许可，免收许可费，仅分担专利维持和评估费用；未入池成员可按优惠费率取得许可。截至上年底，成员之间已签订交叉许可协议十八份，涉及专利二百一十件，帮助七家中小成员企业规避了产品上市前的侵权风险。
三、对外打包许可
专利池对联盟外企业实行统一的打包许可，采用“基础费加按件计费”的方式，许可费率按产品售价的一定比例计算并设置年度上限，以公平、合理、无歧视原则对待所有被许可人。许可合同均在国家知识产权局办理备案，许可收入由专业服务机构统一收取和结算。上年度专利池对外许可十一项，许可收入一千三百二十万元；另以专利组合作价入股两家初创企业，作价合计八百万元。
四、风险防控
联盟设立专利池法律事务小组，跟踪入池专利的稳定性和被许可人的实施情况，发现侵权行为时由联盟统一维权或授权成员单位维权，维权费用由运营基金垫付，胜诉收益按约定分配。联盟同时建立反垄断合规审查机制，许可条件在实施前由律师审查，避免搭售、拒绝许可和不合理的回授条款。
五、下一步计划
联盟计划三年内将入池专利扩充至五百件，新增一个车规级存储芯片专利池，并探索与国际专利池的互认许可，提升我市产业在全球竞争中的议价能力。
六、运营数据
截至上年底，三个专利池累计签订许可合同三十七份，其中独占许可二份、排他许可五份、普通许可三十份；被许可人分布在本市、江苏、浙江、广东和安徽，以及德国、韩国各一家整车企业。许可合同平均期限四年，平均单件专利许可费约八万元。专利池累计收储专利四十六件，支出收储费用六百五十万元，收储专利中已有十九件实现再许可。
七、收益使用
专利池运营收入的百分之六十按入池贡献分配给专利权人，百分之二十用于专利维持、评估和维权，百分之十用于补充运营基金，百分之十用于联盟公益服务和人才培养。分配方案每年由理事会审议通过后执行，并在联盟内部公示十个工作日。
八、存在问题
专利池运营仍面临一些困难：部分入池专利稳定性有待检验，海外同族布局不足，对外许可谈判周期较长；中小成员企业自有高价值专利较少，主要以取得许可的方式参与专利池；专业运营人才紧缺，许可定价和价值评估依赖外部机构。联盟将通过加强专利质量评估、扩大海外布局、引进和培养复合型运营人才等措施逐步加以解决，并定期向成员单位通报专利池运营情况，听取意见和建议，持续完善运营规则。
九、绩效目标
到建设期末，专利池入池专利达到五百件，其中发明专利占比不低于百分之七十五；对外许可合同累计达到一百份，许可收入年均增长百分之三十；专利池覆盖的产品在国内车规芯片市场的占有率提高五个百分点。"""


def setup_django(db_path: Path, media_root: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(media_root)
    os.environ["PORTAL_VAR_DIR"] = str(media_root.parent)
    os.environ.pop("CELERY_BROKER_URL", None)  # any task runs in-process
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()


def build_reference():
    """A submitted alliance filing as the bureau will typically see it; returns its frozen version."""
    from decimal import Decimal

    from filings import kinds
    from filings.kinds.alliance.models import AllianceDetail, MemberCategory, PoolRole
    from filings.models import Filing, FilingVersion
    from filings.tests.alliance_factories import AllianceMemberFactory, PatentPoolFactory, complete_alliance_filing

    members = {
        MemberCategory.ENTERPRISE: 24,
        MemberCategory.UNIVERSITY: 5,
        MemberCategory.INSTITUTE: 4,
        MemberCategory.SERVICE: 4,
        MemberCategory.FINANCIAL: 3,
    }
    filing = complete_alliance_filing(
        tasks_text=TASKS_TEXT,
        operation_text=OPERATION_TEXT,
        pool_text=POOL_TEXT,
        count_enterprise=members[MemberCategory.ENTERPRISE],
        count_university=members[MemberCategory.UNIVERSITY],
        count_institute=members[MemberCategory.INSTITUTE],
        count_service=members[MemberCategory.SERVICE],
        count_financial=members[MemberCategory.FINANCIAL],
    )
    filing.alliance_members.all().delete()
    filing.patent_pools.all().delete()
    enterprise_names = ["微电子", "汽车电子", "功率器件", "精密封装", "智能驾驶", "半导体材料", "新能源动力", "车联网"]
    for category, count in members.items():
        for n in range(1, count + 1):
            name = {
                MemberCategory.ENTERPRISE: f"上海{enterprise_names[n % 8]}{'科技' if n % 2 else '股份'}有限公司（第{n}）",
                MemberCategory.UNIVERSITY: f"上海第{n}理工大学",
                MemberCategory.INSTITUTE: f"上海集成电路研究所第{n}分所",
                MemberCategory.SERVICE: f"上海知识产权服务中心第{n}分中心",
                MemberCategory.FINANCIAL: f"上海科技银行第{n}支行",
            }[category]
            AllianceMemberFactory(
                filing=filing,
                category=category,
                position=n,
                name=name,
                amount=Decimal(1000 * n + 37) / 10,
                main_business="知识产权质押融资与科技信贷"
                if category == MemberCategory.FINANCIAL
                else "专利代理与运营",
                pool_role=PoolRole.CONTRIBUTES if category == MemberCategory.ENTERPRISE else "",
            )
    for n, (pool, node) in enumerate(
        [
            ("碳化硅功率器件专利池", "车规级功率半导体"),
            ("车载计算芯片专利池", "车载计算平台"),
            ("智能传感器专利池", "毫米波雷达与视觉传感"),
        ],
        start=1,
    ):
        PatentPoolFactory(filing=filing, position=n, name=pool, chain_node=node, patent_count=40 * n + 12)

    spec = kinds.get(filing.kind)
    Filing.objects.filter(pk=filing.pk).update(number="LM2024001-0001", version=1)
    filing = Filing.objects.select_related("call").get(pk=filing.pk)
    assert AllianceDetail.objects.filter(pk=filing.pk).exists()
    return FilingVersion.objects.create(
        filing=filing,
        number=1,
        data=spec.snapshot(filing),
        findings=[],
        materials=[],
        submitted_by=filing.created_by,
    )


def one_render() -> None:
    """Child process: wait for a version id on stdin, render it once, report the peak RSS."""
    from filings.models import FilingVersion
    from filings.pdf import render_version_pdf

    version_id = int(sys.stdin.readline())
    # Version 0 is the baseline: Django and WeasyPrint imported, nothing rendered.
    if version_id > 0:
        render_version_pdf(FilingVersion.objects.select_related("filing__call").get(pk=version_id))
    print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def start_child(work: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--workdir", str(work), "--one-render"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def finish_child(child: subprocess.Popen, version_id: int) -> dict:
    out, _ = child.communicate(f"{version_id}\n", timeout=300)
    if child.returncode:
        raise SystemExit(f"the memory probe failed with exit code {child.returncode}")
    return json.loads(out)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", help="also write the CJK PDF to this file")
    parser.add_argument("--one-render", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_render:
        work = Path(args.workdir)
        setup_django(work / "bench.sqlite3", work / "media")
        one_render()
        return

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        baseline_child, render_child = start_child(work), start_child(work)
        setup_django(work / "bench.sqlite3", work / "media")
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        from pypdf import PdfReader

        from filings import pdf

        version = build_reference()
        pdf.warm_up()
        latin = [pdf.extra_stylesheet(LATIN_CSS)]
        cjk_times, latin_times = [], []
        document = b""
        for _run in range(args.runs):
            started = time.perf_counter()
            document = pdf.render_version_pdf(version)
            cjk_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            latin_document = pdf.render_version_pdf(version, extra_stylesheets=latin)
            latin_times.append(time.perf_counter() - started)
        if args.out:
            Path(args.out).write_bytes(document)

        # Memory: a fresh process that sets up Django and renders once.
        baseline = finish_child(baseline_child, 0)
        rendered = finish_child(render_child, version.pk)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    cjk = statistics.median(cjk_times)
    latin_median = statistics.median(latin_times)
    ratio = cjk / latin_median
    size_kib = len(document) / 1024
    pages = len(PdfReader(__import__("io").BytesIO(document)).pages)
    latin_pages = len(PdfReader(__import__("io").BytesIO(latin_document)).pages)
    print(
        f"reference filing: 40 members, 3 pools, 三/四/五 of {len(TASKS_TEXT)}/{len(OPERATION_TEXT)}/{len(POOL_TEXT)} characters"
    )
    print(f"renders per variant:        {args.runs}")
    print(
        f"median, CJK serif:          {cjk * 1000:8.0f} ms   (min {min(cjk_times) * 1000:.0f}, max {max(cjk_times) * 1000:.0f})"
    )
    print(
        f"median, Latin font first:   {latin_median * 1000:8.0f} ms   (min {min(latin_times) * 1000:.0f}, max {max(latin_times) * 1000:.0f})"
    )
    print(f"ratio CJK / Latin:          {ratio:8.2f}      target <= {TARGET_RATIO}   {verdict(ratio <= TARGET_RATIO)}")
    print(
        f"PDF size:                   {size_kib:8.1f} KiB  target <= {TARGET_SIZE_KIB} KiB  {verdict(size_kib <= TARGET_SIZE_KIB)}"
    )
    print(f"pages:                      {pages:8d}      (Latin variant: {latin_pages})")
    print(
        f"peak memory, one render:    {peak_mib:8.1f} MiB  target <= {TARGET_PEAK_MIB} MiB  {verdict(peak_mib <= TARGET_PEAK_MIB)}"
        f"   (max RSS of a fresh process; Django set up without rendering: {baseline['maxrss_kib'] / 1024:.1f} MiB,"
        f" with one render: {rendered['maxrss_kib'] / 1024:.1f} MiB)"
    )
    print(f"PDFs per second, one core:  {1 / cjk:8.2f}")


if __name__ == "__main__":
    main()
