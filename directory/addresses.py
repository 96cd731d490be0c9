"""Addresses too long to read: 414, answered by Django before gunicorn would.

gunicorn refuses a request line longer than its `limit_request_line` (gunicorn.conf.py) with
a bare HTML page of its own, which the API's clients cannot read. This middleware refuses a
path and query longer than MAX_ADDRESS_LENGTH, well below that, in the site's own words: the
API's JSON error under /api/, a page in the visitor's language elsewhere.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

STATUS = 414


def too_long(request) -> bool:
    """Whether the path and query, as sent (percent-encoded), exceed the limit in bytes."""
    return len(request.get_full_path().encode()) > settings.MAX_ADDRESS_LENGTH


class AddressLengthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if too_long(request):
            return address_too_long(request)
        return self.get_response(request)


def address_too_long(request) -> HttpResponse:
    # Before LocaleMiddleware: the language is read from the request here.
    with translation.override(translation.get_language_from_request(request, check_path=True)):
        if request.path.startswith("/api/"):
            reason = _(
                "The address is too long: at most %(most)s characters of path and query. Give "
                "fewer or shorter parameters."
            ) % {"most": settings.MAX_ADDRESS_LENGTH}
            return JsonResponse({"detail": reason}, status=STATUS)
        # Rendered without the request, as Django renders 500.html: no context processor runs.
        page = render_to_string("414.html", {"most": settings.MAX_ADDRESS_LENGTH})
        return HttpResponse(page, status=STATUS)
