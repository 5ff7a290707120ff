"""Which of the lists' queries read the whole filings table, at a given size.

    python bench/explain.py [--filings 100000] [--urls 80]

Seeds a throw-away database as bench/pages.py does (the DATABASE_URL you give, emptied
first; PostgreSQL, since the plans are PostgreSQL's), opens a sample of each list's rotating
URLs (the staff queue, the public registry, a 公示) through Django's test client, and asks
PostgreSQL to EXPLAIN every query they run, just before it runs, on its connection (so under
the settings the code gave it). Prints, per list, how many queries there were and which of them
plan a sequential scan of the filings table, with the URL and the plan's lines. Always exits 0.
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages

EXPLAIN = r"""
import sys
import django
django.setup()
from django.test import Client
from review.tests.plans import plans_of, reads_every_filing
sys.path.insert(0, sys.argv[1])
import pages
session_key, batch_id, sample = sys.argv[2], sys.argv[3], int(sys.argv[4])
client = Client(HTTP_HOST="127.0.0.1")
for name, urls in pages.rotation(int(sys.argv[5]), batch_id, int(sys.argv[6])).items():
    client.cookies["sessionid"] = session_key if name == "staff queue" else ""
    count, scans = 0, []
    for url in urls[:sample]:
        # Each statement is explained just before it runs, under the settings the code gave it (a
        # search's reads set their own scans, review/search.py).
        plans = plans_of(lambda: client.get(url, secure=True))
        count += len(plans)
        scans += [(url, plan) for plan in plans if reads_every_filing(plan)]
    print(f"\n{name}: {min(sample, len(urls))} URLs, {count} queries, {len(scans)} with a sequential scan of filings_filing")
    for url, plan in scans[:6]:
        print(f"  {url}")
        print("\n".join("    " + line for line in plan.splitlines() if "Scan" in line or "Limit" in line))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filings", type=int, default=100000)
    parser.add_argument("--urls", type=int, default=80, help="URLs sampled from each list's rotation")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="portal-explain-"))
    env = pages.environment(workdir)
    if env["DATABASE_URL"].startswith("sqlite"):
        sys.exit("give DATABASE_URL of a PostgreSQL database: the plans are PostgreSQL's")
    manage = [sys.executable, str(pages.ROOT / "manage.py")]
    subprocess.run([*manage, "flush", "--noinput"], env=env, check=True, cwd=pages.ROOT)
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=pages.ROOT)
    # The pages are drawn as in production, with the collected static files' manifest.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=pages.ROOT)
    seeded = subprocess.run(
        [sys.executable, "-c", pages.SEED, str(args.filings)], env=env, check=True, cwd=pages.ROOT,
        capture_output=True, text=True,
    ).stdout.split()
    subprocess.run(
        [*manage, "dbshell", "--", "-c", "VACUUM ANALYZE"], check=False, env=env, cwd=pages.ROOT, capture_output=True
    )
    print(f"{seeded[2]} filings")
    subprocess.run(
        [sys.executable, "-c", EXPLAIN, str(Path(__file__).resolve().parent), seeded[0], seeded[1], str(args.urls),
         str(args.filings), seeded[7]],
        env=env, check=True, cwd=pages.ROOT,
    )


if __name__ == "__main__":
    main()
