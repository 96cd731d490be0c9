"""Request rates of the API, read from settings at each request (API_THROTTLE_RATES)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Rates come from settings at each request (API_THROTTLE_RATES), so they can change."""

    scope = "anon"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class TokenThrottle(UserRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous callers have their own rate
        return super().get_cache_key(request, view)
