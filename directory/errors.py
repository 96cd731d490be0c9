"""What a visitor sees when a page fails: 500, or 503 while the database is unreachable.

Django calls `server_error` for any exception a view or middleware did not handle, inside
the `except` block, so the exception is at hand. Neither page queries the database: it may be
the very thing that failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return django_server_error(request)


def database_unavailable(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The database is unavailable. Please try again in a minute.")},
            status=503,
        )
    else:
        # Rendered without the request, as Django renders 500.html: no context processor runs.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
