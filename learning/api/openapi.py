"""The OpenAPI 3.1 description of ``/api/v1/`` (served at /api/v1/openapi.json)."""

_PAGE = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
]
_PERIOD = {"name": "period", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}
_UNIT = {"name": "unit", "in": "query", "schema": {"type": "string", "maxLength": 40}}
_ERROR = {"description": "Lỗi", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_COMMON = {"400": _ERROR, "401": _ERROR, "403": _ERROR, "404": _ERROR, "429": _ERROR}


def _ok(schema: dict) -> dict:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}, **_COMMON}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Học tập công vụ số — API tích hợp", "version": "1.0.0",
             "description": "Read-only JSON for the province's HR and PAR systems. Bearer tokens are "
                            "issued by an administrator and scoped to a unit subtree."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"},
                                                        "message": {"type": "string"},
                                                        "status": {"type": "integer"}}},
            "Person": {"type": "object", "properties": {
                "employee_code": {"type": "string"}, "middle_name": {"type": "string"},
                "given_name": {"type": "string"}, "email": {"type": ["string", "null"]},
                "unit_code": {"type": "string"}, "unit_name": {"type": "string"},
                "position": {"type": "string"}, "category": {"type": "string"}, "active": {"type": "boolean"}}},
            "Tally": {"type": "object", "properties": {
                "unit_code": {"type": "string"}, "unit_name": {"type": "string"}, "assigned": {"type": "integer"},
                "passed": {"type": "integer"}, "passed_on_time": {"type": "integer"},
                "overdue": {"type": "integer"}, "not_started": {"type": "integer"},
                "completion_rate": {"type": ["number", "null"]}, "average_score": {"type": ["number", "null"]}}},
        },
    },
    "paths": {
        "/people": {"get": {"summary": "People in the token's scope, sorted by tên",
                            "parameters": [_UNIT, *_PAGE],
                            "responses": _ok({"type": "object", "properties": {
                                "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                "total": {"type": "integer"},
                                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}}}})}},
        "/assignments": {"get": {"summary": "Active assignments of a period touching the scope",
                                 "parameters": [_PERIOD],
                                 "responses": _ok({"type": "object", "properties": {
                                     "items": {"type": "array", "items": {"type": "object"}}}})}},
        "/assignments/{assignment_id}/status": {"get": {
            "summary": "Status of each targeted person in scope",
            "parameters": [{"name": "assignment_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}, *_PAGE],
            "responses": _ok({"type": "object"})}},
        "/par/{period}": {"get": {
            "summary": "PAR indicator values and points per assessed unit (frozen when the period is)",
            "parameters": [{"name": "period", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}],
            "responses": _ok({"type": "object"})}},
        "/compliance": {"get": {"summary": "Compliance of a unit and its child units",
                                "parameters": [_PERIOD, _UNIT],
                                "responses": _ok({"type": "object", "properties": {
                                    "unit": {"$ref": "#/components/schemas/Tally"},
                                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tally"}}}})}},
    },
}
