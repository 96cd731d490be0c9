"""The site's URLs plus views that fail, for the tests of error pages and logs."""

from django.db import OperationalError
from django.urls import path

from directory.urls import handler500
from directory.urls import urlpatterns as site_urlpatterns

DATABASE_PASSWORD = "s3cret-pa55word-for-tests"
DATABASE_URL = f"postgres://directory:{DATABASE_PASSWORD}@db.internal:5432/directory"


def fails_with_a_secret(request):
    password = DATABASE_PASSWORD  # a local variable, as a developer's error page lists them
    raise RuntimeError(f"could not connect to {DATABASE_URL} with {password}")


def database_unreachable(request):
    raise OperationalError('connection to server at "db.internal", port 5432 failed')


urlpatterns = [
    path("fails/", fails_with_a_secret),
    path("unreachable/", database_unreachable),
    path("api/v1/unreachable/", database_unreachable),
    *site_urlpatterns,
]
__all__ = ["handler500", "urlpatterns"]
