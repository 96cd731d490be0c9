"""Logs and error reports that carry the request's id and never a password or key.

Secrets are whatever the settings and the environment hold as such: SECRET_KEY, the
databases' passwords, every password written in a URL (DATABASE_URL, replicas, caches), and
variables named like a secret; and the listed's personal links. They are replaced wherever they
appear: a log line, a traceback, an exception's message, a frame's local variables on a
developer's error page.
"""

import logging
import os
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.views.debug import ExceptionReporter
from log_request_id.middleware import RequestIDMiddleware

MASK = "********"
# Too short a value would mask ordinary words; no real secret is this short.
SHORTEST_SECRET = 4
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|_KEY$", re.IGNORECASE)
# user:password@ in any URL, whether or not its password is one we know.
URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@", re.IGNORECASE)
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# A listed person's personal link (/listed/<token>/, in any language) opens their record, a
# sender's confirmation link releases their message, a stop link withdraws a person's consent:
# each is a key, kept out of logs like any other ("/listed/record/" is the page a link opens,
# and no key; "/messages/check-your-mailbox/" and "/messages/sent/" hold none).
PERSONAL_LINK = re.compile(r"(/listed/|/messages/confirm/|/messages/stop/)(?!record/)[^/\s?#\"']+")
PERSONAL_LINK_MASK = r"\1<personal link>"


def url_passwords(value: str) -> set[str]:
    passwords = set()
    for part in value.split(","):
        try:
            password = urlsplit(part.strip()).password
        except ValueError:
            continue
        if password:
            passwords.update({password, unquote(password)})
    return passwords


def secrets() -> set[str]:
    """Every secret value known now (read each time: tests and deployments change them)."""
    values = {settings.SECRET_KEY}
    for database in settings.DATABASES.values():
        values.add(database.get("PASSWORD") or "")
    for name, value in os.environ.items():
        if SECRET_NAME.search(name):
            values.add(value)
        if "://" in value:
            values.update(url_passwords(value))
    return {value for value in values if len(value) >= SHORTEST_SECRET}


def mask(text: str) -> str:
    for secret in sorted(secrets(), key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = without_personal_links(text)
    return URL_CREDENTIALS.sub(rf"\g<scheme>{MASK}@", text)


def without_personal_links(text: str) -> str:
    return PERSONAL_LINK.sub(PERSONAL_LINK_MASK, text)


class MaskingFormatter(logging.Formatter):
    """Formats a record, traceback included, then masks every secret in the line."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class MaskingExceptionReporter(ExceptionReporter):
    """Django's error report (the DEBUG page, the text for e-mail) with secrets masked."""

    def get_traceback_html(self) -> str:
        return mask(super().get_traceback_html())

    def get_traceback_text(self) -> str:
        return mask(super().get_traceback_text())


class RequestIdMiddleware(RequestIDMiddleware):
    """Names each request: the proxy's X-Request-ID when it looks like an id, else a new one.

    A client can send any header, so anything else (too long, odd characters) is not trusted
    into the logs.
    """

    def _get_request_id(self, request) -> str:
        incoming = request.META.get(settings.LOG_REQUEST_ID_HEADER, "")
        if REQUEST_ID.fullmatch(incoming):
            return incoming
        return self._generate_id()
