"""Peak memory of a call's dossier, built the way the task builds it (issue: the dossier).

    python bench/dossier.py [--filings 500] [--mb 5]

Seeds a throw-away SQLite database and media folder with a call of --filings submitted
filings, each with --mb MB of materials (random bytes, one file hard-linked per filing so
the seed is quick; the build still reads and writes every byte), then builds the call's
dossier in a fresh process for a tenth of the call and for the whole call, and prints each
build's time, ZIP size and peak resident memory. Flat memory: the two peaks are alike.
Always exits 0.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SEED = r"""
import os, sys
from datetime import timedelta
import django
django.setup()
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from accounts.models import Organisation, OrganisationType, Role, User
from filings.models import Call, Filing, FilingVersion, Material
from filings.states import State
from stdnum.cn import uscc as stdnum_uscc

total, mb = int(sys.argv[1]), int(sys.argv[2])
now = timezone.now()
source = os.path.join(settings.MEDIA_ROOT, "bench-source.pdf")
os.makedirs(os.path.join(settings.MEDIA_ROOT, "materials"), exist_ok=True)
with open(source, "wb") as out:
    out.write(b"%PDF-1.7\n" + os.urandom(mb * 1024 * 1024 - 9))
for name, size in (("small", max(1, total // 10)), ("whole", total)):
    with transaction.atomic():
        call = Call.objects.create(kind="ALLIANCE", title=f"基准批次 {name}", opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=30), number_format="沪知联备〔{year}〕第{seq:04d}号", year=2024)
        body = f"91310115{call.pk:09d}"[:17]
        org = Organisation.objects.create(name=f"上海基准测试科技有限公司{call.pk}", uscc=body + stdnum_uscc.calc_check_digit(body),
            org_type=OrganisationType.ENTERPRISE, district="浦东新区", division_code="310115", contact_name="王联系")
        user = User.objects.create(email=f"u{call.pk}@bench.example", name="用户", mobile="13800138000",
            role=Role.APPLICANT, organisation=org, password="!")
        filings = Filing.objects.bulk_create([Filing(kind="ALLIANCE", call=call, organisation=org, created_by=user,
            state=State.SUBMITTED, title=f"联盟{i}", number=f"B{call.pk}-{i:05d}", version=1, submitted_at=now)
            for i in range(size)])
        FilingVersion.objects.bulk_create([FilingVersion(filing=f, number=1, data={"detail": {"name": f.title}},
            findings=[], materials=[], submitted_by=user) for f in filings])
        materials = []
        for f in filings:
            path = f"materials/{f.pk}.pdf"
            os.link(source, os.path.join(settings.MEDIA_ROOT, path))
            materials.append(Material(filing=f, code="M2", file=path, original_name="章程.pdf",
                content_type="application/pdf", size=mb * 1024 * 1024, sha256="-", uploaded_by=user))
        Material.objects.bulk_create(materials)
    print(name, call.pk, user.pk)
"""

BUILD = r"""
import resource, sys, time
import django
django.setup()
from review.dossier.models import CallDossier
from review.dossier.services import call_dossier_build
call_id, user_id = int(sys.argv[1]), int(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
dossier = CallDossier.objects.create(call_id=call_id, requested_by_id=user_id)
started = time.perf_counter()
dossier = call_dossier_build(dossier_id=dossier.pk)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{dossier.total} {seconds:.1f} {dossier.size} {before / 1024:.0f} {peak / 1024:.0f}")
dossier.file.delete(save=False)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=500)
    parser.add_argument("--mb", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as workdir:
        work = Path(workdir)
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
            DJANGO_MEDIA_ROOT=str(work / "media"),
            DJANGO_SETTINGS_MODULE="portal.settings",
            CELERY_BROKER_URL="",
            PYTHONPATH=str(ROOT),
            TMPDIR=str(work),
        )
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        seeded = subprocess.run(
            [python, "-c", SEED, str(args.filings), str(args.mb)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        calls = {seeded[i]: (seeded[i + 1], seeded[i + 2]) for i in range(0, len(seeded), 3)}
        print(f"dossier of a call, {args.mb} MB of materials per filing (peak resident memory of the build process)")
        print(f"{'filings':>8} {'seconds':>8} {'ZIP MB':>8} {'RSS at start MB':>16} {'peak RSS MB':>12}")
        for name in ("small", "whole"):
            call_id, user_id = calls[name]
            out = subprocess.run(
                [python, "-c", BUILD, call_id, user_id], cwd=ROOT, env=env, check=True, capture_output=True, text=True
            ).stdout.split()
            total, seconds, size, before, peak = out
            print(f"{total:>8} {seconds:>8} {int(size) / 2**20:>8.0f} {before:>16} {peak:>12}")


if __name__ == "__main__":
    main()
