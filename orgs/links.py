"""Web addresses from records: only http and https ever become links; and email addresses.

A website or report address comes from a report, an import, a suggestion or an editor. Any
other scheme (`javascript:`, `data:`, `file:`) is refused when it is saved, and a page never
renders one as a link even when it reached the database some other way.

`EMAIL_ADDRESS` is an email address as reports print one: the fixture build and the import find
addresses in a cell of text with it (`.findall`), and the build checks that every address it
writes is one (`.fullmatch`).
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
# Schemes a browser would run or open from a link, written in imported text.
OTHER_SCHEME = re.compile(
    r"(?<![\w.+-])(?:javascript|vbscript|data|file|ftp|ftps|blob):\S*", re.IGNORECASE
)

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES),
    message=_("Enter a web address that starts with http:// or https://."),
)


def is_web_url(value: str) -> bool:
    """Whether a browser would open this as an http(s) page (browsers ignore outer spaces)."""
    try:
        parts = urlsplit(str(value).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def validate_web_addresses(values) -> None:
    """A list of addresses, each http(s) or a bare `www.` address as reports print them."""
    for value in values or []:
        address = str(value).strip()
        if address.lower().startswith("www."):
            address = f"https://{address}"
        if not is_web_url(address):
            raise ValidationError(
                _("%(value)s is not a web address: it must start with http://, https:// or www."),
                params={"value": value},
            )


def other_scheme_addresses(text: str) -> list[str]:
    """The addresses in free text that a browser would open with another scheme than http(s)."""
    return OTHER_SCHEME.findall(text or "")
