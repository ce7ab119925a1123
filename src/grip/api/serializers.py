"""What the partner API accepts and returns. Checking here is complete: a payload that passes is
one the front door's services accept, so a bad one is answered 400 field by field and saves nothing.

Errors come in REST framework's shape: {"field": ["message"]}, nested for the reporter and for
each child by its position from 0 ({"children": {"1": {"date_of_birth": ["..."]}}}).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from django.utils import timezone
from rest_framework import serializers

from grip.core.codelists import codelist
from grip.frontdoor.named import NamedChild
from grip.people.models import UPN_PATTERN, nhs_number_is_valid

MAX_CHILDREN = 10  # siblings are one report; more than this is a group that needs a phone call
CLOCK_SKEW = timedelta(minutes=5)  # a partner's clock a little ahead of ours is not a future time
# A concern passed on longer ago than this is not a new contact for the front door's one-working-day
# clock (it would be overdue on arrival): the front door records it by hand, with the reason.
RECEIVED_AT_MAX_AGE = timedelta(days=30)
LONGEST_PREGNANCY = timedelta(weeks=44)
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


class Text(serializers.CharField):
    """A JSON string, never a number or a list quietly turned into one (an NHS number sent as a
    number has lost any leading zero)."""

    default_error_messages = {"invalid": "Must be text (a JSON string)."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Code(serializers.ChoiceField):
    """A code from one of Grip's code lists (grip.core.codelists); the message names the list."""

    def __init__(self, list_name: str, **kwargs):
        self.list_name = list_name
        listed = codelist(list_name)
        kwargs.setdefault("help_text", f"A code from the list “{list_name}” ({listed.title}).")
        super().__init__(choices=list(listed.codes.items()), **kwargs)
        self.error_messages["invalid_choice"] = (
            f"“{{input}}” is not a code in the list “{list_name}” ({listed.title}). Codes: {', '.join(listed.codes)}."
        )

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class Strict(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt field ("dob") is an error, not silently lost."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not unknown or not isinstance(error.detail, Mapping):
                raise
            errors.update(error.detail)
        for name in unknown:
            errors[name] = [f"Not a field of this API. Fields: {', '.join(self.fields)}."]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class ReporterIn(Strict):
    """Who is reporting: the front door calls them back, and tells them the outcome."""

    name = Text(max_length=120, help_text="Who is reporting the concern.")
    role = Text(max_length=120, required=False, default="", allow_blank=True)
    organisation = Text(
        max_length=120,
        required=False,
        default="",
        allow_blank=True,
        help_text="Their organisation or team, if not the one the API key belongs to.",
    )
    phone = Text(max_length=40, required=False, default="", allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, default="", allow_blank=True)

    def validate(self, attrs):
        if not attrs["phone"].strip() and not attrs["email"].strip():
            raise serializers.ValidationError(
                {"phone": ["Give a phone number or an e-mail address, so the front door can reach the reporter."]}
            )
        return attrs


class ChildIn(Strict):
    """A child the concern is about, as the reporter knows them (the front door finds their record)."""

    first_name = Text(max_length=100)
    last_name = Text(max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None, help_text="YYYY-MM-DD")
    expected_date_of_birth = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="For an unborn child, instead of date_of_birth."
    )
    sex = Code("sex", required=False, default="", allow_blank=True)
    nhs_number = Text(required=False, default="", allow_blank=True, help_text="10 digits; spaces are ignored.")
    upn = Text(required=False, default="", allow_blank=True, help_text="Unique pupil number (13 characters).")
    postcode = Text(required=False, default="", allow_blank=True)
    address = Text(max_length=200, required=False, default="", allow_blank=True)

    def validate_date_of_birth(self, value: date | None) -> date | None:
        if value and value > timezone.localdate():
            raise serializers.ValidationError(
                "A date of birth cannot be in the future: for an unborn child, give expected_date_of_birth."
            )
        return value

    def validate_expected_date_of_birth(self, value: date | None) -> date | None:
        if value and value > timezone.localdate() + LONGEST_PREGNANCY:
            raise serializers.ValidationError("An expected date of birth is at most 44 weeks away.")
        return value

    def validate_nhs_number(self, value: str) -> str:
        compact = re.sub(r"[\s-]", "", value)
        if compact and not nhs_number_is_valid(compact):
            raise serializers.ValidationError("Not a valid NHS number: 10 digits, the last a check digit.")
        return compact

    def validate_upn(self, value: str) -> str:
        compact = value.replace(" ", "").upper()
        if compact and not UPN_PATTERN.match(compact):
            raise serializers.ValidationError(
                "Not a valid UPN: a letter then 12 digits, or a letter, 11 digits and a letter."
            )
        return compact

    def validate_postcode(self, value: str) -> str:
        if not value.strip():
            return ""
        match = POSTCODE.match(" ".join(value.upper().split()))
        if not match:
            raise serializers.ValidationError("Not a UK postcode (for example SW1A 1AA).")
        return f"{match[1]} {match[2]}"

    def validate(self, attrs):
        if attrs["date_of_birth"] and attrs["expected_date_of_birth"]:
            raise serializers.ValidationError(
                {
                    "expected_date_of_birth": [
                        "Give a date of birth or, for an unborn child, an expected date: not both."
                    ]
                }
            )
        return attrs


class ContactReportIn(Strict):
    """A concern about one or more children (siblings together). Unknown fields are refused."""

    received_at = serializers.DateTimeField(
        required=False,
        default=None,
        allow_null=True,
        help_text="When the concern was passed to the local authority (ISO 8601); default: now.",
    )
    reporter = ReporterIn()
    concerns = Text(max_length=20000, help_text="What the reporter is worried about, in their words.")
    concern_categories = serializers.ListField(
        child=Code("concern_category"), required=False, default=list, max_length=len(codelist("concern_category").codes)
    )
    consent = Code("consent")
    urgency = Code("urgency")
    referral_source = Code(
        "referral_source",
        required=False,
        default="",
        help_text="CIN census referral source; default: the one your organisation is registered with.",
    )
    children = ChildIn(
        many=True,
        help_text=f"Every child the concern is about: 1 to {MAX_CHILDREN} (siblings together).",
    )

    def validate_received_at(self, value):
        if value and value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("This time is in the future.")
        if value and value < timezone.now() - RECEIVED_AT_MAX_AGE:
            raise serializers.ValidationError(
                f"This time is more than {RECEIVED_AT_MAX_AGE.days} days ago: call the front door instead."
            )
        return value

    def validate_concern_categories(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("A code is listed twice.")
        return value

    def validate_children(self, value: list[dict]) -> list[dict]:
        if not value:
            raise serializers.ValidationError("Name at least one child.")
        if len(value) > MAX_CHILDREN:
            raise serializers.ValidationError(
                f"At most {MAX_CHILDREN} children in one report; send the others in a second report."
            )
        return value

    def validate(self, attrs):
        organisation = self.context["organisation"]
        attrs["referral_source"] = attrs["referral_source"] or organisation.referral_source
        if not attrs["referral_source"]:
            raise serializers.ValidationError(
                {"referral_source": ["Give the referral source: your organisation has no default one."]}
            )
        attrs["received_at"] = attrs["received_at"] or timezone.now()
        return attrs

    def service_arguments(self) -> dict:
        """The validated payload as keyword arguments of frontdoor.services.contact_report_receive."""
        data = self.validated_data
        reporter = data["reporter"]
        return {
            "received_at": data["received_at"],
            "source": data["referral_source"],
            "reporter_name": reporter["name"],
            "reporter_role": reporter["role"],
            "reporter_organisation": reporter["organisation"],
            "reporter_phone": reporter["phone"],
            "reporter_email": reporter["email"],
            "concerns": data["concerns"],
            "concern_categories": data["concern_categories"],
            "consent": data["consent"],
            "urgency": data["urgency"],
            "children": [NamedChild(**child) for child in data["children"]],
        }


class ContactReceipt(serializers.Serializer):
    """One child's contact."""

    contact_reference = serializers.CharField(help_text="This child's contact: each child is decided on its own.")


class ReportReceipt(serializers.Serializer):
    """What the front door received: the report's reference, at once."""

    reference = serializers.CharField(help_text="The report's reference: quote it to the front door.")
    received_at = serializers.DateTimeField()
    children = ContactReceipt(many=True, help_text="In the order the children were named.")
    status_url = serializers.URLField(help_text="Where to see what became of it.")
    already_received = serializers.BooleanField(
        help_text=(
            "True only when this request repeated a report already received (the same Idempotency-Key, "
            "or the same reporter sending the same concerns about the same children): this is that "
            "report, and nothing new was recorded. Any other report is recorded as a new one."
        )
    )


class ContactStatus(serializers.Serializer):
    """One child's contact and, once it stands, its decision."""

    contact_reference = serializers.CharField()
    first_name = serializers.CharField(help_text="As the reporter named the child.")
    last_name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[("received", "Received, not yet decided"), ("decided", "Decided")],
        help_text="“decided” once the decision stands (signed off by a manager where the authority requires it).",
    )
    outcome = serializers.CharField(allow_null=True, help_text="Code from the list “contact_outcome”, once decided.")
    outcome_label = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ReportStatus(serializers.Serializer):
    """A report as the organisation that sent it sees it."""

    reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    urgency = serializers.CharField()
    children = ContactStatus(many=True)


class Error(serializers.Serializer):
    """Why the request was refused."""

    detail = serializers.CharField()
