"""The real site in a subprocess, and Debian's Chromium driven by Playwright.

The site runs on its own SQLite file, loaded through the same commands `make run` uses, so
browser tests never touch the database the rest of the suite shares (pytest-django's
live_server would flush it between tests).
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 60  # seconds
SETUP_TIMEOUT = 600  # seconds, for migrate and load_fixtures
EDITOR = ("browser-editor", "a long password for the browser editor")
# The factory the other tests' `editor` comes from, with a password to sign in with.
CREATE_EDITOR = f"""
from tests.factories import EditorFactory
EditorFactory(username={EDITOR[0]!r}, password={EDITOR[1]!r})
"""


def browser_tests_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip the browser tests, unless CI requires them (then they fail)."""
    if CHROMIUM.exists() or browser_tests_required():
        return
    skip = pytest.mark.skip(reason="Chromium not installed: apt-get install chromium")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def manage(*args, env, timeout=SETUP_TIMEOUT):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"runserver did not answer {url} within {SERVER_START_TIMEOUT}s:\n{log.read_text()}"
    )


@pytest.fixture(scope="session")
def site_environment(tmp_path_factory):
    """The environment the site under test runs in: its own SQLite file, and its own address
    as SITE_URL, so that the links in its mail lead back to it. `site_shell` runs code in it."""
    directory = tmp_path_factory.mktemp("browser-site")
    return {
        **os.environ,
        # Always SQLite, whatever database the rest of the suite runs on.
        "DATABASE_URL": f"sqlite:///{directory / 'browser.sqlite3'}",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        "SITE_URL": f"http://127.0.0.1:{free_port()}",
    }


@pytest.fixture(scope="session")
def site_shell(site_url, site_environment):
    """Runs Python in the site's own database (`manage.py shell -c`), for the state a test
    needs before its browser arrives, and the background worker; returns what it printed.
    Keyword arguments are added to the environment (EMAIL_HOST, EMAIL_PORT)."""

    def run(code: str, **environment) -> str:
        return manage("shell", "-c", code, env={**site_environment, **environment})

    return run


@pytest.fixture(scope="session")
def site_url(site_environment):
    """The base URL of the whole directory, served by runserver on a fresh SQLite file."""
    env = site_environment
    manage("migrate", "--noinput", env=env)
    manage("load_fixtures", env=env)
    manage("shell", "-c", CREATE_EDITOR, env=env)

    base_url = env["SITE_URL"]
    log = Path(env["DATABASE_URL"].removeprefix("sqlite:///")).parent / "runserver.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                base_url.removeprefix("http://"),
                "--noreload",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(base_url + "/", server, log)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium not installed: apt-get install chromium (REQUIRE_BROWSER_TESTS=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def open_context(browser, site_url, **options):
    """A fresh browser profile that reaches only the site under test."""
    context = browser.new_context(base_url=site_url, **options)
    context.route(lambda url: not url.startswith(site_url + "/"), lambda route: route.abort())
    return context


@pytest.fixture
def page(browser, site_url):
    context = open_context(browser, site_url)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser, site_url):
    """A page the size of a small phone screen."""
    context = open_context(
        browser, site_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def new_context(browser, site_url):
    """Fresh browser profiles, as for someone opening a link they were sent."""
    contexts = []

    def make():
        contexts.append(open_context(browser, site_url))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()
