"""Sign-in lockouts that nobody can turn against an editor.

django-axes counts wrong passwords per username at one client address
(AXES_LOCKOUT_PARAMETERS) and locks that pair after AXES_FAILURE_LIMIT. A username alone is
never locked: anyone could then lock any editor out from everywhere. This handler adds the
address-wide limit axes has no setting for: an address that failed for
LOGIN_ADDRESS_USERNAME_LIMIT different usernames within the cool-off is locked for every
username, which stops one password being tried against many accounts.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings


class UsernameAtAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if self.usernames_failed_at_address(request) >= settings.LOGIN_ADDRESS_USERNAME_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def usernames_failed_at_address(request) -> int:
        return (
            AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address,
                attempt_time__gte=get_cool_off_threshold(request),
            )
            .values("username")
            .distinct()
            .count()
        )
