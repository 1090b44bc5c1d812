"""The OpenAPI document: valid 3.1 structure, every /api/v1 route described, docs page."""

from __future__ import annotations

import re

import pytest

from qa.api.openapi import PREFIX, build_spec
from qa.api.tokens import SCOPES

METHODS = {"get", "post", "put", "patch", "delete"}


def _resolve(spec: dict, ref: str) -> dict:
    assert ref.startswith("#/"), ref
    node = spec
    for part in ref[2:].split("/"):
        assert part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def _refs(node: object):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _routes(app) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX) or rule.endpoint == "api.unknown":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((path, method.lower(), rule.endpoint))
    return routes


def test_document_structure():
    spec = build_spec()
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["servers"] == [{"url": PREFIX}]
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http", "scheme": "bearer"}
    operation_ids = []
    for path, operations in spec["paths"].items():
        assert path.startswith("/")
        placeholders = set(re.findall(r"{([^}]+)}", path))
        for method, op in operations.items():
            assert method in METHODS
            operation_ids.append(op["operationId"])
            assert op["summary"] and op["responses"]
            assert any(code.startswith("2") for code in op["responses"]), (path, method)
            for code, response in op["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d|default", code) and response["description"]
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert declared == placeholders, (path, method)
            for param in op.get("parameters", []):
                assert param["in"] in {"path", "query", "header", "cookie"} and "schema" in param
            for requirement in op["security"]:
                assert set(requirement) <= set(schemes)
                assert set(requirement.get("bearerToken", [])) <= set(SCOPES)
            if "x-scope" in op:
                assert op["security"] == [{"bearerToken": [op["x-scope"]]}]
            if "requestBody" in op:
                assert op["requestBody"]["content"]
    assert len(operation_ids) == len(set(operation_ids)), "operationIds must be unique"
    for ref in _refs(spec):
        assert isinstance(_resolve(spec, ref), dict)
    errors = [
        r["content"]["application/json"]["schema"]
        for ops in spec["paths"].values()
        for op in ops.values()
        for code, r in op["responses"].items()
        if code.startswith("4")
    ]
    assert errors and all(e == {"$ref": "#/components/schemas/Error"} for e in errors)


def test_every_api_route_is_documented_and_vice_versa(app):
    spec = build_spec()
    routes = _routes(app)
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    served = {(path, method) for path, method, _endpoint in routes}
    assert served - documented == set(), "routes missing from the OpenAPI document"
    assert documented - served == set(), "documented operations with no route"


def test_documented_scopes_match_the_views(app):
    spec = build_spec()
    for path, method, endpoint in _routes(app):
        view = app.view_functions[endpoint]
        op = spec["paths"][path][method]
        required = getattr(view, "api_scope", None)
        if required is None:
            assert op["security"] == [], (path, method)
        else:
            assert op.get("x-scope", "") == required, (path, method)


def test_openapi_json_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json() == build_spec()


@pytest.mark.parametrize("user_role", [None, "agent"])
def test_docs_page_lists_every_operation(client, login, make_user, user_role):
    if user_role:
        login(make_user(user_role))
    page = client.get("/api/docs").get_data(as_text=True)
    assert "cdn" not in page.lower() and "<script" not in page
    for path, operations in build_spec()["paths"].items():
        assert f"{PREFIX}{path}" in page
        for op in operations.values():
            assert f'id="{op["operationId"]}"' in page
    assert "webhooks:manage" in page and "schema-Call" in page


def test_unknown_method_and_route_errors_are_json(client, make_user):
    from tests.app.api_support import assert_error, bearer, token_for

    secret = token_for(make_user("qa"))
    response = client.delete("/api/v1/calls", headers=bearer(secret))
    assert "GET, POST" in assert_error(response, 405, "method_not_allowed")["message"]
    assert response.headers["Allow"] == "GET, POST"
    assert_error(client.get("/api/v1/nothing/here", headers=bearer(secret)), 404, "not_found")
    assert_error(client.put("/api/v1/calls/1", headers=bearer(secret)), 405)
    page = client.get("/no/such/page")  # the pages keep their HTML errors
    assert page.status_code == 404 and not page.is_json
