import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from werkzeug.test import Client

SCHEMA_URL = "/api/v1/schema/?format=json"


@pytest.fixture
def wsgi():
    """The portal as a WSGI application, called the way a server calls it (all middleware)."""
    return Client(get_wsgi_application())


@pytest.fixture
def api_schema(db):
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    """Tests that are not about the rate limit are not stopped by it."""
    settings.API_RATE_LIMIT = "100000/min"
