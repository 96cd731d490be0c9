"""Request rates of the API, read from settings at each request (API_THROTTLE_RATES)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from directory.clients import client_address


class AnonymousThrottle(AnonRateThrottle):
    """Rates come from settings at each request (API_THROTTLE_RATES), so they can change."""

    scope = "anon"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        """The client's address, never a header the client wrote (DRF's own reads
        X-Forwarded-For as sent)."""
        return client_address(request)


class TokenThrottle(UserRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous callers have their own rate
        return super().get_cache_key(request, view)
