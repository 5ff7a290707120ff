"""The open data API's list endpoints at 10,000 and 100,000 registry entries (issue: open data).

    DATABASE_URL=postgres://... python bench/api.py [--sizes 10000,100000] [--seconds 10]

For each size: empties the database you give (SQLite in a temporary folder by default),
seeds that many registry entries (every kind, three years, every district, eight
industries) and a publicity batch of 500, serves the portal with gunicorn (2 workers,
production profile), loads each endpoint with wrk and prints requests per second, p50/p99
latency and the ratio to the bare view (/health/) of the same run. Then, per endpoint, the
p50 at the largest size over the p50 at the smallest. Targets: ratio >= 0.2 and p50 ratio
<= 1.3 (flat). The rate limit is lifted for the run (it is what the API answers with, not
what is measured). Answers are cached as in production (PORTAL_PUBLIC_CACHE_SECONDS, retired by
every state change); --no-cache measures every request answered from the database. Always exits 0.
"""

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # the page benchmark: its environment and wrk runner

ROOT = pages.ROOT
RATIO_TARGET = 0.2
FLAT_TARGET = 1.3

SEED = r"""
import sys
import tempfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from accounts.models import District, Organisation, OrganisationType, Role, User
from filings import kinds
from filings.models import Call, Filing
from filings.states import State
from review.models import PublicityBatch, PublicityEntry
from stdnum.cn import uscc as stdnum_uscc

TOTAL = int(sys.argv[1])
SHANGHAI = ZoneInfo("Asia/Shanghai")
now = timezone.now()
districts = [d.value for d in District]
industries = ["集成电路", "生物医药", "人工智能", "新能源汽车", "高端装备", "航空航天", "信息通信", "新材料"]
codes = [code for code, _label in kinds.choices()]
with transaction.atomic():
    orgs = []
    for i in range(2000):
        body = f"91310115{i:09d}"[:17]
        orgs.append(Organisation(name=f"上海基准测试科技有限公司{i}", uscc=body + stdnum_uscc.calc_check_digit(body),
            org_type=OrganisationType.ENTERPRISE, district=districts[i % len(districts)], division_code="310115",
            contact_name="王联系", contact_phone="13800138000"))
    orgs = Organisation.objects.bulk_create(orgs)
    users = User.objects.bulk_create([User(email=f"u{i}@bench.example", name=f"用户{i}", mobile="13800138000",
        role=Role.APPLICANT, organisation=o, password="!") for i, o in enumerate(orgs)])
    staff = User.objects.create(email="staff@bench.example", name="审核", mobile="13900139000", role=Role.STAFF, password="!")
    calls = {}
    for year in (2023, 2024, 2025):
        for code in codes:
            calls[year, code] = Call.objects.create(kind=code, title=f"{year}年{code}申报通知", year=year,
                opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=30),
                number_format="沪知备〔{year}〕第{seq:05d}号")
    filings, seqs = [], {}
    for i in range(TOTAL):
        year, code = (2023, 2024, 2025)[i % 3], codes[i % len(codes)]
        call = calls[year, code]
        seqs[call.pk] = seqs.get(call.pk, 0) + 1
        seq = seqs[call.pk]
        org = orgs[i % len(orgs)]
        filings.append(Filing(kind=code, call=call, organisation=org, created_by=users[i % len(users)],
            state=State.REGISTERED, title=f"上海{industries[i % 8]}联盟{i}", industry=industries[(i // 3) % 8],
            number=f"N{i:07d}", version=1, submitted_at=now, registry_seq=seq,
            registry_number=f"沪知备〔{year}〕第{seq:05d}号",
            registered_at=datetime(year, 1, 1, tzinfo=SHANGHAI) + timedelta(minutes=i)))
    Filing.objects.bulk_create(filings, batch_size=5000)
    published = list(Filing.objects.order_by("-id")[:500])
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(call=published[0].call, title="基准公示", starts_on=today,
        ends_on=today + timedelta(days=6), published_by=staff)
    PublicityEntry.objects.bulk_create([PublicityEntry(batch=batch, filing=f, position=n)
        for n, f in enumerate(published, start=1)])
    call_id = calls[2024, codes[0]].pk
print(batch.pk, call_id, Filing.objects.count())
"""


def endpoints(batch_id: str, call_id: str) -> list[tuple[str, str]]:
    return [
        ("bare view (/health/)", "/health/"),
        ("registry", "/api/v1/registry/"),
        ("registry ?district", "/api/v1/registry/?district=" + quote("徐汇区")),
        ("registry ?year&kind", "/api/v1/registry/?year=2024&kind=ALLIANCE"),
        ("registry ?industry", "/api/v1/registry/?industry=" + quote("生物医药")),
        ("registry ?call", f"/api/v1/registry/?call={call_id}"),
        ("registry ?q", "/api/v1/registry/?q=" + quote("联盟123")),
        ("registry csv", "/api/v1/registry/?format=csv"),
        ("publicity", "/api/v1/publicity/"),
        ("publicity entries", f"/api/v1/publicity/{batch_id}/entries/"),
    ]


def run_size(size: int, seconds: int, connections: int, cached: bool) -> dict[str, dict]:
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="api-bench-"))
    env = pages.environment(workdir)
    env["PORTAL_API_RATE_LIMIT"] = "100000000/s"
    if not cached:
        env["PORTAL_PUBLIC_CACHE_SECONDS"] = "0"
    manage = [python, str(ROOT / "manage.py")]
    if not env["DATABASE_URL"].startswith("sqlite"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    seeded = subprocess.run(
        [python, "-c", SEED, str(size)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    batch_id, call_id = seeded[0], seeded[1]
    print(f"\n{seeded[2]} registry entries seeded in {time.monotonic() - started:.1f} s")
    port = pages.free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    results = {}
    try:
        for _i in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for name, path in endpoints(batch_id, call_id):
            url = f"http://127.0.0.1:{port}{path}"
            subprocess.run(["wrk", "-t1", "-c2", "-d2s", url], capture_output=True, check=False)
            results[name] = pages.run_wrk(url, seconds, connections, None)
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    bare = results["bare view (/health/)"]["rps"]
    print(f"{'endpoint':<24}{'req/s':>9}{'p50':>10}{'p99':>10}{'ratio':>8}  target >= {RATIO_TARGET}")
    for name, r in results.items():
        ratio = r["rps"] / bare if bare else 0
        verdict = "" if name.startswith("bare") else ("PASS" if ratio >= RATIO_TARGET and not r["errors"] else "FAIL")
        errors = f"  ({r['errors']} non-2xx)" if r["errors"] else ""
        print(f"{name:<24}{r['rps']:>9.1f}{r['p50']:>10}{r['p99']:>10}{ratio:>8.2f}  {verdict}{errors}")
    return results


def milliseconds(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-cache", action="store_true", help="every answer from the database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk)")
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"database: {pages.environment(Path('/nonexistent'))['DATABASE_URL'].split('@')[-1]}")
    print("answers cached" if not args.no_cache else "no cache: every answer from the database")
    runs = {size: run_size(size, args.seconds, args.connections, not args.no_cache) for size in sizes}
    small, large = runs[sizes[0]], runs[sizes[-1]]
    print(f"\np50 at {sizes[-1]:,} over p50 at {sizes[0]:,} (flat: <= {FLAT_TARGET})")
    for name in small:
        if name.startswith("bare"):
            continue
        ratio = milliseconds(large[name]["p50"]) / milliseconds(small[name]["p50"])
        print(
            f"{name:<24}{small[name]['p50']:>10}{large[name]['p50']:>10}{ratio:>8.2f}  "
            + ("PASS" if ratio <= FLAT_TARGET else "FAIL")
        )


if __name__ == "__main__":
    main()
