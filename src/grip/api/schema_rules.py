"""The rules the API's serializers enforce, stated in the published OpenAPI schema (issue 12).

drf-spectacular describes each field's type, length and codes; the rules a serializer checks in its
own methods are added here, by a postprocessing hook, so that a client (or a fuzzer) reading the
schema knows every request the API accepts. Each rule names the check it states."""

from __future__ import annotations

from grip.api import serializers as api

# Text the API accepts: no NUL character (REST framework refuses it); a required field needs a
# character other than whitespace (it is trimmed, and blank is refused).
ANY_TEXT = r"^[^\x00]*$"
SOME_TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"
REQUIRED_TEXT = {
    "ReporterInRequest": ["name"],
    "ChildInRequest": ["first_name", "last_name"],
    "ContactReportInRequest": ["concerns"],
}
OPTIONAL_TEXT = {"ReporterInRequest": ["role", "organisation", "phone"], "ChildInRequest": ["address"]}

# ChildIn.validate_nhs_number: 10 digits (spaces and hyphens ignored), the last a modulus 11 check digit.
NHS_NUMBER = r"^$|^[0-9 -]*$"
# ChildIn.validate_upn: the CIN census UPN (grip.people.models.UPN_PATTERN), spaces ignored, any case.
UPN = r"^ *$|^ *[A-Za-z]( *[0-9]){11} *[0-9A-Za-z] *$"
# ChildIn.validate_postcode: a UK postcode (serializers.POSTCODE), any case, spaces around the parts.
POSTCODE = r"^ *$|^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *[0-9][A-Za-z]{2} *$"


# views.IDEMPOTENCY_KEY: printable ASCII without spaces, as the column holds.
IDEMPOTENCY_KEY = r"^[\x21-\x7e]{1,100}$"
# frontdoor.services.contact_report_receive: FD and the report's number, at least 7 digits.
REFERENCE = r"^FD[0-9]{7,18}$"


def state_the_rules(result: dict, generator, request, public) -> dict:
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "Idempotency-Key":
                    parameter["schema"].update(pattern=IDEMPOTENCY_KEY, minLength=1, maxLength=100)
                if parameter["name"] == "reference":
                    parameter["schema"]["pattern"] = REFERENCE
    components = result.get("components", {}).get("schemas", {})
    for name, fields in REQUIRED_TEXT.items():
        for field in fields:
            components[name]["properties"][field]["pattern"] = SOME_TEXT
    for name, fields in OPTIONAL_TEXT.items():
        for field in fields:
            components[name]["properties"][field]["pattern"] = ANY_TEXT

    report = components.get("ContactReportInRequest")
    if report:
        children = report["properties"]["children"]
        children["minItems"], children["maxItems"] = 1, api.MAX_CHILDREN
        report["properties"]["concern_categories"]["uniqueItems"] = True
        received = report["properties"]["received_at"]
        received["x-not-before"] = f"now - {api.RECEIVED_AT_MAX_AGE.days} days"
        received["x-not-after"] = f"now + {int(api.CLOCK_SKEW.total_seconds() // 60)} minutes"
        received["description"] += (
            f" Not more than {api.RECEIVED_AT_MAX_AGE.days} days ago, and not in the future (a clock up to "
            f"{int(api.CLOCK_SKEW.total_seconds() // 60)} minutes ahead is allowed)."
        )
        report["additionalProperties"] = False

    reporter = components.get("ReporterInRequest")
    if reporter:
        reporter["additionalProperties"] = False
        # ReporterIn.validate: a phone number or an e-mail address.
        reporter["anyOf"] = [
            {"required": ["phone"], "properties": {"phone": {"type": "string", "pattern": SOME_TEXT}}},
            {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
        ]
        reporter["description"] = f"{reporter.get('description', '')} Give a phone number or an e-mail address.".strip()

    child = components.get("ChildInRequest")
    if child:
        child["additionalProperties"] = False
        properties = child["properties"]
        properties["nhs_number"].update(pattern=NHS_NUMBER, format="nhs-number")
        properties["upn"]["pattern"] = UPN
        properties["postcode"]["pattern"] = POSTCODE
        properties["date_of_birth"]["x-not-after"] = "today"
        properties["date_of_birth"]["description"] = "YYYY-MM-DD, not in the future."
        weeks = api.LONGEST_PREGNANCY.days // 7
        properties["expected_date_of_birth"]["x-not-after"] = f"today + {weeks} weeks"
        properties["expected_date_of_birth"]["description"] += f" At most {weeks} weeks away."
        # ChildIn.validate: a date of birth or an expected date, not both.
        child["not"] = {
            "required": ["date_of_birth", "expected_date_of_birth"],
            "properties": {"date_of_birth": {"type": "string"}, "expected_date_of_birth": {"type": "string"}},
        }
    return result
