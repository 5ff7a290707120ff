"""The open data API's list endpoints at 10,000 and 100,000 registry entries (issue: open data).

    DATABASE_URL=postgres://... python bench/api.py [--filings 10000,100000] [--seconds 10]

For each size: empties the database you give (SQLite in a temporary folder by default) and seeds
that many registry entries (every kind, three years, every district, eight industries, spread at
random) and a publicity batch of 500, through bench/pages.py's database and server helpers; serves
the portal with gunicorn (--workers, 2 by default; production profile) and loads each endpoint with wrk twice:

- cached: one URL, answers cached as in production (PORTAL_PUBLIC_CACHE_SECONDS);
- uncached: the cache off and a rotation of distinct, valid URLs per endpoint (filters and their
  pairs, searches, cursor pages taken from the answers' `next` links), every request answered
  from the database.

Prints requests per second, p50/p99 latency and the ratio to the bare view (/health/), loaded in
the same run and mode just before each endpoint; then, per endpoint and mode, the p50 at the largest size over the p50 at the
smallest. Targets: ratio >= 0.2 and p50 ratio <= 1.3 (flat). The rate limit is lifted for the run
(it is what the API answers with, not what is measured). Always exits 0.
"""

import argparse
import itertools
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages  # the page benchmark: its environment, database, server and wrk helpers

RATIO_TARGET = 0.2
FLAT_TARGET = 1.3
MODES = ("cached", "uncached")

SEED = r"""
import random
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from accounts.models import District, Organisation, OrganisationType, Role, User
from filings import kinds
from filings.models import Call, Filing
from filings.states import State
from review.models import PublicityBatch, PublicityEntry
from stdnum.cn import uscc as stdnum_uscc

TOTAL = int(sys.argv[1])
SHANGHAI = ZoneInfo("Asia/Shanghai")
rng = random.Random(16)
now = timezone.now()
districts = [d.value for d in District]
industries = ["集成电路", "生物医药", "人工智能", "新能源汽车", "高端装备", "航空航天", "信息通信", "新材料"]
codes = [code for code, _label in kinds.choices()]
with transaction.atomic():
    if connection.vendor == "postgresql":
        # Bulk seeding: no per-row triggers (history, kept counts), as bench/pages.py.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    orgs = []
    for i in range(2000):
        body = f"91310115{i:09d}"[:17]
        orgs.append(Organisation(name=f"上海基准测试科技有限公司{i}", uscc=body + stdnum_uscc.calc_check_digit(body),
            org_type=OrganisationType.ENTERPRISE, district=rng.choice(districts), division_code="310115",
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
        year, code = rng.choice((2023, 2024, 2025)), rng.choice(codes)
        call = calls[year, code]
        seqs[call.pk] = seqs.get(call.pk, 0) + 1
        seq = seqs[call.pk]
        n = rng.randrange(len(orgs))
        industry = rng.choice(industries)
        # district: what the database keeps (filings 0021), written here as its triggers are off.
        filings.append(Filing(kind=code, call=call, organisation=orgs[n], district=orgs[n].district, created_by=users[n],
            state=State.REGISTERED, title=f"上海{industry}联盟{i}", industry=industry,
            number=f"N{i:07d}", version=1, submitted_at=now, registry_seq=seq,
            registry_number=f"沪知备〔{year}〕第{seq:05d}号",
            registered_at=datetime(year, 1, 1, tzinfo=SHANGHAI) + timedelta(seconds=rng.randrange(365 * 86400))))
    Filing.objects.bulk_create(filings, batch_size=5000)
    published = list(Filing.objects.order_by("-id")[:500])
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(call=published[0].call, title="基准公示", starts_on=today,
        ends_on=today + timedelta(days=6), published_by=staff)
    PublicityEntry.objects.bulk_create([PublicityEntry(batch=batch, filing=f, position=n)
        for n, f in enumerate(published, start=1)])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
print(batch.pk, " ".join(str(call.pk) for call in calls.values()), Filing.objects.count())
"""


DISTRICTS = pages.DISTRICTS
INDUSTRIES = pages.INDUSTRIES
KINDS = ["ALLIANCE", "CONSORTIUM", "CLUSTER", "PRODUCT"]
YEARS = ["2023", "2024", "2025"]


def searches(size: int, rng: random.Random) -> list[str]:
    """What a client looks for: a name, a registry number, a holder's name or credit code prefix."""
    found = []
    for _i in range(60):
        n = rng.randrange(size)
        found += [
            f"联盟{n}",
            f"{rng.choice(INDUSTRIES)}联盟{n}",
            f"〔{rng.choice(YEARS)}〕第{rng.randrange(1, size // 12):05d}号",
            f"基准测试科技有限公司{rng.randrange(2000)}",
            f"91310115{rng.randrange(2000):09d}"[:17],  # a holder's code without its check digit
        ]
    return found


def rotation(size: int, batch_id: str, call_ids: list[str]) -> dict[str, list[str]]:
    """Distinct, valid URLs per endpoint: single filters, pairs of them, searches (cursor pages are
    added from the answers)."""
    rng = random.Random(11)
    single = (
        [{"kind": k} for k in KINDS]
        + [{"year": y} for y in YEARS]
        + [{"district": d} for d in DISTRICTS]
        + [{"industry": i} for i in INDUSTRIES]
        + [{"call": c} for c in call_ids]
    )
    pairs = (
        [{"kind": k, "year": y} for k, y in itertools.product(KINDS, YEARS)]
        + [{"year": y, "district": d} for y, d in itertools.product(YEARS, DISTRICTS)]
        + [{"kind": k, "district": d} for k, d in itertools.product(KINDS, DISTRICTS)]
        + [{"industry": i, "year": y} for i, y in itertools.product(INDUSTRIES, YEARS)]
        + [{"industry": i, "district": d} for i, d in itertools.product(INDUSTRIES, DISTRICTS)]
        + [{"kind": k, "industry": i} for k, i in itertools.product(KINDS, INDUSTRIES)]
    )
    queries = [{}, *single, *pairs, *({"q": q} for q in searches(size, rng))]
    registry = [f"/api/v1/registry/?{urlencode(q)}" for q in queries]
    csv = [f"/api/v1/registry/?{urlencode({**q, 'format': 'csv'})}" for q in [{}, *single, *pairs]]
    publicity = [
        f"/api/v1/publicity/?{urlencode(q)}"
        for q in [{}, *({"kind": k} for k in KINDS), *({"year": y} for y in YEARS), {"q": "基准"}, {"q": "公示"}]
    ]
    entry_queries = [{}, *({"kind": k} for k in KINDS), *({"district": d} for d in DISTRICTS)]
    entry_queries += [{"industry": i} for i in INDUSTRIES] + [{"q": f"联盟{size - n}"} for n in range(1, 40)]
    entries = [f"/api/v1/publicity/{batch_id}/entries/?{urlencode(q)}" for q in entry_queries]
    for urls in (registry, csv, publicity, entries):
        rng.shuffle(urls)
    return {"registry": registry, "registry csv": csv, "publicity": publicity, "publicity entries": entries}


def with_cursor_pages(base: str, urls: list[str], pages_deep: int = 4) -> list[str]:
    """`urls` and, for some of them, the next pages a client walking them would ask for."""
    walked = list(urls)
    for first in urls[:60]:
        current = first
        for _page in range(pages_deep):
            with urllib.request.urlopen(base + current, timeout=30) as answer:
                following = json.load(answer)["next"]
            if not following:
                break
            current = following.removeprefix(base)
            walked.append(current)
    return walked


def endpoints(batch_id: str) -> list[tuple[str, str]]:
    return [
        ("bare view (/health/)", "/health/"),
        ("registry", "/api/v1/registry/"),
        ("registry csv", "/api/v1/registry/?format=csv"),
        ("publicity", "/api/v1/publicity/"),
        ("publicity entries", f"/api/v1/publicity/{batch_id}/entries/"),
    ]


def run_size(size: int, seconds: int, connections: int) -> dict[tuple[str, str], dict]:
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="api-bench-"))
    env = pages.environment(workdir)
    env["PORTAL_API_RATE_LIMIT"] = "100000000/s"
    started = time.monotonic()
    seeded = pages.seed_database(env, python, SEED, size)
    batch_id, call_ids, count = seeded[0], seeded[1:-1], seeded[-1]
    print(f"\n== {count} registry entries seeded in {time.monotonic() - started:.1f} s")
    rotations = rotation(size, batch_id, call_ids)
    results = {}
    try:
        for mode in MODES:
            env["PORTAL_PUBLIC_CACHE_SECONDS"] = "60" if mode == "cached" else "0"
            server, base = pages.serve(env, python)
            try:
                for name, path in endpoints(batch_id):
                    subprocess_warm(base + path)
                    paths_file, result = None, {}
                    if mode == "uncached" and name in rotations:
                        urls = rotations[name]
                        if name in ("registry", "publicity entries"):  # JSON answers carry `next`
                            urls = with_cursor_pages(base, urls)
                        paths_file = workdir / f"{name.replace(' ', '-')}.txt"
                        paths_file.write_text("\n".join(urls) + "\n")
                    if not name.startswith("bare"):
                        # The bare view again just before: the ratio compares two runs a few seconds
                        # apart, so that load from outside the benchmark weighs on both alike.
                        result["bare_rps"] = pages.run_wrk(base + "/health/", seconds, connections, None)["rps"]
                    result = pages.run_wrk(base + path, seconds, connections, None, paths_file) | result
                    result["urls"] = len(urls) if paths_file else 1
                    results[name, mode] = result
            finally:
                pages.stop(server)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"{'endpoint':<24}{'mode':<10}{'URLs':>6}{'req/s':>9}{'p50':>10}{'p99':>10}{'bare':>9}{'ratio':>8}"
        f"  target >= {RATIO_TARGET}"
    )
    for mode in MODES:
        for (name, m), r in results.items():
            if m != mode:
                continue
            bare = r.get("bare_rps", r["rps"])
            ratio = r["rps"] / bare if bare else 0
            verdict = (
                "" if name.startswith("bare") else ("PASS" if ratio >= RATIO_TARGET and not r["errors"] else "FAIL")
            )
            errors = f"  ({r['errors']} non-2xx)" if r["errors"] else ""
            print(
                f"{name:<24}{mode:<10}{r['urls']:>6}{r['rps']:>9.1f}{r['p50']:>10}{r['p99']:>10}{bare:>9.1f}{ratio:>8.2f}"
                f"  {verdict}{errors}"
            )
    return results


def subprocess_warm(url: str) -> None:
    """A couple of seconds of load first, so that both workers have loaded what they cache."""
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", url], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", "--sizes", dest="sizes", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=pages.SERVER["workers"], help=pages.WORKERS_HELP)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk)")
    pages.SERVER["workers"] = args.workers
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"database: {pages.environment(Path('/nonexistent'))['DATABASE_URL'].split('@')[-1]}; "
        f"gunicorn workers: {args.workers}"
    )
    runs = {size: run_size(size, args.seconds, args.connections) for size in sizes}
    if len(sizes) < 2:
        return
    small, large = runs[sizes[0]], runs[sizes[-1]]
    print(f"\np50 at {sizes[-1]:,} over p50 at {sizes[0]:,} (flat: <= {FLAT_TARGET})")
    for (name, mode), result in small.items():
        if name.startswith("bare"):
            continue
        ratio = pages.milliseconds(large[name, mode]["p50"]) / pages.milliseconds(result["p50"])
        print(
            f"{name:<24}{mode:<10}{result['p50']:>10}{large[name, mode]['p50']:>10}{ratio:>8.2f}  "
            + ("PASS" if ratio <= FLAT_TARGET else "FAIL")
        )


if __name__ == "__main__":
    main()
