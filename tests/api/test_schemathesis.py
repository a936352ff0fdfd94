"""Property-based run of /api/v1/ against its OpenAPI description (schemathesis, in-process WSGI)."""

from datetime import date, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from learning.api import services
from learning.api.models import TEXTCHECK
from learning.assignments import services as assignment_services
from learning.auth.models import Role
from learning.extensions import db


@pytest.fixture
def token(app, province, create_unit, create_person, create_account, create_course_version, create_completion):
    """Some data to read, and a province-wide token."""
    dept = create_unit("Sở Tư pháp", parent=province, code="STP")
    person = create_person("Lê Văn An", unit=dept)
    create_person("Vũ Thị Hoa", unit=province)
    version = create_course_version()
    assignment_services.create(by=None, course_id=version.course_id, unit_id=province.id, categories=[],
                               positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 12, 31))
    create_completion(person, version, completed_at=datetime(2026, 2, 1))
    admin = create_account((Role.ADMIN, None))
    _, plain = services.issue("Phần mềm CCHC", None, admin)
    _, checker = services.issue("Cổng dịch vụ công", None, admin, scope=TEXTCHECK)
    db.session.commit()
    return {"read": plain, "textcheck": checker}


# Schema-violating input must not break the server either; unknown query parameters are tolerated, so
# "negative data must be rejected" is not one of the checks there.
RESPONSE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_description(app, token, mode):
    """No 500s, documented status codes and content types, bodies valid against the schemas
    (every built-in check for schema-valid input; the response checks for schema-violating input)."""
    checks = RESPONSE_CHECKS if mode is GenerationMode.NEGATIVE else None
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 6
    def headers(path: str) -> dict:
        """The text check takes a token of its own scope; the data endpoints a read token."""
        return {"Authorization": f"Bearer {token['textcheck' if path == '/text-check' else 'read']}"}

    for operation in operations:
        @settings(max_examples=25, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(headers=headers(case.operation.path), checks=checks)

        check()


def test_the_run_catches_a_response_that_breaks_the_description(app, token, monkeypatch):
    """The conformance check has teeth: a field the description requires but the API omits fails."""
    from learning.api.openapi import SPEC

    people = SPEC["components"]["schemas"]["Person"]
    monkeypatch.setitem(people, "required", [*people["required"], "phone"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema["/people"]["GET"]

    @settings(max_examples=5, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token['read']}"})

    with pytest.raises(FailureGroup) as failures:
        check()
    assert failures.group_contains(JsonSchemaError)
