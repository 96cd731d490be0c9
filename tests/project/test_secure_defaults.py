"""Production is the default: DEBUG only when asked, `check --deploy` clean, strict headers."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from directory.settings import env_bool

PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "directory.example.org",
}


def last_line(result: subprocess.CompletedProcess) -> str:
    """What the command printed last (log lines go to standard output too)."""
    return result.stdout.strip().splitlines()[-1]


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """manage.py in a fresh process, with DEBUG (set for the test run) taken away."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = "from django.conf import settings as s; print({})"


def test_debug_is_off_unless_asked_for():
    assert last_line(manage("shell", "-v0", "-c", SHOW.format("s.DEBUG"), **PRODUCTION)) == "False"


@pytest.mark.parametrize(
    "word, value",
    [("1", True), ("true", True), ("Yes", True), ("on", True), ("", False)]
    + [("0", False), ("false", False), ("no", False), ("OFF", False)],
)
def test_yes_no_variables_read_the_usual_words(monkeypatch, word, value):
    monkeypatch.setenv("SOME_SWITCH", word)
    assert env_bool("SOME_SWITCH", default=False) is value


@pytest.mark.parametrize("word", ["2", "enabled", "tru"])
def test_an_unknown_yes_no_value_is_an_error(monkeypatch, word):
    monkeypatch.setenv("SOME_SWITCH", word)
    with pytest.raises(ImproperlyConfigured, match="is not a yes/no value"):
        env_bool("SOME_SWITCH", default=False)


def test_an_unknown_debug_value_stops_the_start():
    result = manage("check", DEBUG="debug", **PRODUCTION)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG='debug' is not a yes/no value" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="directory.example.org")
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_the_production_settings_set():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **PRODUCTION, EMAIL_HOST="smtp.example.org", SITE_URL="https://directory.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_of_mail_that_would_go_nowhere():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    assert "(directory.W001) EMAIL_HOST is not set" in result.stderr
    assert "(directory.W002) SITE_URL is http://localhost:8000" in result.stderr


def test_admin_lives_at_the_configured_path():
    show = "from django.urls import reverse; print(reverse('admin:index'))"
    moved = manage("shell", "-v0", "-c", show, DEBUG="1", ADMIN_PATH="/editors-7f3a/")
    assert last_line(moved) == "/editors-7f3a/"


def directives(policy: str) -> dict[str, str]:
    return dict(directive.strip().split(" ", 1) for directive in policy.split(";"))


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_of_our_own_origin(client):
    response = client.get("/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert policy["img-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_only_the_api_docs_page_may_show_data_images(client):
    """Swagger UI's stylesheet draws its icons as data: images."""
    docs = directives(client.get("/api/docs/")["Content-Security-Policy"])
    assert docs["img-src"] == "'self' data:" and docs["script-src"] == "'self'"
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_pages_carry_a_permissions_policy(client):
    policy = client.get("/")["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_template_holds_inline_script_or_style():
    """CSP refuses them: behaviour and looks live in static files."""
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match[0]}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/organisations/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/organisations/"
    assert client.get("/healthz").status_code == 200
    # Behind the proxy, which ends HTTPS and says so.
    assert client.get("/", headers={"X-Forwarded-Proto": "https"}).status_code == 200


@pytest.mark.django_db
def test_cookies_are_secure_and_hidden_from_scripts_in_production():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    production = manage(
        "shell",
        "-v0",
        "-c",
        SHOW.format("s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.CSRF_TRUSTED_ORIGINS"),
        CSRF_TRUSTED_ORIGINS="https://directory.example.org",
        **PRODUCTION,
    )
    assert last_line(production) == "True True ['https://directory.example.org']"
