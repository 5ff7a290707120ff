import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from werkzeug.test import Client

SCHEMA_URL = "/api/v1/schema/?format=json"


@pytest.fixture
def _keep_test_connection():
    """A server closes the database connection after each request; in a test that connection
    holds the test's transaction (Django's own test client keeps it open the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi(_keep_test_connection):
    """The portal as a WSGI application, called the way a server calls it (all middleware)."""
    return Client(get_wsgi_application())


@pytest.fixture
def api_schema(db, _keep_test_connection):
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    """Tests that are not about the rate limit are not stopped by it."""
    settings.API_RATE_LIMIT = "100000/min"
