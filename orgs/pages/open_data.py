"""The open data page (/data/) and its two downloads, served from the files the worker built
(`orgs.services.open_data.building`): a request never builds them, and reads no table but the
reports'."""

import os

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext

from orgs.models import Source
from orgs.services.open_data import building

RETRY_SECONDS = 60


def open_data(request):
    """What the open data holds, under which licences, its version, and where to get it."""
    built = building.last_build()
    if built is None:
        building.request_build(delay=0)  # the worker builds it; the page says so meanwhile
    context = {
        "built": built,
        "tables": sorted(built.tables.items()) if built else [],
        "hsds_tables": sorted(built.hsds_tables.items()) if built else [],
        "sources": Source.objects.order_by("year", "key"),
        "package_name": building.PACKAGE,
        "hsds_name": building.HSDS,
    }
    return render(request, "orgs/open_data.html", context)


def download(request, name: str):
    """A zip as the last build wrote it, streamed, with what a cache needs to keep it."""
    try:
        file = (building.folder() / name).open("rb")
    except FileNotFoundError:
        building.request_build(delay=0)
        response = HttpResponse(
            gettext("The open data is being built. Please try again in a minute."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    # The file opened, not the path: a build that replaces it meanwhile changes neither.
    stat = os.fstat(file.fileno())
    response = FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
    response["ETag"] = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    response["Last-Modified"] = http_date(stat.st_mtime)
    return response


def package(request):
    return download(request, building.PACKAGE)


def hsds_package(request):
    return download(request, building.HSDS)
