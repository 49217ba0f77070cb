"""A bounded schemathesis run over every operation of the API, in-process (WSGI) on the test
database with the demo loaded, authenticated as a beleidsmedewerker and as a partner.

Every generated request (valid data per the OpenAPI schema, and data that breaks it) must get an
answer that is no server error, has a status code the schema documents, and a body that matches
the schema. The run is bounded (EXAMPLES cases per operation, per mode, per role) so it costs
CI about a minute per database; SCHEMATHESIS_EXAMPLES raises it for a deeper local run.
"""

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from opgroeien.wsgi import application

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests run in this thread, inside the test's transaction: like Django's test client,
    the handler must not close the connection at the start and end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def run_operation(operation, mode, headers, failures) -> int:
    """EXAMPLES generated cases of one operation in one mode; returns how many ran."""
    seen = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        seen.append(case)
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{mode.value} {operation.label} -> {response.status_code}: "
                            f"{str(exc)[:700]}")

    run()
    return len(seen)


@pytest.mark.parametrize("role", ["beleid", "partner"])
def test_every_operation_answers_within_the_schema(role, demo_user, wsgi_in_test_transaction,
                                                    capsys):
    token, _ = Token.objects.get_or_create(user=demo_user("groningen", role))
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json",
                                            wsgi_in_test_transaction, headers=headers)
    failures, cases, operations = [], 0, 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            cases += run_operation(operation, mode, headers, failures)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(f"\nschemathesis ({role}): {operations} operations, {cases} cases, "
              f"{elapsed:.1f} s, {len(failures)} failures")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
