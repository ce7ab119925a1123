"""The published OpenAPI schema: valid, without warnings, public, and true to what the API answers."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from django.core.management import call_command
from jsonschema import Draft202012Validator

from grip.frontdoor.models import ContactReport

from .conftest import client_with, payload

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_schema_is_public_in_yaml_and_json(client):
    as_yaml = yaml.safe_load(client.get("/api/schema/").content)
    as_json = client.get("/api/schema/?format=json").json()
    assert as_yaml == as_json
    assert set(as_json["paths"]) == {"/api/v1/contacts/", "/api/v1/contacts/{reference}/"}
    assert as_json["components"]["securitySchemes"]["partnerToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": as_json["components"]["securitySchemes"]["partnerToken"]["description"],
    }


def test_a_bad_key_does_not_hide_the_schema():
    response = client_with("not-a-key").get("/api/schema/?format=json")
    assert response.status_code == 200


def test_the_docs_page_is_served_from_here_without_a_cdn(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<style" not in html and "<script>" not in html  # nothing inline: the CSP allows neither
    script = client.get(next(s for s in sources if "script" in s))
    assert script.status_code == 200 and b"/api/schema/" in script.content


def _nullable_as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema's type list."""
    if isinstance(node, dict):
        node = {k: _nullable_as_json_schema(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable_as_json_schema(v) for v in node]
    return node


def _validator(schema: dict, ref: str) -> Draft202012Validator:
    document = _nullable_as_json_schema({"$ref": ref, "components": schema["components"]})
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_requests_and_responses_match_the_schema(client, api, school_key):
    schema = client.get("/api/schema/?format=json").json()
    operations = {op["operationId"]: op for path in schema["paths"].values() for op in path.values()}

    def body_schema(operation, code):
        return operations[operation]["responses"][str(code)]["content"]["application/json"]["schema"]["$ref"]

    request_ref = operations["contact_report_send"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    _validator(schema, request_ref).validate(payload())

    created = api.post("/api/v1/contacts/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="contract-1")
    _validator(schema, body_schema("contact_report_send", 201)).validate(created.json())
    replay = api.post("/api/v1/contacts/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="contract-1")
    _validator(schema, body_schema("contact_report_send", 200)).validate(replay.json())

    reference = ContactReport.objects.get().reference
    status = api.get(f"/api/v1/contacts/{reference}/")
    _validator(schema, body_schema("contact_report_status", 200)).validate(status.json())
    missing = client_with(school_key).get(f"/api/v1/contacts/{reference}/")
    _validator(schema, body_schema("contact_report_status", 404)).validate(missing.json())
    refused = client_with(None).get(f"/api/v1/contacts/{reference}/")
    _validator(schema, body_schema("contact_report_status", 401)).validate(refused.json())
    assert {"400", "401"} <= set(operations["contact_report_send"]["responses"])
    assert json.dumps(operations["contact_report_send"]["parameters"]).count("Idempotency-Key") == 1


def test_the_schema_states_the_rules_the_api_enforces(client, api):
    # Issue 12: the schema allowed an empty list of children and a contact received in 2000.
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    report = components["ContactReportInRequest"]
    assert (report["properties"]["children"]["minItems"], report["properties"]["children"]["maxItems"]) == (1, 10)
    assert report["properties"]["received_at"]["x-not-before"] == "now - 30 days"
    assert report["properties"]["concern_categories"]["uniqueItems"] is True
    assert report["additionalProperties"] is False
    assert components["ChildInRequest"]["properties"]["date_of_birth"]["x-not-after"] == "today"
    assert {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}} in components[
        "ReporterInRequest"
    ]["anyOf"]

    assert api.post("/api/v1/contacts/", payload(children=[]), format="json").status_code == 400
    old = api.post("/api/v1/contacts/", payload(received_at="2000-01-01T09:00:00Z"), format="json")
    assert old.status_code == 400 and "more than 30 days ago" in old.json()["received_at"][0]
    assert not ContactReport.objects.exists()
