"""How the busy pages hold up as a clerk and the public use them, at 10,000 and 100,000 filings.

    python bench/pages.py [--filings 10000,100000] [--seconds 10] [--connections 16] [--workers 2]

For each size: seeds a throw-away database (SQLite in a temporary folder, or the
DATABASE_URL you give, which it empties first) by bulk inserts, with filings across every
state, their versions, events, expert assignments, a publicity batch and registry entries,
and one applicant's filing with 40 members; serves the portal with gunicorn (--workers sync
workers, 2 by default as the lists' issue measured; deploy/gunicorn.conf.py runs 2 x cores + 1),
production profile, DEBUG off; loads each page with wrk (--connections connections,
--seconds seconds) twice: one repeated URL (what a cache answers) and a rotation of a few
thousand distinct, valid URLs (filters, sorts, pages, searches: what a clerk moving between
filters meets, a cache miss each time). Prints requests per second, p50/p99, queries per
page and each figure's ratio to the bare view of the same run, then the p50 at the largest
size against the smallest.

The bare view is /health/: a view that runs one trivial query, the cheapest page
the portal serves. Targets (issue: lists at 100,000 filings): every list's rotating
throughput >= 0.2 of the bare view, its p50 at 100,000 <= 1.3 times its p50 at 10,000;
the step page >= 0.05 of the bare view. Always exits 0.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
LIST_TARGET = 0.2
STEP_TARGET = 0.05
FLAT_TARGET = 1.3
# gunicorn's sync workers for every page of a run, the bare view's too (--workers).
SERVER = {"workers": 2}
WORKERS_HELP = "gunicorn sync workers (deploy/gunicorn.conf.py runs 2 x cores + 1)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env.update(
        PORTAL_PROFILE="production",
        DJANGO_SECRET_KEY="bench-" + "x9Qe!7vR2#" * 6,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DJANGO_SETTINGS_MODULE="portal.settings",
        CELERY_BROKER_URL="",
        PYTHONPATH=str(ROOT),
    )
    return env


def seed_database(env: dict, python: str, script: str, size: int) -> list[str]:
    """Empties the benchmark's database (a PostgreSQL one is flushed), migrates it, runs the seed
    `script` with `size` and returns what it printed, split; then refreshes PostgreSQL's statistics,
    as autovacuum would soon after a bulk load, so that plans are those of a settled database."""
    manage = [python, str(ROOT / "manage.py")]
    if not env["DATABASE_URL"].startswith("sqlite"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [python, "-c", script, str(size)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    if not env["DATABASE_URL"].startswith("sqlite"):
        subprocess.run([*manage, "dbshell", "--", "-c", "VACUUM ANALYZE"], env=env, cwd=ROOT, capture_output=True, check=False)
    return seeded


def serve(env: dict, python: str) -> tuple[subprocess.Popen, str]:
    """gunicorn with SERVER["workers"] workers on a free port, once it answers: (process, base URL). The request
    log (one line per request, on standard output) is dropped; errors still show."""
    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "portal.wsgi", "-w", str(SERVER["workers"]), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _i in range(300):
        try:
            with urllib.request.urlopen(base + "/health/", timeout=5):
                break
        except OSError:
            time.sleep(0.1)
    return server, base


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=20)


SEED = r"""
import random, sys
from datetime import timedelta
from decimal import Decimal
import django
django.setup()
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone
from accounts.models import District, Organisation, OrganisationType, Role, User
from filings.models import Call, Filing, FilingEvent, FilingVersion
from filings.states import State
from review.models import ExpertAssignment, PublicityBatch, PublicityEntry
from stdnum.cn import uscc as stdnum_uscc

TOTAL = int(sys.argv[1])
rng = random.Random(7)
now = timezone.now()
districts = [d.value for d in District]
industries = ["集成电路", "生物医药", "人工智能", "新能源汽车", "高端装备", "航空航天", "信息通信", "新材料"]

from django.db import connection
with transaction.atomic():
    if connection.vendor == "postgresql":
        # Bulk seeding: no per-row triggers (history, kept counts); the counts are loaded once below.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    call = Call.objects.create(kind="ALLIANCE", title="关于开展2024年上海市产业知识产权联盟备案的通知",
        notice_number="沪知局促〔2024〕40号", opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=30),
        number_format="沪知联备〔{year}〕第{seq:04d}号", year=2024)
    orgs = []
    for i in range(800):
        body = f"91310115{i:09d}"[:17]
        orgs.append(Organisation(name=f"上海基准测试科技有限公司{i}", uscc=body + stdnum_uscc.calc_check_digit(body),
            org_type=OrganisationType.ENTERPRISE, district=districts[i % len(districts)], division_code="310115",
            address="上海市浦东新区", contact_name="王联系", contact_phone="13800138000"))
    Organisation.objects.bulk_create(orgs)
    orgs = list(Organisation.objects.all())
    users = [User(email=f"u{i}@bench.example", name=f"用户{i}", mobile="13800138000", role=Role.APPLICANT,
                  organisation=o, password="!") for i, o in enumerate(orgs)]
    User.objects.bulk_create(users)
    staff = User.objects.create(email="staff@bench.example", name="审核", mobile="13900139000", role=Role.STAFF, password="!")
    experts = [User.objects.create(email=f"e{i}@bench.example", name=f"专家{i}", mobile="13700137000",
                                   role=Role.EXPERT, password="!") for i in range(12)]
    users = {u.organisation_id: u for u in User.objects.filter(role=Role.APPLICANT)}
    weights = [(State.DRAFT, 10), (State.SUBMITTED, 20), (State.RETURNED, 5), (State.EXPERT_REVIEW, 15),
               (State.REVIEWED, 5), (State.PUBLICITY, 5), (State.REGISTERED, 30), (State.REJECTED, 7), (State.WITHDRAWN, 3)]
    states = [s for s, w in weights for _ in range(w)]
    findings = [{"rule": f"AL-{n}", "verdict": "pass", "message": "符合", "source": "seed 000", "step": "", "evidence": ""} for n in range(9)]
    findings[2]["verdict"] = "review"
    from filings.rules import findings_summary
    filings = []
    for i in range(TOTAL):
        org = orgs[i % len(orgs)]
        state = states[i % len(states)]
        submitted = state != State.DRAFT
        # district: what the database keeps (filings 0021), written here as its triggers are off.
        f = Filing(kind="ALLIANCE", call=call, organisation=org, district=org.district, created_by=users[org.pk], state=state,
                   title=f"上海{industries[i % 8]}产业知识产权联盟{i}", industry=industries[i % 8],
                   number=f"LM2024001-{i + 1:05d}" if submitted else None, version=1 if submitted else 0,
                   submitted_at=now - timedelta(minutes=i) if submitted else None,
                   findings_summary=findings_summary(findings) if submitted else {})
        filings.append(f)
    Filing.objects.bulk_create(filings, batch_size=2000)
    filings = list(Filing.objects.order_by("pk"))
    seq = 0
    for f in filings:
        if f.state == State.REGISTERED:
            seq += 1
            f.registry_seq, f.registry_number, f.registered_at = seq, call.registry_number(seq), now - timedelta(days=seq % 600)
    Filing.objects.bulk_update([f for f in filings if f.registry_seq], ["registry_seq", "registry_number", "registered_at"], batch_size=2000)
    versions, events = [], []
    for f in filings:
        if f.state == State.DRAFT:
            continue
        versions.append(FilingVersion(filing=f, number=1, data={"detail": {"name": f.title}}, findings=findings,
                                      materials=[], submitted_by=f.created_by, verification_code=f"B{f.pk:015d}"))
        events.append(FilingEvent(filing=f, actor=f.created_by, action="submit", from_state=State.DRAFT,
                                  to_state=State.SUBMITTED, client_ip="127.0.0.1"))
        if f.state not in (State.SUBMITTED,):
            events.append(FilingEvent(filing=f, actor=staff, action="audit_pass", from_state=State.SUBMITTED,
                                      to_state=State.EXPERT_REVIEW, client_ip="127.0.0.1"))
    FilingVersion.objects.bulk_create(versions, batch_size=2000)
    FilingEvent.objects.bulk_create(events, batch_size=5000)
    assignments = []
    for f in filings:
        if f.state in (State.EXPERT_REVIEW, State.REVIEWED, State.PUBLICITY, State.REGISTERED):
            for e in rng.sample(experts, 3):
                assignments.append(ExpertAssignment(filing=f, expert=e, assigned_by=staff, due_at=now + timedelta(days=5),
                    scores={"base": 18}, total=Decimal("80.0"), recommendation="approve", submitted_at=now))
    ExpertAssignment.objects.bulk_create(assignments, batch_size=5000)
    today = timezone.localdate()
    batch = PublicityBatch.objects.create(call=call, title="2024年上海市产业知识产权联盟拟备案名单公示",
                                          starts_on=today, ends_on=today + timedelta(days=6), published_by=staff)
    PublicityEntry.objects.bulk_create([PublicityEntry(batch=batch, filing=f, position=n)
        for n, f in enumerate([f for f in filings if f.state == State.PUBLICITY], start=1)])
    # An applicant's draft with 40 members: the heaviest form step.
    from filings.services import filing_start
    from filings.kinds.alliance.models import AllianceMember
    applicant = users[orgs[0].pk]
    draft = filing_start(call=call, actor=applicant)
    AllianceMember.objects.bulk_create([AllianceMember(filing=draft, category="enterprise", position=n,
        name=f"上海成员企业{n}", amount=Decimal("1200.50"), inventions=n, utility_models=2, designs=1, pool_role="contributes")
        for n in range(40)])

    def session_for(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.CachedModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if user.role == Role.STAFF:
            # Staff sign in with a second factor: the session as it is once the code was given.
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return session.session_key
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("DELETE FROM filings_filingstatecount")
            cursor.execute(
                "INSERT INTO filings_filingstatecount (call_id, kind, district, state, n) "
                "SELECT f.call_id, f.kind, o.district, f.state, count(*) FROM filings_filing f "
                "JOIN accounts_organisation o ON o.id = f.organisation_id GROUP BY 1, 2, 3, 4"
            )
print(session_for(staff), batch.pk, Filing.objects.count(), FilingEvent.objects.count(), ExpertAssignment.objects.count(),
      session_for(applicant), draft.pk, batch.entries.count())
"""

COUNT = r"""
import sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import User
client = Client(HTTP_HOST="127.0.0.1")
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
for path in sys.argv[1:]:
    who = "u0@bench.example" if path.startswith("/filings/") else "staff@bench.example"
    user = User.objects.get(email=who)
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:  # staff: the second factor given, as in the measured sessions
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    print(path, response.status_code, len(ctx))
"""


def run_wrk(url: str, seconds: int, connections: int, cookie: str | None, paths_file: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if paths_file:
        command[1:1] = ["-s", str(ROOT / "bench" / "rotate.lua")]
        command += ["--", str(paths_file)]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct: str) -> str:
        match = re.search(rf"\s{pct}%\s+([\d.]+\w+)", out)
        return match.group(1) if match else "?"

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


DISTRICTS = ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区",
             "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"]
STATES = ["submitted", "returned", "expert_review", "reviewed", "publicity", "registered", "rejected", "withdrawn"]
INDUSTRIES = ["集成电路", "生物医药", "人工智能", "新能源汽车", "高端装备", "航空航天", "信息通信", "新材料"]
SEARCHES = ["联盟", "芯片", "上海集成电路产业", "基准测试科技有限公司1", "LM2024001-0", "913101150000001", "生物医药产业知识产权联盟1"]


PUBLICITY_PAGE_SIZE = 50  # review.publicity.views.PUBLIC_PAGE_SIZE
# Tags that links shared in WeChat carry (`from=singlemessage`…); the portal reads none of them.
SHARE_TAGS = ["singlemessage", "groupmessage", "timeline"]


def rotation(total: int, batch_id: str, batch_entries: int) -> dict[str, list[str]]:
    """Distinct, valid URLs a clerk or the public would open, a few thousand per list."""
    import itertools
    import random

    rng = random.Random(11)
    pages_of = max(1, min(40, total // 25 // 20))
    queue = []
    for state, sort, page in itertools.product(["", *STATES], ["", "-submitted_at", "updated_at", "-updated_at",
                                                                "number", "-number", "title"], range(1, pages_of + 1)):
        query = {"state": state, "sort": sort, "page": page}
        choice = rng.random()
        if choice < 0.3:
            query["district"] = rng.choice(DISTRICTS)
        elif choice < 0.4:
            query["q"] = rng.choice(SEARCHES)
        queue.append("/review/?" + urlencode({k: v for k, v in query.items() if v not in ("", 1)}))
    registry = []
    # The seed registers filings over the last 600 days: this year and the last both have entries.
    this_year = time.localtime().tm_year
    years = ["", str(this_year - 1), str(this_year)]
    for year, industry, page in itertools.product(years, ["", *INDUSTRIES], range(1, pages_of + 1)):
        query = {"year": year, "industry": industry, "page": page}
        choice = rng.random()
        if choice < 0.3:
            query["district"] = rng.choice(DISTRICTS)
        elif choice < 0.4:
            query["q"] = rng.choice(SEARCHES)
        registry.append("/public/registry/?" + urlencode({k: v for k, v in query.items() if v not in ("", 1)}))
    # A 公示 has no filter or search of its own (its view reads `page`; `entry` opens the objection
    # form, which is never cached): its pages alone are too few to outrun the page cache (10 at
    # 10,000 filings). Each of its real pages is asked for under distinct share tags, as links
    # passed around in WeChat arrive: every URL a page of real rows, and a cache miss.
    pages = max(1, -(-batch_entries // PUBLICITY_PAGE_SIZE))
    shares = -(-3000 // pages)
    publicity = [
        f"/public/publicity/{batch_id}/?" + urlencode({"page": n, "from": SHARE_TAGS[k % 3], "share": k})
        for n in range(1, pages + 1)
        for k in range(shares)
    ]
    for urls in (queue, registry, publicity):
        rng.shuffle(urls)
    return {"staff queue": queue, "public registry": registry, "public publicity list": publicity}


def measure(size: int, args, python: str) -> list[tuple]:
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = environment(workdir)
    started = time.monotonic()
    seeded = seed_database(env, python, SEED, size)
    session_key, batch_id, applicant_session, draft_id = seeded[0], seeded[1], seeded[5], seeded[6]
    print(
        f"\n== {size:,} filings: seeded {seeded[2]} filings, {seeded[3]} events, {seeded[4]} expert assignments "
        f"in {time.monotonic() - started:.1f} s"
    )
    step = f"/filings/{draft_id}/step/members/"
    rotations = rotation(size, batch_id, int(seeded[7]))
    pages = [
        ("bare view (/health/)", "/health/", None),
        ("staff queue", "/review/", "staff"),
        ("public registry", "/public/registry/", None),
        ("public publicity list", f"/public/publicity/{batch_id}/", None),
        ("step page, 40 members", step, "applicant"),
    ]
    counted = subprocess.run(
        [python, "-c", COUNT, *[p for _n, p, _a in pages]], env=env, check=True, cwd=ROOT, capture_output=True,
        text=True,
    ).stdout.splitlines()
    queries = {line.split()[0]: (line.split()[1], line.split()[2]) for line in counted if line.startswith("/")}
    cookies = {"staff": f"sessionid={session_key}", "applicant": f"sessionid={applicant_session}", None: None}
    results = []
    server, base = serve(env, python)
    try:
        for name, path, who in pages:
            cookie = cookies[who]
            subprocess.run(["wrk", "-t1", "-c2", "-d2s", base + path], capture_output=True, check=False)
            hit = run_wrk(base + path, args.seconds, args.connections, cookie)
            miss = None
            if name in rotations:
                paths_file = workdir / f"{name.replace(' ', '-')}.txt"
                paths_file.write_text("\n".join(rotations[name]) + "\n")
                miss = run_wrk(base + path, args.seconds, args.connections, cookie, paths_file)
                miss["urls"] = len(rotations[name])
            results.append((name, path, hit, miss, queries.get(path, ("?", "?"))))
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
    bare = results[0][2]["rps"]
    print(f"{'page':<24}{'mode':<10}{'req/s':>9}{'p50':>10}{'p99':>10}{'queries':>9}{'status':>8}{'ratio':>8}")
    for name, path, hit, miss, (status, count) in results:
        for mode, r in (("one URL", hit), ("rotating", miss)):
            if r is None:
                continue
            ratio = r["rps"] / bare if bare else 0
            target = STEP_TARGET if path.startswith("/filings/") else LIST_TARGET
            verdict = "" if path == "/health/" else ("PASS" if ratio >= target and not r["errors"] else "FAIL")
            label = mode + (f" ({r['urls']})" if "urls" in r else "")
            print(
                f"{name:<24}{label:<10}{r['rps']:>9.1f}{r['p50']:>10}{r['p99']:>10}{count:>9}{status:>8}{ratio:>8.3f}"
                f"  {verdict}" + (f"  ({r['errors']} non-2xx)" if r["errors"] else "")
            )
    return results


def milliseconds(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    if not match:
        return float("nan")
    value, unit = float(match[1]), match[2]
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=SERVER["workers"], help=WORKERS_HELP)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk)")
    SERVER["workers"] = args.workers
    sizes = [int(n) for n in args.filings.split(",")]
    print(f"database: {environment(Path('.'))['DATABASE_URL'].split('@')[-1]}; gunicorn workers: {args.workers}")
    by_size = {size: measure(size, args, sys.executable) for size in sizes}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print(f"\np50 at {large:,} against {small:,} (rotating URLs; target <= {FLAT_TARGET})")
        for (name, _p, _h, miss_small, _q), (_n, _p2, _h2, miss_large, _q2) in zip(by_size[small], by_size[large], strict=True):
            if miss_small and miss_large:
                ratio = milliseconds(miss_large["p50"]) / milliseconds(miss_small["p50"])
                print(f"{name:<24}{miss_small['p50']:>10}{miss_large['p50']:>10}{ratio:>8.2f}  "
                      + ("PASS" if ratio <= FLAT_TARGET else "FAIL"))


if __name__ == "__main__":
    main()
