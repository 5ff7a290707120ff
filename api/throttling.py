from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from portal.http import client_ip


class PerAddressThrottle(SimpleRateThrottle):
    """Requests per client address (behind PORTAL_PROXY_COUNT proxies, as everywhere else)."""

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}
