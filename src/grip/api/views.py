"""The partner API's views: check the request, call the front door's service, answer in JSON."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from grip.access.decorators import PARTNER_TOKEN, PUBLIC, access_rule
from grip.access.opening import not_found_audit
from grip.api.limits import PerKeyRateLimit, SizeLimitedJSONParser
from grip.api.selectors import report_of_organisation, report_status
from grip.api.serializers import ContactReportIn, Error, ReportReceipt, ReportStatus
from grip.audit import services as audit
from grip.core.security_log import security_event
from grip.frontdoor.models import ContactReport
from grip.frontdoor.services import contact_report_receive

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")  # printable ASCII, no spaces, as the column holds

REFUSED = OpenApiResponse(Error, description="No API key, or one that is unknown or revoked.")
TOO_MANY = OpenApiResponse(
    Error, description="Too many requests with this API key this minute: try again after Retry-After seconds."
)
TOO_LARGE = OpenApiResponse(Error, description="The request's body is larger than the API accepts (256 KiB).")
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique text up to 100 characters (a UUID will do). Sending the same key again returns "
        "the first report (200, already_received true) instead of making a second."
    ),
)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise serializers.ValidationError(
            {"Idempotency-Key": ["Up to 100 printable characters, without spaces (a UUID will do)."]}
        )
    return key


def _receive(*, arguments: dict, organisation, idempotency_key: str | None) -> tuple[ContactReport, bool]:
    try:
        return contact_report_receive(
            **arguments, route="API", partner_organisation=organisation, idempotency_key=idempotency_key, by=None
        )
    except ValidationError as error:  # the serializer checked the input: this is the service's own refusal
        raise serializers.ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


def _receipt(request, report: ContactReport, *, created: bool) -> dict:
    status_url = request.build_absolute_uri(
        reverse("api:contact-report-detail", kwargs={"reference": report.reference})
    )
    return {
        "reference": report.reference,
        "received_at": report.received_at,
        "children": [
            {"contact_reference": r} for r in report.contacts.order_by("pk").values_list("reference", flat=True)
        ],
        "status_url": status_url,
        "already_received": not created,
    }


@access_rule(PARTNER_TOKEN, method="POST")
class ContactReportCreate(APIView):
    throttle_classes = [PerKeyRateLimit]
    parser_classes = [SizeLimitedJSONParser]

    @extend_schema(
        operation_id="contact_report_send",
        summary="Send a contact: a concern about one or more children",
        request=ContactReportIn,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={
            201: OpenApiResponse(ReportReceipt, description="Received: the report's reference and each child's."),
            200: OpenApiResponse(
                ReportReceipt,
                description=(
                    "The same report again (the same Idempotency-Key, or the same reporter sending the same "
                    "concerns about the same children): the first report, with already_received true; "
                    "nothing new made. A different concern is always a new report (201)."
                ),
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "What is wrong, field by field; a child's by its position from 0, e.g. "
                    '{"children": {"1": {"date_of_birth": ["..."]}}}. Nothing was saved.'
                ),
            ),
            401: REFUSED,
            413: TOO_LARGE,
            429: TOO_MANY,
        },
    )
    def post(self, request):
        organisation = request.auth.organisation
        key = _idempotency_key(request)
        incoming = ContactReportIn(data=request.data, context={"organisation": organisation})
        incoming.is_valid(raise_exception=True)
        report, created = _receive(
            arguments=incoming.service_arguments(), organisation=organisation, idempotency_key=key
        )
        body = ReportReceipt(_receipt(request, report, created=created)).data
        if not created:
            return Response(body, status=status.HTTP_200_OK)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["status_url"]})


@access_rule(PARTNER_TOKEN)
class ContactReportDetail(APIView):
    throttle_classes = [PerKeyRateLimit]

    @extend_schema(
        operation_id="contact_report_status",
        summary="What became of a report: each child's status and, once it stands, the decision",
        responses={
            200: ReportStatus,
            401: REFUSED,
            404: OpenApiResponse(Error, description="No report with this reference was sent by your organisation."),
            429: TOO_MANY,
        },
    )
    def get(self, request, reference: str):
        organisation = request.auth.organisation
        try:
            report = report_of_organisation(organisation=organisation, reference=reference)
        except NotFound:
            _not_found(request, reference)
            raise
        audit.record(
            actor=None,
            verb="api_read",
            target=report,
            request=request,
            payload={"organisation": organisation.pk, "token": request.auth.pk},
        )
        return Response(ReportStatus(report_status(report)).data)


def _not_found(request, reference: str) -> None:
    """Another organisation's report, or none: audited (within the rate limit) and logged as a
    security event; the answer stays the same 404."""
    organisation, token = request.auth.organisation_id, request.auth.pk
    payload = {"reference": reference[:100], "organisation": organisation, "token": token, "path": request.path}
    not_found_audit(request, verb="api_record_not_found", by=f"key:{token}", payload=payload)
    security_event("report_not_found", request=request, organisation=organisation, token=token)


@access_rule(PUBLIC)
class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: YAML, or JSON with ?format=json. It holds no personal data."""

    authentication_classes = []
    permission_classes = [AllowAny]


@access_rule(PUBLIC)
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its files served from here (drf-spectacular-sidecar) and its script a file of
    its own (the split view), so the page keeps Grip's Content-Security-Policy."""

    authentication_classes = []
    permission_classes = [AllowAny]
    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
