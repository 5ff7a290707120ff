"""Every endpoint of the schema, called with parameters generated from the schema itself
(valid and invalid), over registry and publicity data: never a server error, and every
documented response matches its schema."""

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from accounts.models import District
from api.tests.factories import in_publicity, registered


@pytest.fixture
def registry_data(db):
    filings = [
        registered(title="上海车规芯片产业知识产权联盟"),
        registered(title="上海生物医药知识产权联盟", industry="生物医药", district=District.XUHUI, year=2023),
        registered(title="=cmd|' /C calc'!A0", industry="人工智能"),
    ]
    in_publicity(filings[:2])
    in_publicity(filings[2:], days_ago=30, title="2023年公示")


def test_api_contract(api_schema, registry_data):
    # Walked by hand: schemathesis' pytest plugin does not run under this pytest yet.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 5

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_schema_conformance])

        call()
