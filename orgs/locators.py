"""A citation's place in its report as a reader can find it in the published report.

Locators name the section as the report does ("Annex 2, Austria", "Appendix A, Berlin,
item 3", "Promising practice #1") and then the line(s) of our extracted text ("line 622"),
which only an editor holding that text can use. `public_section` keeps the first and drops
the second; "URL line 195" (a stray address in the extraction) has no section at all.
"""

import re

_NUMBERS = r"\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|\band\b|&)\s*\d+(?:\s*[-–]\s*\d+)?)*"
# ", line 622", " lines 80-95", ", lines 166-168, 170 and 172", with what led up to them.
LINE_REFERENCE = re.compile(rf"[,\s]*\blines?\s+{_NUMBERS}", re.IGNORECASE)
# Parts that are nothing but a place in the extracted text.
EXTRACTION_ONLY = {"", "url"}
# How a part that names no section of its own reads in public.
PUBLIC_NAMES = {"body": "Main text"}


def public_section(locator: str) -> str:
    """The locator without line numbers: "Annex 2, Austria, line 623" -> "Annex 2, Austria"."""
    parts = []
    for part in locator.split(";"):
        part = LINE_REFERENCE.sub("", part).strip(" ,")
        part = PUBLIC_NAMES.get(part.casefold(), part)
        if part.casefold() not in EXTRACTION_ONLY and part not in parts:
            parts.append(part)
    return "; ".join(parts)


class InReport:
    """For a model with a `locator` in a report (citations, survey responses, the reports'
    figures): its `section`, the one way the public reads a locator."""

    @property
    def section(self) -> str:
        """The place in the report as the public can find it: the locator without line numbers."""
        return public_section(self.locator)
