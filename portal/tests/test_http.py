from django.test import RequestFactory

from portal.http import client_ip


def test_client_ip_without_proxies_is_the_peer(settings):
    settings.PORTAL_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.0.0.9"


def test_client_ip_behind_one_proxy_ignores_what_the_client_forged(settings):
    settings.PORTAL_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")

    assert client_ip(request) == "203.0.113.7"
