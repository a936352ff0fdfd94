"""The OpenAPI 3.1 description of ``/api/v1/`` (served at /api/v1/openapi.json)."""

from learning.textcheck.analyzer import TYPES

_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
]
_PERIOD = {"name": "period", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}
_UNIT = {"name": "unit", "in": "query", "description": "Unit code; a NUL character is refused with 400",
         "schema": {"type": "string", "maxLength": 40, "pattern": "^[^\\x00]*$"}}
_ERROR = {"description": "Lỗi", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_COMMON = {"400": _ERROR, "401": _ERROR, "403": _ERROR, "404": _ERROR, "429": _ERROR}


def _ok(schema: dict) -> dict:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}, **_COMMON}


_TEXT_CHECK = {"post": {
    "summary": "Find personal data, secrecy markers and credentials in a text; the redacted copy (a 'textcheck' "
               "token). The text is not stored or logged.",
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["text"],
        "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 200000, "pattern": "\\S",
                                "description": "at most TEXTCHECK_MAX_CHARS characters (200 000 by default)"}}}}}},
    "responses": {**_ok({"type": "object", "required": ["findings", "redacted", "counts"], "properties": {
        "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}},
        "redacted": {"type": "string"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}}}),
                  "413": _ERROR},
}}

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Học tập công vụ số — API tích hợp", "version": "1.0.0",
             "description": "Read-only JSON for the province's HR and PAR systems, and the text check. Bearer "
                            "tokens are issued by an administrator, scoped to a unit subtree and to a use: "
                            "'read' tokens call the GET endpoints, 'textcheck' tokens only POST /text-check."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error", "message"],
                      "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                     "status": {"type": "integer"}}},
            "Person": {"type": "object", "required": ["employee_code", "given_name", "unit_code", "active"],
                       "properties": {
                "employee_code": {"type": "string"}, "middle_name": {"type": "string"},
                "given_name": {"type": "string"}, "email": {"type": ["string", "null"]},
                "unit_code": {"type": "string"}, "unit_name": {"type": "string"},
                "position": {"type": "string"}, "category": {"type": "string"}, "active": {"type": "boolean"}}},
            "Tally": {"type": "object", "required": ["unit_code", "assigned", "passed", "completion_rate"],
                      "properties": {
                "unit_code": {"type": "string"}, "unit_name": {"type": "string"}, "assigned": {"type": "integer"},
                "passed": {"type": "integer"}, "passed_on_time": {"type": "integer"},
                "overdue": {"type": "integer"}, "not_started": {"type": "integer"},
                "in_progress": {"type": "integer"}, "expired": {"type": "integer"},
                "exempt": {"type": "integer", "description": "exempt enrolments, not in assigned"},
                "completion_rate": {"type": ["number", "null"]}, "average_score": {"type": ["number", "null"]}}},
            "Assignment": {"type": "object", "required": ["id", "course_code", "unit_code", "period", "due_on"],
                           "properties": {
                "id": {"type": "integer"}, "course_code": {"type": "string"}, "course_title": {"type": "string"},
                "unit_code": {"type": "string"}, "period": {"type": "integer"},
                "starts_on": {"type": "string", "format": "date"}, "due_on": {"type": "string", "format": "date"},
                "categories": {"type": "array", "items": {"type": "string"}},
                "positions": {"type": "array", "items": {"type": "string"}}}},
            "PersonStatus": {"type": "object", "required": ["employee_code", "name", "status"], "properties": {
                "employee_code": {"type": "string"}, "name": {"type": "string"}, "unit_code": {"type": "string"},
                "status": {"type": "string", "enum": ["not_started", "in_progress", "passed", "overdue", "expired",
                                                      "exempt"]},
                "due_on": {"type": "string", "format": "date", "description": "the person's own due date"},
                "completed_at": {"type": ["string", "null"]},
                "score": {"type": ["number", "null"]}}},
            "ParUnit": {"type": "object", "required": ["unit_code", "indicators", "points", "self_assessed_total"],
                        "properties": {
                "unit_code": {"type": "string"}, "unit_name": {"type": "string"}, "kind": {"type": "string"},
                "dissolved": {"type": "boolean"},
                "indicators": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                "counts": {"type": "object"},
                "points": {"type": "object", "additionalProperties": {"type": "number"}},
                "self_assessed_total": {"type": "number"},
                "verified": {"type": "object", "additionalProperties": {"type": ["number", "null"]}},
                "verified_total": {"type": ["number", "null"]}, "rank_in_kind": {"type": ["integer", "null"]},
                "in_scope": {"type": "boolean",
                             "description": "false: a unit containing the token's scope, totals only"}}},
            "Finding": {"type": "object", "required": ["type", "start", "end", "text"], "properties": {
                "type": {"type": "string", "enum": list(TYPES)},
                "start": {"type": "integer", "minimum": 0, "description": "code point offset in the NFC text"},
                "end": {"type": "integer", "minimum": 0}, "text": {"type": "string"}}},
        },
    },
    "paths": {
        "/people": {"get": {"summary": "People in the token's scope, sorted by tên",
                            "parameters": [_UNIT, *_PAGE],
                            "responses": _ok({"type": "object", "required": ["page", "per_page", "total", "items"],
                                              "properties": {
                                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                "total": {"type": "integer"},
                                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}}}})}},
        "/assignments": {"get": {"summary": "Active assignments of a period touching the scope",
                                 "parameters": [_PERIOD],
                                 "responses": _ok({"type": "object", "required": ["items"], "properties": {
                                     "items": {"type": "array",
                                               "items": {"$ref": "#/components/schemas/Assignment"}}}})}},
        "/assignments/{assignment_id}/status": {"get": {
            "summary": "Status of each targeted person in scope",
            "parameters": [{"name": "assignment_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}, *_PAGE],
            "responses": _ok({"type": "object", "required": ["page", "per_page", "total", "items"], "properties": {
                "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/PersonStatus"}}}})}},
        "/par/{period}": {"get": {
            "summary": "PAR indicator values and points per assessed unit (frozen when the period is)",
            "parameters": [{"name": "period", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}],
            "responses": _ok({"type": "object", "required": ["period", "frozen", "rubric", "units"], "properties": {
                "period": {"type": "integer"}, "frozen": {"type": "boolean"},
                "frozen_at": {"type": ["string", "null"]},
                "rubric": {"type": "object", "required": ["code", "version", "criteria"]},
                "units": {"type": "array", "items": {"$ref": "#/components/schemas/ParUnit"}}}})}},
        "/text-check": _TEXT_CHECK,
        "/compliance": {"get": {"summary": "Compliance of a unit and its child units",
                                "parameters": [_PERIOD, _UNIT],
                                "responses": _ok({"type": "object", "required": ["period", "unit", "children"],
                                                  "properties": {
                                    "period": {"type": "integer"},
                                    "unit": {"$ref": "#/components/schemas/Tally"},
                                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tally"}}}})}},
    },
}
