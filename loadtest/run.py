"""`make load`: the production server under a mixed load, on loopback, bounded in time.

Fills a PostgreSQL database with the directory and synthetic records (once), starts
`make serve` on a loopback port, waits for /healthz, runs locust headless with
loadtest/locustfile.py, stops the server and writes the result to docs/reliability.md.
Fails (exit status 1) on any failed request.

Settings from the environment: LOAD_DATABASE_URL (default a database `directory_load` on
127.0.0.1:5432), LOAD_ORGANISATIONS (default 100000; advocates three times as many,
networks one in twenty), LOAD_USERS (default 20), LOAD_SECONDS (default 60).
"""

import csv
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE_URL = os.environ.get(
    "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/directory_load"
)
ORGANISATIONS = int(os.environ.get("LOAD_ORGANISATIONS", "100000"))
USERS = int(os.environ.get("LOAD_USERS", "20"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
BIND = "127.0.0.1:8765"
REPORT = ROOT / "docs" / "reliability.md"


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_database():
    import psycopg2

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    server = psycopg2.connect(DATABASE_URL.replace(url.path, "/postgres"))
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    server.close()


def organisation_count(env) -> int:
    result = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from orgs.models import Organisation; print(Organisation.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1])


def fill(env):
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    manage("load_fixtures", "--verbosity", "0", env=env)
    if organisation_count(env) < ORGANISATIONS:
        manage(
            "generate_synthetic",
            "--organisations",
            str(ORGANISATIONS),
            "--advocates",
            str(3 * ORGANISATIONS),
            "--networks",
            str(max(1, ORGANISATIONS // 20)),
            env=env,
        )


def wait_for_health(seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{BIND}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"The server did not answer /healthz within {seconds} s.")


def read_stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_failures(prefix: str) -> list[dict]:
    """Every kind of failure with its count, those of answers cut off mid-stream included
    (locust counts them here, not always in the request's row)."""
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_report(rows: list[dict], failures: list[dict], organisations: int):
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failed = sum(int(failure["Occurrences"]) for failure in failures)
    lines = [
        "# Reliability: a load run",
        "",
        "Written by `make load` (loadtest/run.py): locust headless on loopback against",
        "`make serve` (gunicorn, DEBUG off) on PostgreSQL.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the end "
        "(anything else running shows here)",
        f"- Data: {organisations} organisations (the reports' records and synthetic ones)",
        f"- Load: {USERS} simulated visitors for {SECONDS} s, each waiting 0.2-1 s between "
        "requests",
        f"- Result: {total['Request Count']} requests, {failed} failed",
        "",
        "| request | count | failed | median ms | p95 ms | requests/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['95%']} | {float(row['Requests/s']):.1f} |"
        )
    if failures:
        lines += ["", "Failures:", ""]
        lines += [
            f"- {failure['Method']} {failure['Name']}: {failure['Error']} "
            f"({failure['Occurrences']} times)"
            for failure in failures
        ]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "0", "BIND": BIND}
    env.setdefault("SECRET_KEY", "load-test-only-" + "x" * 40)
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env["SECURE_SSL_REDIRECT"] = "0"
    # Every simulated visitor comes from 127.0.0.1: the API's per-address limit would refuse
    # most of them, which is the limit working, not the server failing.
    env.setdefault("API_RATE_ANONYMOUS", "1000000/minute")
    ensure_database()
    fill(env)
    organisations = organisation_count(env)
    manage("collectstatic", "--noinput", "--verbosity", "0", env=env)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_health()
        with tempfile.TemporaryDirectory() as folder:
            prefix = f"{folder}/load"
            locust = subprocess.run(
                [
                    str(Path(PYTHON).parent / "locust"),
                    "-f",
                    str(ROOT / "loadtest" / "locustfile.py"),
                    "--headless",
                    "--host",
                    f"http://{BIND}",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(USERS),
                    "--run-time",
                    f"{SECONDS}s",
                    "--stop-timeout",
                    "10",
                    "--csv",
                    prefix,
                    "--only-summary",
                ],
                cwd=ROOT,
            )
            rows = read_stats(prefix)
            failures = read_failures(prefix)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    write_report(rows, failures, organisations)
    print(f"Wrote {REPORT.relative_to(ROOT)}")
    return 1 if failures or locust.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
