"""Request bodies are refused (413) above a size, before anything reads them.

Django reads a request's body when a view or middleware asks for `request.POST` or
`request.FILES`: a multipart body's files are streamed to disk whatever their size, and
`DATA_UPLOAD_MAX_MEMORY_SIZE` counts only the other fields (and answers a bare 400). So every
request that declares a body larger than `REQUEST_BODY_MAX_BYTES` is answered 413 here, from
its Content-Length, before CSRF or the view reads a byte; a view that takes larger bodies (the
editors' import upload) says so with `larger_body`. A body without a Content-Length is not
read by Django at all.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def larger_body(max_bytes: Callable[[], int]):
    """Lets a view receive bodies of up to `max_bytes()` (read on each request, so that a
    setting changed at run time, in tests, counts)."""

    def allow(view):
        view.request_body_max_bytes = max_bytes
        return view

    return allow


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large(request, max_bytes: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        detail = _("The request is too large: at most %(size)s KB.") % {"size": max_bytes // 1024}
        return JsonResponse({"detail": detail}, status=413)
    # Rendered as the other error pages are, without the request's context processors.
    page = render_to_string("413.html", {"max_kilobytes": max_bytes // 1024})
    return HttpResponse(page, status=413)


class RequestBodyLimitMiddleware:
    """Answers 413 to a request whose declared body is larger than its view accepts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, view_args, view_kwargs):
        larger = getattr(view, "request_body_max_bytes", None)
        max_bytes = larger() if larger else settings.REQUEST_BODY_MAX_BYTES
        if declared_length(request) > max_bytes:
            return too_large(request, max_bytes)
        return None
