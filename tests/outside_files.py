"""Files some tests read that a clone of the repository may not have: the reports' plain texts
(`REPORTS_DIR`) and published schemas (`STANDARDS_DIR`).

Without them such a test skips with a message naming the setting to point at them, as the
browser tests do without Chromium; CI sets `REQUIRE_REPORT_TESTS=1`, and then it fails.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

WHAT = {
    "REPORTS_DIR": "the reports' plain texts (fixtures/source/sources.yaml names their files)",
    "STANDARDS_DIR": "the published schemas (tests/standards/README.md lists them)",
}


def required(setting: str, *parts: str) -> Path:
    """The path `parts` under the folder the setting names; skips (or fails) when absent."""
    path = Path(getattr(settings, setting)).joinpath(*parts)
    if path.exists():
        return path
    message = f"{path} not found: set {setting} to the folder that holds {WHAT[setting]}"
    if os.environ.get("REQUIRE_REPORT_TESTS") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
