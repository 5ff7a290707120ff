"""How the programme-oversight pages (statistics, key-enterprise coverage) hold up, beside the
lists and the bare view, with their filters varied request by request.

    python bench/oversight.py [--filings 10000] [--seconds 10] [--connections 16]

Seeds a throw-away database (SQLite in a temporary folder, or the DATABASE_URL you
give, which it empties first) with filings across every state, with their versions,
events, expert assignments, a publicity batch and registry entries; serves the portal
with gunicorn (2 workers, production profile, DEBUG off); loads each page with wrk
(--connections connections, --seconds seconds) and prints requests per second,
p50/p99 latency, queries per page, and each page's ratio to the bare view.

The bare view is /health/: a view that runs one trivial query, the cheapest page
the portal serves. Target: every page >= 0.25 of it (the statistics dashboard and the
key-enterprise coverage pages >= 0.2, their filters varied request by request so that no
cache answers). Always exits 0.
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

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.25
# The oversight pages aggregate over every filing in scope: their own target (issue: programme oversight).
TARGETS = {"/review/statistics/": 0.2, "/review/directory/": 0.2}


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

with transaction.atomic():
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
    filings = []
    for i in range(TOTAL):
        org = orgs[i % len(orgs)]
        state = states[i % len(states)]
        submitted = state != State.DRAFT
        f = Filing(kind="ALLIANCE", call=call, organisation=org, created_by=users[org.pk], state=state,
                   title=f"上海{industries[i % 8]}产业知识产权联盟{i}", industry=industries[i % 8],
                   number=f"LM2024001-{i + 1:05d}" if submitted else None, version=1 if submitted else 0,
                   submitted_at=now - timedelta(minutes=i) if submitted else None)
        filings.append(f)
    Filing.objects.bulk_create(filings, batch_size=2000)
    filings = list(Filing.objects.order_by("pk"))
    seq = 0
    for f in filings:
        if f.state == State.REGISTERED:
            seq += 1
            f.registry_seq, f.registry_number, f.registered_at = seq, call.registry_number(seq), now - timedelta(days=seq % 300)
    Filing.objects.bulk_update([f for f in filings if f.registry_seq], ["registry_seq", "registry_number", "registered_at"], batch_size=2000)
    findings = [{"rule": f"AL-{n}", "verdict": "pass", "message": "符合", "source": "seed 000", "step": "", "evidence": ""} for n in range(9)]
    findings[2]["verdict"] = "review"
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
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    # Staff sign in with a second factor: the session as it is once the code was given.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True).persistent_id
    session.create()
print(session.session_key, batch.pk, Filing.objects.count(), FilingEvent.objects.count(), ExpertAssignment.objects.count())
"""

# Programme oversight (statistics and the key-enterprise directory): a tenth of the filings are
# 专利产品备案, events spread over the months, organisations in 临港新片区, three key-enterprise
# lists whose entries are a third of the organisations plus 1,000 that never filed.
SEED_OVERSIGHT = r"""
from datetime import timedelta
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from accounts.models import Area, Organisation
from filings.models import Call, Filing, FilingEvent
from filings.states import State
from review.directory.models import KeyEntry, KeyList
from accounts.models import User
from stdnum.cn import uscc as stdnum_uscc

now = timezone.now()
with transaction.atomic():
    product = Call.objects.create(kind="PRODUCT", title="上海市知识产权局关于组织开展专利产品备案工作的通知",
        opens_at=now - timedelta(days=400), closes_at=now + timedelta(days=30), year=now.year,
        number_format="沪知产品备〔{year}〕第{seq:05d}号")
    ids = list(Filing.objects.exclude(state=State.DRAFT).order_by("pk").values_list("pk", flat=True))
    Filing.objects.filter(pk__in=ids[::10]).update(kind="PRODUCT", call=product)
    Organisation.objects.filter(pk__in=list(Organisation.objects.values_list("pk", flat=True))[::40]).update(in_lingang=True)
    # The bench spreads submissions a minute apart; the statistics want months: two years, whatever the size.
    filings = list(Filing.objects.exclude(state=State.DRAFT).order_by("pk").only("pk", "submitted_at"))
    step = timedelta(days=730) / max(1, len(filings))
    submitted = {}
    for i, f in enumerate(filings):
        f.submitted_at = submitted[f.pk] = now - step * i
    Filing.objects.bulk_update(filings, ["submitted_at"], batch_size=2000)
    events = list(FilingEvent.objects.filter(action__in=["submit", "audit_pass"]).only("pk", "filing_id", "action"))
    for e in events:
        e.created_at = submitted[e.filing_id] + (timedelta(days=4) if e.action == "audit_pass" else timedelta())
    FilingEvent.objects.bulk_update(events, ["created_at"], batch_size=2000)
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
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as a live database has them
print(" ".join(str(pk) for pk in KeyList.objects.order_by("pk").values_list("pk", flat=True)))
"""

# Filters varied request by request, so that no cache answers (wrk picks one path at random).
VARIED = r"""
paths = {PATHS}
math.randomseed(7)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def statistics_paths() -> list[str]:
    from urllib.parse import quote

    areas = ["", "浦东新区", "徐汇区", "闵行区", "嘉定区", "临港新片区"]
    kinds = ["", "ALLIANCE", "PRODUCT"]
    periods = ["", "date_from=2024-01-01", "date_from=2025-06-01&date_to=2025-12-31", "date_to=2026-03-31"]
    paths = []
    for a, area in enumerate(areas):
        for k, kind in enumerate(kinds):
            period = periods[(a + k) % len(periods)]
            query = "&".join(q for q in (f"area={quote(area)}" if area else "", f"kind={kind}" if kind else "", period) if q)
            paths.append("/review/statistics/" + ("?" + query if query else ""))
    return paths


def coverage_paths(list_ids: list[str]) -> list[str]:
    paths = ["/review/directory/"] * 3
    for pk in list_ids:
        for status in ("", "none", "registered", "in_progress"):
            paths.append(f"/review/directory/{pk}/" + (f"?status={status}" if status else ""))
    return paths


COUNT = r"""
import sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email="staff@bench.example"))
for path in sys.argv[1:]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    print(path, response.status_code, len(ctx))
"""


def run_wrk(url: str, seconds: int, connections: int, cookie: str | None, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", str(script)]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct: str) -> str:
        match = re.search(rf"\s{pct}%\s+([\d.]+\w+)", out)
        return match.group(1) if match else "?"

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian package wrk)")
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = environment(workdir)
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}")
    manage = [python, str(ROOT / "manage.py")]
    if not env["DATABASE_URL"].startswith("sqlite"):
        subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    started = time.monotonic()
    seeded = subprocess.run(
        [python, "-c", SEED, str(args.filings)], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    session_key, batch_id = seeded[0], seeded[1]
    print(
        f"seeded {seeded[2]} filings, {seeded[3]} events, {seeded[4]} expert assignments "
        f"in {time.monotonic() - started:.1f} s"
    )

    list_ids = subprocess.run(
        [python, "-c", SEED_OVERSIGHT], env=env, check=True, cwd=ROOT, stdout=subprocess.PIPE, text=True
    ).stdout.split()
    varied = {"/review/statistics/": statistics_paths(), "/review/directory/": coverage_paths(list_ids)}

    pages = [
        ("bare view (/health/)", "/health/", False),
        ("statistics (varied)", "/review/statistics/", True),
        ("coverage (varied)", "/review/directory/", True),
        ("staff queue", "/review/", True),
        ("public publicity list", f"/public/publicity/{batch_id}/", False),
        ("public registry", "/public/registry/", False),
    ]
    counted = subprocess.run(
        [python, "-c", COUNT, *[p for _n, p, _a in pages], *varied["/review/statistics/"][1:3]],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    queries = {line.split()[0]: (line.split()[1], line.split()[2]) for line in counted if line.startswith("/")}

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    try:
        for _i in range(600):
            try:
                # Both workers have loaded the portal when the bare view answers twice.
                for _n in range(2):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        results = []
        for name, path, authenticated in pages:
            cookie = f"sessionid={session_key}" if authenticated else None
            # A short warm-up: the first requests of a worker load templates and connections.
            subprocess.run(
                ["wrk", "-t1", "-c2", "-d2s", f"http://127.0.0.1:{port}{path}"], capture_output=True, check=False
            )
            script = None
            if path in varied:
                script = workdir / f"varied{len(results)}.lua"
                lua = "{" + ", ".join('"' + p.replace('"', '') + '"' for p in varied[path]) + "}"
                script.write_text(VARIED.replace("{PATHS}", lua))
            results.append(
                (name, path, run_wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections, cookie, script))
            )
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)

    bare = results[0][2]["rps"]
    print(
        f"\n{'page':<24}{'req/s':>9}{'p50':>10}{'p99':>10}{'queries':>9}{'status':>8}{'ratio':>8}  target >= {TARGET}"
    )
    for name, path, r in results:
        status, count = queries.get(path, ("?", "?"))
        ratio = r["rps"] / bare if bare else 0
        target = TARGETS.get(path, TARGET)
        verdict = "" if path == "/health/" else ("PASS" if ratio >= target and not r["errors"] else "FAIL")
        print(
            f"{name:<24}{r['rps']:>9.1f}{r['p50']:>10}{r['p99']:>10}{count:>9}{status:>8}{ratio:>8.2f}  {verdict}"
            + (f" (>= {target})" if target != TARGET else "")
            + (f"  ({r['errors']} non-2xx)" if r["errors"] else "")
        )
    for path in varied["/review/statistics/"][1:3]:
        status, count = queries.get(path, ("?", "?"))
        print(f"  queries for {path}: {count} (status {status})")


if __name__ == "__main__":
    main()
