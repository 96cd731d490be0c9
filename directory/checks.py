"""Checks `manage.py check --deploy` runs: settings a production site cannot go without, where
a default meant for trying the directory on one's own machine would fail quietly."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def mail_reaches_people(app_configs, **kwargs):
    """Without EMAIL_HOST the worker prints every mail (private addresses, personal links) on
    its console and marks it sent; without SITE_URL the links in mail lead to localhost."""
    found = []
    if not settings.EMAIL_HOST:
        found.append(
            Warning(
                "EMAIL_HOST is not set: mail is printed on the worker's console, never sent.",
                hint='Set EMAIL_HOST and EMAIL_PORT (docs/deploy.md, "Mail").',
                id="directory.W001",
            )
        )
    if settings.SITE_URL.startswith(("http://localhost", "http://127.0.0.1")):
        found.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL}: the links in mail lead nowhere for anyone else.",
                hint="Set SITE_URL to the directory's public address, e.g. "
                "https://directory.example.org.",
                id="directory.W002",
            )
        )
    return found
