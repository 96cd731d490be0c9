"""GET /healthz, for load balancers and monitors: does this server reach its database?"""

from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # The class only: a driver's message may name hosts and users.
        return HttpResponse(
            f"database unavailable ({type(error).__name__})", status=503, content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")
