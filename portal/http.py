from django.conf import settings


def client_ip(request) -> str | None:
    """The visitor's address. Behind PORTAL_PROXY_COUNT trusted proxies, read it from
    X-Forwarded-For, counting from the right (the left-hand entries are the client's to forge)."""
    proxies = settings.PORTAL_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def axes_client_ip(request) -> str | None:
    return client_ip(request)


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The login name axes counts failures against: e-mails are stored in lower case, so
    "Zhang@Example.cn" and "zhang@example.cn" are the same account and share one lockout count."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username.strip().lower() if isinstance(username, str) else username
