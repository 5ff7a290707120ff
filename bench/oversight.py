"""How the programme-oversight pages (statistics, key-enterprise coverage) hold up at 10,000 and
100,000 filings, beside the bare view, with their filters varied request by request.

    python bench/oversight.py [--filings 10000,100000] [--seconds 10] [--connections 16] [--workers 2]

For each size: the seed of bench/pages.py (filings across every state, with their versions,
events and expert assignments), then this page's own data: a tenth of the filings are 专利产品备案,
submissions spread over two years, organisations in 临港新片区, three key-enterprise lists. Serves
the portal with gunicorn and loads each page with wrk (bench/pages.py's helpers), the statistics
and the coverage pages through a rotation of distinct URLs (areas, kinds, months, lists, statuses)
so that no cache answers. Prints requests per second, p50/p99, queries per page and each page's
ratio to the bare view of the same run, then the p50 at the largest size against the smallest.

Targets (issue: programme oversight): each page >= 0.2 of the bare view, its p50 at 100,000 no
more than 1.3 times its p50 at 10,000. Always exits 0.
"""

import argparse
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from pages import (
    COUNT,
    FLAT_TARGET,
    LIST_TARGET,
    ROOT,
    SEED,
    WORKERS_HELP,
    environment,
    free_port,
    milliseconds,
    run_wrk,
)

# This page's own data, on top of bench/pages.py's seed. Written without per-row triggers, like that
# seed; the sums PostgreSQL keeps are then built once from the rows.
SEED_OVERSIGHT = r"""
from datetime import timedelta
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from accounts.models import Area, Organisation, User
from filings.models import Call, Filing, FilingEvent
from filings.states import State
from review.directory.models import KeyEntry, KeyList
from review.models import ExpertAssignment
from review.statistics.calendar import workday_table_ensure
from stdnum.cn import uscc as stdnum_uscc

now = timezone.now()
postgres = connection.vendor == "postgresql"
with transaction.atomic():
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    product = Call.objects.create(kind="PRODUCT", title="上海市知识产权局关于组织开展专利产品备案工作的通知",
        opens_at=now - timedelta(days=800), closes_at=now + timedelta(days=30), year=now.year,
        number_format="沪知产品备〔{year}〕第{seq:05d}号")
    ids = list(Filing.objects.exclude(state=State.DRAFT).order_by("pk").values_list("pk", flat=True))
    Filing.objects.filter(pk__in=ids[::10]).update(kind="PRODUCT", call=product)
    Organisation.objects.filter(pk__in=list(Organisation.objects.values_list("pk", flat=True))[::40]).update(in_lingang=True)
    # bench/pages.py submits a minute apart; the statistics want months: two years, whatever the size.
    # What follows a submission moves with it, as a bureau's would: the audit 4 days later, the
    # experts' sheets 4 to 23 days later (due in 14), registration 20 to 119 days later (never
    # after today). bench/pages.py registers and scores "now", which would make months-old
    # filings take up to two years, or register before they were submitted.
    step = timedelta(days=730) / max(1, len(ids))
    spread = {pk: now - step * i for i, pk in enumerate(ids)}
    if postgres:  # one statement each: 100,000 rows in seconds
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE spread (filing_id bigint PRIMARY KEY, at timestamptz)")
            cursor.executemany("INSERT INTO spread VALUES (%s, %s)", list(spread.items()))
            cursor.execute("UPDATE filings_filing f SET submitted_at = s.at FROM spread s WHERE s.filing_id = f.id")
            cursor.execute(
                "UPDATE filings_filing f SET registered_at = LEAST(s.at + (20 + f.id % 100) * interval '1 day', now()) "
                "FROM spread s WHERE s.filing_id = f.id AND f.registered_at IS NOT NULL"
            )
            cursor.execute(
                "UPDATE filings_filingevent e SET created_at = CASE WHEN e.action = 'audit_pass' "
                "THEN s.at + interval '4 days' WHEN e.action IN ('register', 'product_register') "
                "THEN COALESCE(f.registered_at, s.at) ELSE s.at END FROM spread s JOIN filings_filing f "
                "ON f.id = s.filing_id WHERE s.filing_id = e.filing_id"
            )
            cursor.execute(
                "UPDATE review_expertassignment a SET due_at = s.at + interval '14 days', "
                "submitted_at = LEAST(s.at + (4 + a.id % 20) * interval '1 day', now()) "
                "FROM spread s WHERE s.filing_id = a.filing_id AND a.submitted_at IS NOT NULL"
            )
    else:
        filings = list(Filing.objects.filter(pk__in=ids).only("pk", "registered_at"))
        registered = {}
        for f in filings:
            f.submitted_at = spread[f.pk]
            if f.registered_at:
                f.registered_at = registered[f.pk] = min(spread[f.pk] + timedelta(days=20 + f.pk % 100), now)
        Filing.objects.bulk_update(filings, ["submitted_at", "registered_at"], batch_size=2000)
        events = list(FilingEvent.objects.filter(filing_id__in=ids).only("pk", "filing_id", "action"))
        for e in events:
            e.created_at = spread[e.filing_id] + (timedelta(days=4) if e.action == "audit_pass" else timedelta())
            if e.action in ("register", "product_register"):
                e.created_at = registered.get(e.filing_id, e.created_at)
        FilingEvent.objects.bulk_update(events, ["created_at"], batch_size=2000)
        sheets = list(ExpertAssignment.objects.filter(filing_id__in=ids, submitted_at__isnull=False))
        for a in sheets:
            a.due_at = spread[a.filing_id] + timedelta(days=14)
            a.submitted_at = min(spread[a.filing_id] + timedelta(days=4 + a.pk % 20), now)
        ExpertAssignment.objects.bulk_update(sheets, ["due_at", "submitted_at"], batch_size=2000)
    staff = User.objects.get(email="staff@bench.example")
    orgs = list(Organisation.objects.order_by("pk").values_list("name", "uscc", "district"))
    for n, name in enumerate(["国家知识产权优势示范企业", "市级企事业专利工作试点示范单位", "中央财政资金承接单位"]):
        key_list = KeyList.objects.create(name=name, deadline=now.date() - timedelta(days=30 * (n - 1)), created_by=staff)
        entries = [KeyEntry(key_list=key_list, name=o[0], uscc=o[1], area=o[2]) for o in orgs[n::3]]
        for i in range(1000):
            body = f"9131010{n}{i:09d}"
            entries.append(KeyEntry(key_list=key_list, name=f"未申报企业{n}-{i}", uscc=body + stdnum_uscc.calc_check_digit(body),
                                    area=list(Area)[i % 17]))
        KeyEntry.objects.bulk_create(entries, batch_size=2000)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("DELETE FROM filings_filingstatecount")
            cursor.execute(
                "INSERT INTO filings_filingstatecount (call_id, kind, district, state, n) "
                "SELECT f.call_id, f.kind, o.district, f.state, count(*) FROM filings_filing f "
                "JOIN accounts_organisation o ON o.id = f.organisation_id GROUP BY 1, 2, 3, 4"
            )
            cursor.execute("SELECT directory_holder_rebuild()")
    if not workday_table_ensure() and postgres:  # a calendar built afresh rebuilt the sums already
        with connection.cursor() as cursor:
            cursor.execute("SELECT statistics_rebuild()")
if postgres:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a live database has them
print(" ".join(str(pk) for pk in KeyList.objects.order_by("pk").values_list("pk", flat=True)))
"""

AREAS = ["", "浦东新区", "徐汇区", "闵行区", "嘉定区", "奉贤区", "临港新片区"]
KINDS = ["", "ALLIANCE", "PRODUCT"]
PERIODS = [{}, {"date_from": "2025-01"}, {"date_from": "2025-06", "date_to": "2025-12"}, {"date_to": "2026-03"}]


def statistics_paths() -> list[str]:
    paths = []
    for area, kind, period in itertools.product(AREAS, KINDS, PERIODS):
        query = {"area": area, "kind": kind, **period}
        query = urlencode({k: v for k, v in query.items() if v})
        paths.append("/review/statistics/" + ("?" + query if query else ""))
    return paths


def coverage_paths(list_ids: list[str]) -> list[str]:
    paths = ["/review/directory/"] * 3
    for pk in list_ids:
        for status in ("", "none", "registered", "in_progress"):
            paths.append(f"/review/directory/{pk}/" + (f"?status={status}" if status else ""))
    return paths


def measure(size: int, args, python: str) -> list[tuple]:
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = environment(workdir)
    manage = [python, str(ROOT / "manage.py")]
    if not env["DATABASE_URL"].startswith("sqlite"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    seeded = subprocess.run(
        [python, "-c", SEED, str(size)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    session_key = seeded[0]
    list_ids = subprocess.run(
        [python, "-c", SEED_OVERSIGHT], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    print(
        f"\n== {size:,} filings: seeded {seeded[2]} filings, {seeded[3]} events, {seeded[4]} expert assignments, "
        f"{len(list_ids)} key-enterprise lists in {time.monotonic() - started:.1f} s"
    )
    rotations = {"statistics": statistics_paths(), "coverage": coverage_paths(list_ids)}
    pages = [
        ("bare view (/health/)", "/health/", None),
        ("statistics", "/review/statistics/", "statistics"),
        ("coverage", "/review/directory/", "coverage"),
    ]
    probes = [rotations["statistics"][1], rotations["statistics"][-1], rotations["coverage"][-1]]
    counted = subprocess.run(
        [python, "-c", COUNT, *[p for _n, p, _r in pages], *probes],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    queries = {line.split()[0]: (line.split()[1], line.split()[2]) for line in counted if line.startswith("/")}
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "portal.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    results = []
    try:
        for _i in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        for name, path, rotation in pages:
            cookie = f"sessionid={session_key}" if rotation else None
            subprocess.run(["wrk", "-t1", "-c2", "-d2s", base + path], capture_output=True, check=False)
            paths_file = None
            if rotation:
                paths_file = workdir / f"{rotation}.txt"
                paths_file.write_text("\n".join(rotations[rotation]) + "\n")
            result = run_wrk(base + path, args.seconds, args.connections, cookie, paths_file)
            result["urls"] = len(rotations[rotation]) if rotation else 1
            results.append((name, path, result, queries.get(path, ("?", "?"))))
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)
    bare = results[0][2]["rps"]
    print(f"{'page':<24}{'URLs':>6}{'req/s':>9}{'p50':>10}{'p99':>10}{'queries':>9}{'status':>8}{'ratio':>8}")
    for name, path, r, (status, count) in results:
        ratio = r["rps"] / bare if bare else 0
        verdict = "" if path == "/health/" else ("PASS" if ratio >= LIST_TARGET and not r["errors"] else "FAIL")
        print(
            f"{name:<24}{r['urls']:>6}{r['rps']:>9.1f}{r['p50']:>10}{r['p99']:>10}{count:>9}{status:>8}{ratio:>8.3f}"
            f"  {verdict}" + (f"  ({r['errors']} non-2xx)" if r["errors"] else "")
        )
    for path in probes:
        status, count = queries.get(path, ("?", "?"))
        print(f"  queries for {path}: {count} (status {status})")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help=WORKERS_HELP)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk)")
    sizes = [int(n) for n in args.filings.split(",")]
    print(f"database: {environment(Path('.'))['DATABASE_URL'].split('@')[-1]}; gunicorn workers: {args.workers}")
    by_size = {size: measure(size, args, sys.executable) for size in sizes}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\np50 at {large:,} against {small:,} (target <= {FLAT_TARGET})")
        for (name, path, r_small, _q), (_n, _p, r_large, _q2) in zip(by_size[small], by_size[large], strict=True):
            if path == "/health/":
                continue
            ratio = milliseconds(r_large["p50"]) / milliseconds(r_small["p50"])
            print(f"{name:<24}{r_small['p50']:>10}{r_large['p50']:>10}{ratio:>8.2f}  "
                  + ("PASS" if ratio <= FLAT_TARGET else "FAIL"))  # fmt: skip


if __name__ == "__main__":
    main()
