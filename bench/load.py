"""50 people at once on the portal, for a bounded time, then whether the data are whole.

    DATABASE_URL=postgres://… python bench/load.py [--users 50] [--seconds 90] [--fault broker|worker]

Starts the production set of scripts/cluster.py (gunicorn with 2 workers under the production
profile, as bench/pages.py runs it; two Celery workers, beat and `outbox_relay --loop`) on the
PostgreSQL database you give (emptied first), with a Redis of its own as the broker (no
persistence) and another as the cache, uploads and PDFs on local disk and every e-mail written
to a file. Seeds an open alliance call, one account per applicant journey, staff with an
authenticator, and a few submitted filings; then runs locust with three kinds of user:

- applicants (6 in 10): sign in, start an alliance filing, fill every step, upload the
  materials, submit, poll until the 申请书 PDF is ready, download it;
- staff (2 in 10): sign in with the code of their authenticator, then again and again: the
  queue with filters, a submitted filing, the material audit passed;
- the public (the rest): home, the registry with filters, the publicity list, the
  verification page.

--fault broker stops the broker a third into the run (or --fault-at seconds), keeps it down 15 s
and starts it again empty; --fault worker kills one Celery worker (SIGKILL) halfway. At the end it waits (at most
--settle seconds) until the outbox has no work left, then prints requests, failures by
status, p50/p95/p99 per journey step, and the data checks: every submitted version has
exactly one PDF, every filing event exactly one e-mail, numbers without gaps; lost and
duplicated PDFs and e-mails are counted. Always exits 0.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "bench")]

from cluster import Cluster  # noqa: E402
from pages import environment  # noqa: E402

PASSWORD = "Load-Test-2026!"
POLL_SECONDS = 60
FAULT_DOWN_SECONDS = 15

SEED = r"""
import json, sys
import django
django.setup()
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Organisation, Role, User
from accounts.tests.factories import OrganisationFactory
from filings import services
from filings.tests.alliance_factories import complete_alliance_filing
from filings.tests.factories import CallFactory
from review.models import PublicityBatch
from django.utils import timezone
from datetime import timedelta

applicants, staff_count, submitted, password = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
hashed = make_password(password)
call = CallFactory(kind="ALLIANCE", title="关于开展2026年上海市产业知识产权联盟备案的通知")
people = []
for n in range(applicants):
    organisation = OrganisationFactory(name=f"上海负载测试科技有限公司{n}")
    user = User.objects.create(email=f"applicant{n}@load.example", name=f"申报{n}", mobile="13800138000",
                               role=Role.APPLICANT, organisation=organisation, password=hashed)
    people.append({"email": user.email, "organisation": organisation.name})
staff = []
for n in range(staff_count):
    user = User.objects.create(email=f"staff{n}@load.example", name=f"审核{n}", mobile="13900139000",
                               role=Role.STAFF, password=hashed)
    device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)
    staff.append({"email": user.email, "key": device.key})
for _n in range(submitted):
    filing = complete_alliance_filing()
    services.filing_submit(filing=filing, actor=filing.created_by)
today = timezone.localdate()
PublicityBatch.objects.create(call=call, title="2026年上海市产业知识产权联盟拟备案名单公示", starts_on=today,
                              ends_on=today + timedelta(days=6), published_by=User.objects.filter(role=Role.STAFF).first())
print(json.dumps({"call": call.pk, "applicants": people, "staff": staff}))
"""

CHECK = r"""
import json, re, sys
from collections import Counter
from pathlib import Path
import django
django.setup()
from django.db.models import Count
from accounts.models import User
from filings.models import Filing, FilingEvent, FilingVersion, OutboxMessage, VersionDocument

media, mails = Path(sys.argv[1]), Path(sys.argv[2])
undone = OutboxMessage.objects.filter(done_at__isnull=True)
report = {"outbox_waiting": undone.filter(dead_at__isnull=True).count(), "outbox_dead": undone.filter(dead_at__isnull=False).count(),
          "outbox_resent": OutboxMessage.objects.filter(attempts__gt=1).count()}
if len(sys.argv) > 3:  # only whether the outbox is empty
    print(json.dumps(report)); raise SystemExit
versions = FilingVersion.objects.count()
documents = VersionDocument.objects.count()
files = len(list((media / "documents").rglob("*.pdf"))) if (media / "documents").exists() else 0
with_document = FilingVersion.objects.filter(document__isnull=False).count()
report.update(versions=versions, documents=documents, pdf_files=files,
              pdf_lost=versions - with_document, pdf_duplicated=max(0, files - documents) + max(0, documents - with_document))
received = Counter()
for path in mails.glob("*"):
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("To: "):
            for address in line[4:].split(","):
                received[address.strip()] += 1
expected = Counter()
events = FilingEvent.objects.values("filing__organisation_id").annotate(n=Count("id"))
per_organisation = {row["filing__organisation_id"]: row["n"] for row in events}
for user in User.objects.filter(organisation_id__in=per_organisation, is_active=True):
    expected[user.email] += per_organisation[user.organisation_id]
addresses = set(expected) | set(received)
report.update(events=FilingEvent.objects.count(), mails_expected=sum(expected.values()), mails=sum(received.values()),
              mail_lost=sum(max(0, expected[a] - received[a]) for a in addresses),
              mail_duplicated=sum(max(0, received[a] - expected[a]) for a in addresses))
gaps = 0
for call_id in Filing.objects.filter(number__isnull=False).values_list("call_id", flat=True).distinct():
    numbers = Filing.objects.filter(call_id=call_id, number__isnull=False).values_list("number", flat=True)
    seqs = sorted(int(re.search(r"(\d+)$", n).group(1)) for n in numbers)
    gaps += int(seqs != list(range(1, len(seqs) + 1)))
report.update(numbered=Filing.objects.filter(number__isnull=False).count(), calls_with_gaps=gaps)
print(json.dumps(report))
"""

# What the applicant types: the reference filing of the tests (filings/tests/alliance_factories.py).
DETAIL = {
    "contact_name": "李联系",
    "contact_title": "知识产权部经理",
    "contact_phone": "021-23170417",
    "contact_mobile": "13800138000",
    "contact_email": "lianxi@example.com",
    "name": "上海车规芯片产业知识产权联盟",
    "address": "上海市浦东新区张江路1号",
    "postcode": "201203",
    "founded_on": "2023-06-01",
    "industry": "集成电路",
    "alliance_type": "cooperative",
    "chair_name": "张理事",
    "chair_phone": "021-50801234",
    "chair_title": "董事长",
    "secretary_name": "陈秘书",
    "secretary_phone": "13900139000",
    "secretary_title": "知识产权总监",
    "std_international": "0",
    "std_national": "2",
    "std_industry": "3",
    "count_enterprise": "3",
    "count_university": "1",
    "count_institute": "0",
    "count_service": "0",
    "count_financial": "1",
    "patent_office_name": "联盟知识产权工作委员会",
    "patent_staff_count": "2",
    "funding_source": "成员单位会费",
    "tasks_text": "加强车规芯片关键领域知识产权运营。",
    "operation_text": "工作例会制度，按专利价值比例分配收益。",
    "pool_text": "围绕功率半导体构建专利池，内部交叉许可，对外打包许可。",
    "declarant_name": "张理事",
    "declaration_accepted": "on",
}
INDUSTRIES = ["集成电路", "生物医药", "人工智能", "新能源汽车", "高端装备"]
DISTRICTS = ["浦东新区", "徐汇区", "闵行区", "嘉定区"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def members(sponsor: str) -> dict:
    enterprise = {"amount": "1200", "inventions": "12", "utility_models": "5", "designs": "0"}
    return {
        **formset(
            "enterprises",
            [
                {**enterprise, "name": sponsor, "pool_role": "contributes"},
                {**enterprise, "name": "上海晶圆制造有限公司", "pool_role": "contributes"},
                {**enterprise, "name": "上海整车集团有限公司", "pool_role": "licensed"},
            ],
        ),
        **formset("academic", [{**enterprise, "category": "university", "name": "上海某大学", "amount": "800.50"}]),
        **formset(
            "services", [{"category": "financial", "name": "上海某银行", "amount": "1200", "main_business": "科技信贷"}]
        ),
        "save-next": "1",
    }


POOLS = {
    **formset(
        "pools",
        [
            {
                "name": "车规级芯片专利池",
                "chain_node": "车规级功率半导体",
                "patent_count": "36",
                "description": "成员以自有专利入池，池内交叉许可，对外打包许可。",
            }
        ],
    ),
    "save-next": "1",
}


# The production profile marks cookies Secure, and no TLS proxy stands in front of gunicorn
# here: the clients of this process send them over plain HTTP. (requests copies the session's
# cookies into a jar of the default policy for each request, so the policy itself is changed.)
DefaultCookiePolicy.return_ok_secure = lambda _policy, _cookie, _request: True


class Visitor(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)

    def token(self, response) -> str:
        match = CSRF.search(response.text)
        return match.group(1) if match else ""

    def sign_in(self, email: str, journey: str):
        self.client.cookies.clear()
        page = self.client.get("/accounts/login/", name=f"{journey}: sign-in page")
        return self.client.post(
            "/accounts/login/",
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": self.token(page)},
            name=f"{journey}: sign in",
        )


class Applicant(Visitor):
    weight = 6

    @task
    def file_and_submit(self):
        seed = self.environment.seed
        if not seed["applicants"]:
            gevent.sleep(1)
            return
        person = seed["applicants"].pop()
        self.sign_in(person["email"], "applicant")
        page = self.client.get(f"/filings/start/{seed['call']}/", name="applicant: call page")
        started = self.client.post(
            f"/filings/start/{seed['call']}/", {"csrfmiddlewaretoken": self.token(page)}, name="applicant: start filing"
        )
        match = re.search(r"/filings/(\d+)/step/", started.url)
        if not match:
            return
        pk = match.group(1)
        csrf = self.token(started)
        steps = [
            ("cover", DETAIL),
            ("basic", DETAIL),
            ("counts", DETAIL),
            ("pools", POOLS),
            ("members", members(person["organisation"])),
            ("texts", DETAIL),
            ("declaration", DETAIL),
        ]
        for slug, data in steps:
            answer = self.client.post(
                f"/filings/{pk}/step/{slug}/",
                {**data, "save-next": "1", "csrfmiddlewaretoken": csrf},
                name=f"applicant: step {slug}",
            )
            csrf = self.token(answer) or csrf
        for code in ("M2", "M3", "M4"):
            answer = self.client.post(
                f"/filings/{pk}/materials/",
                {"code": code, "csrfmiddlewaretoken": csrf},
                files={"file": (f"{code}.pdf", self.environment.pdf, "application/pdf")},
                name="applicant: upload material",
            )
            csrf = self.token(answer) or csrf
        review = self.client.get(f"/filings/{pk}/submit/", name="applicant: review before submit")
        with self.client.post(
            f"/filings/{pk}/submit/",
            {"csrfmiddlewaretoken": self.token(review)},
            name="applicant: submit",
            catch_response=True,
        ) as submitted:
            if f"/filings/{pk}/submit/" in submitted.url:
                submitted.failure("submission refused")
                return
        waited = time.monotonic()
        ready = False
        while time.monotonic() - waited < POLL_SECONDS:
            status = self.client.get(f"/filings/{pk}/v1/pdf/status/", name="applicant: poll PDF status")
            if status.ok and status.json().get("state") == "ready":
                ready = True
                break
            gevent.sleep(1)
        events.request.fire(
            request_type="WAIT",
            name="applicant: submit → 申请书 PDF ready",
            response_time=(time.monotonic() - waited) * 1000,
            response_length=0,
            response=None,
            context={},
            exception=None if ready else TimeoutError(f"not ready within {POLL_SECONDS} s"),
        )
        if ready:
            self.client.get(f"/filings/{pk}/v1/pdf/", name="applicant: download PDF")


class Staff(Visitor):
    weight = 2

    def on_start(self):
        from django_otp.oath import TOTP

        account = self.environment.seed["staff"].pop()
        self.sign_in(account["email"], "staff")
        totp = TOTP(bytes.fromhex(account["key"]))
        totp.time = time.time()
        page = self.client.get("/accounts/second-factor/", name="staff: second-factor page")
        self.client.post(
            "/accounts/second-factor/",
            {"token": f"{totp.token():06d}", "csrfmiddlewaretoken": self.token(page)},
            name="staff: second factor",
        )

    @task
    def audit(self):
        query = random.choice(["", "&district=" + random.choice(DISTRICTS), "&sort=-submitted_at", "&q=联盟"])
        queue = self.client.get(f"/review/?state=submitted{query}", name="staff: queue with filters")
        found = re.findall(r'href="/review/filing/(\d+)/"', queue.text)
        if not found:
            queue = self.client.get("/review/?state=submitted", name="staff: queue with filters")
            found = re.findall(r'href="/review/filing/(\d+)/"', queue.text)
        if not found:
            return
        pk = random.choice(found[:5])
        page = self.client.get(f"/review/filing/{pk}/", name="staff: open filing")
        checks = set(re.findall(r'name="(check_\w+)"', page.text))
        if not checks:
            return  # audited by a colleague meanwhile
        self.client.post(
            f"/review/filing/{pk}/audit/",
            {"outcome": "pass", "comment": "", "csrfmiddlewaretoken": self.token(page), **dict.fromkeys(checks, "on")},
            name="staff: pass the material audit",
        )


class Public(Visitor):
    weight = 2

    @task
    def browse(self):
        self.client.get("/public/", name="public: home")
        filters = f"?industry={random.choice(INDUSTRIES)}&district={random.choice(DISTRICTS)}"
        self.client.get(f"/public/registry/{filters}", name="public: registry with filters")
        self.client.get("/public/publicity/", name="public: publicity list")
        self.client.get("/public/verify/", name="public: verification page")


def run_locust(base_url: str, seed: dict, users: int, seconds: int, fault) -> tuple:
    statuses: Counter = Counter()
    failures: Counter = Counter()
    env = Environment(user_classes=[Applicant, Staff, Public], host=base_url, events=events)
    env.seed = seed
    from filings.tests.samples import PDF

    env.pdf = PDF

    def count(request_type, name, response_time, response_length, response=None, exception=None, **_kw):
        status = getattr(response, "status_code", None)
        label = str(status) if status else ("timeout" if isinstance(exception, TimeoutError) else "no answer")
        if request_type != "WAIT":
            statuses[label] += 1
        if exception is not None:
            failures[(name, label if request_type != "WAIT" else "not ready")] += 1

    events.request.add_listener(count)
    staff = max(1, min(len(seed["staff"]), round(users * 0.2)))
    public = max(1, round(users * 0.2))
    Staff.fixed_count, Public.fixed_count = staff, public
    Applicant.fixed_count = max(1, users - staff - public)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(5, users / 5))
    started = time.monotonic()
    if fault:
        gevent.spawn(fault, started)
    gevent.sleep(seconds)
    runner.quit()
    return env.stats, statuses, failures, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--fault", choices=["broker", "worker"])
    parser.add_argument(
        "--fault-at", type=float, help="seconds into the run (default: a third for the broker, half for a worker)"
    )
    parser.add_argument("--settle", type=int, default=240, help="longest wait for queued work after the run")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it is emptied first).")
    from filings.tests.processes import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="portal-load-"))
    broker, cache = RedisServer(workdir), RedisServer(workdir)
    broker.start()
    cache.start()
    mails = workdir / "mails"
    env = environment(workdir)
    env.update(
        DATABASE_URL=os.environ["DATABASE_URL"],
        CELERY_BROKER_URL=broker.url,
        REDIS_CACHE_URL=cache.url,
        PORTAL_EMAIL_FILE_PATH=str(mails),
        # Published but not done after this long (a broker restarted empty) is sent again.
        PORTAL_OUTBOX_REDELIVER_SECONDS="30",
        DJANGO_LOG_LEVEL="ERROR",
    )
    cluster = Cluster(workdir=workdir, env=env, web_instances=1, web_workers=2, celery_workers=2, object_storage=False)
    try:
        begun = time.monotonic()
        cluster.manage("migrate", "--noinput", "-v0")
        cluster.manage("flush", "--noinput")
        cluster.manage("collectstatic", "--noinput", "-v0")
        seed = json.loads(
            subprocess.run(
                [sys.executable, "-c", SEED, str(args.users * 12), str(max(1, args.users // 5)), "10", PASSWORD],
                env=cluster.env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        addresses = cluster.start(migrate=False)
        warm_up(addresses["web"][0])
        print(
            f"set up (database emptied and seeded, processes started and warm) in {time.monotonic() - begun:.0f} s",
            flush=True,
        )
        print(
            f"{args.users} users for {args.seconds} s against {addresses['web'][0]}"
            + (f", fault: {args.fault}" if args.fault else ""),
            flush=True,
        )

        def fault(started: float) -> None:
            if args.fault == "broker":
                gevent.sleep(args.fault_at or args.seconds / 3)
                broker.stop()
                print(f"  {time.monotonic() - started:5.1f} s: broker stopped", flush=True)
                gevent.sleep(FAULT_DOWN_SECONDS)
                broker.start()
                print(f"  {time.monotonic() - started:5.1f} s: broker started again, empty", flush=True)
            elif args.fault == "worker":
                import psutil

                gevent.sleep(args.fault_at or args.seconds / 2)
                worker = psutil.Process(cluster.processes["worker1"].pid)
                for process in [*worker.children(recursive=True), worker]:
                    process.kill()
                print(f"  {time.monotonic() - started:5.1f} s: worker1 killed (SIGKILL)", flush=True)

        stats, statuses, failures, ran = run_locust(
            addresses["web"][0], seed, args.users, args.seconds, fault if args.fault else None
        )

        def check(*extra: str) -> dict:
            done = subprocess.run(
                [sys.executable, "-c", CHECK, str(workdir / "media"), str(mails), *extra],
                env=cluster.env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            return json.loads(done.stdout.splitlines()[-1])

        waited = time.monotonic()
        while check("outbox")["outbox_waiting"] and time.monotonic() - waited < args.settle:
            time.sleep(2)
        settled = time.monotonic() - waited
        time.sleep(2)  # the last e-mails' files
        report = check()
        print_tables(stats, statuses, failures, ran)
        print(
            f"\nafter the run: waited {settled:.0f} s for queued work (at most {args.settle} s); "
            f"outbox rows still waiting {report['outbox_waiting']}, given up {report['outbox_dead']}, "
            f"sent more than once {report['outbox_resent']}"
        )
        print(
            f"submitted versions {report['versions']}, PDFs recorded {report['documents']}, "
            f"PDF files {report['pdf_files']}"
        )
        print(f"PDFs: lost {report['pdf_lost']}, duplicated {report['pdf_duplicated']}")
        print(
            f"filing events {report['events']}, e-mails expected {report['mails_expected']}, written {report['mails']}"
        )
        print(f"e-mails: lost {report['mail_lost']}, duplicated {report['mail_duplicated']}")
        print(
            f"numbers: {report['numbered']} filings numbered, calls with a gap in their numbers: "
            f"{report['calls_with_gaps']}"
        )
        if cluster.dead() and args.fault != "worker":
            print(f"processes that stopped: {cluster.dead()} (logs in {workdir})")
    finally:
        cluster.stop()
        broker.stop()
        cache.stop()


def warm_up(base_url: str, seconds: float = 120) -> None:
    """Until every page of the journeys answers at once: the processes have loaded and the
    seeded filings' PDFs are rendered, so the run measures the portal, not its start."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            for path in ("/public/", "/accounts/login/", "/public/registry/", "/public/verify/") * 2:
                urllib.request.urlopen(base_url + path, timeout=30).read()
        except OSError:
            time.sleep(1)
            continue
        if time.monotonic() - started < 1:
            return


def print_tables(stats, statuses: Counter, failures: Counter, ran: float) -> None:
    requests = sum(statuses.values())  # the waits for a PDF are not requests
    print(
        f"\nrequests {requests} in {ran:.0f} s ({requests / ran:.1f}/s), "
        f"failures {sum(n for (_name, _s), n in failures.items())}"
    )
    print("answers by status: " + ", ".join(f"{s} {n}" for s, n in sorted(statuses.items())))
    if failures:
        print(f"\n{'failure':<48}{'status':>10}{'count':>8}")
        for (name, status), n in sorted(failures.items()):
            print(f"{name:<48}{status:>10}{n:>8}")
    print(f"\n{'journey step':<44}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for (name, _method), entry in sorted(stats.entries.items()):
        print(
            f"{name:<44}{entry.num_requests:>9}{entry.num_failures:>8}"
            f"{entry.get_response_time_percentile(0.5):>9.0f}{entry.get_response_time_percentile(0.95):>9.0f}"
            f"{entry.get_response_time_percentile(0.99):>9.0f}"
        )


if __name__ == "__main__":
    main()
